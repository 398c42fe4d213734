"""End to end in a real browser: live questions on phones, projector and control page.

One trainer (control page and projector, signed in, same browser context) and
two phones (separate contexts, so separate participant cookies) on the real
gevent server. Everything after the first page load must arrive over the
socket: no page is reloaded, and nothing waits with sleep.

Set SAVE_SCREENSHOTS=1 to write docs/screenshots/{phone,projector,control}.png
(the state after step 2) for the README.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"

Q1 = "Miten tilaan tulkin etäyhteydellä?"
Q2 = "Saako asiakkaan oma perheenjäsen toimia tulkkina?"

# Pushes travel over a local socket; a generous bound only matters when it fails.
PUSH_TIMEOUT = 10_000

FINNISH = {"locale": "fi-FI", "timezone_id": "Europe/Helsinki"}
PHONE = {**FINNISH, "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
TRAINER = {**FINNISH, "viewport": {"width": 1366, "height": 768}}
PROJECTOR_VIEWPORT = {"width": 1920, "height": 1080}


def item(page: Page, question_id: str):
    """One question's <li> in the page's #question-list."""
    return page.locator(f"#question-list #{question_id}")


def wait_online(page: Page) -> None:
    expect(page.locator("#connection-status")).to_have_attribute(
        "data-state", "online", timeout=PUSH_TIMEOUT
    )


def background(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).backgroundColor")


def test_question_asked_voted_and_hidden_live(browser: Browser, live_server: dict) -> None:
    expect.set_options(timeout=PUSH_TIMEOUT)
    errors: list[str] = []

    def watch(page: Page, name: str) -> Page:
        page.on("pageerror", lambda exc: errors.append(f"{name}: {exc}"))
        return page

    # -- Step 0: the trainer signs in; control page, projector and two phones open.
    trainer = browser.new_context(**TRAINER)
    phone_a_ctx = browser.new_context(**PHONE)
    phone_b_ctx = browser.new_context(**PHONE)
    try:
        control = watch(trainer.new_page(), "control")
        control.goto(live_server["login_url"])
        control.fill("#email", live_server["email"])
        control.fill("#password", live_server["password"])
        with control.expect_navigation():
            control.locator("form:has(#password) button[type=submit]").click()
        expect(control.locator("#password")).to_have_count(0)  # signed in, not bounced back

        control.goto(live_server["control_url"])
        projector = watch(trainer.new_page(), "projector")
        projector.set_viewport_size(PROJECTOR_VIEWPORT)
        projector.goto(live_server["projector_url"])
        phone_a = watch(phone_a_ctx.new_page(), "phone A")
        phone_a.goto(live_server["phone_url"])
        phone_b = watch(phone_b_ctx.new_page(), "phone B")
        phone_b.goto(live_server["phone_url"])

        pages = {"control": control, "projector": projector, "phone A": phone_a, "phone B": phone_b}
        for page in pages.values():
            expect(page.locator("html")).to_have_attribute("lang", "fi")
            wait_online(page)
            # Survives only if the page is never reloaded or navigated away.
            page.evaluate("window.__marker = 1")

        # -- Step 1: phone A asks Q1; it appears everywhere without a reload.
        phone_a.fill("#ask-body", Q1)
        phone_a.locator("#ask-form button[type=submit]").click()
        q1_on_a = phone_a.locator("#question-list li.question", has_text=Q1)
        expect(q1_on_a).to_have_count(1)
        q1 = q1_on_a.get_attribute("id")
        assert q1 and re.fullmatch(r"question-\d+", q1), q1
        for page in (projector, phone_b, control):
            expect(item(page, q1)).to_contain_text(Q1)
        # The form came back empty, ready for the next question.
        expect(phone_a.locator("#ask-body")).to_have_value("")

        phone_a.fill("#ask-body", Q2)
        phone_a.locator("#ask-form button[type=submit]").click()
        q2_on_a = phone_a.locator("#question-list li.question", has_text=Q2)
        expect(q2_on_a).to_have_count(1)
        q2 = q2_on_a.get_attribute("id")
        assert q2 and q2 != q1
        expect(phone_a.locator("#ask-body")).to_have_value("")
        for page in (projector, phone_b, control):
            expect(page.locator("#question-list li.question")).to_have_count(2)
        # Equal votes: oldest first, so Q2 is second before anyone votes.
        expect(projector.locator("#question-list li.question").first).to_have_id(q1)

        # -- Step 2: phone B upvotes Q2; it moves to the top of the projector.
        phone_b.locator(f"#{q2} form.vote .vote-button").click()
        projector_items = projector.locator("#question-list li.question")
        expect(projector_items.first).to_have_id(q2)
        expect(projector_items.first).to_have_attribute("data-votes", "1")
        expect(projector_items.first.locator(".question__votes")).to_contain_text("1")
        expect(projector_items.nth(1)).to_have_id(q1)
        expect(projector_items.nth(1)).to_have_attribute("data-votes", "0")
        for page in (phone_a, phone_b, control):
            expect(page.locator("#question-list li.question").first).to_have_id(q2)
            expect(item(page, q2)).to_have_attribute("data-votes", "1")

        # Phone B's own vote is marked (its #my-votes style); phone A's is not.
        phone_b.wait_for_function(
            "rule => document.getElementById('my-votes').textContent.includes(rule)",
            arg=f"#{q2} .vote-button",
            timeout=PUSH_TIMEOUT,
        )
        q1_button_b = phone_b.locator(f"#{q1} .vote-button")
        q2_button_b = phone_b.locator(f"#{q2} .vote-button")
        expect(q2_button_b).not_to_have_css("background-color", background(q1_button_b))
        assert q2 not in phone_a.locator("#my-votes").evaluate("el => el.textContent")
        assert background(phone_a.locator(f"#{q2} .vote-button")) == background(
            phone_a.locator(f"#{q1} .vote-button")
        )

        if os.environ.get("SAVE_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            phone_b.screenshot(path=str(SCREENSHOTS / "phone.png"))
            projector.screenshot(path=str(SCREENSHOTS / "projector.png"))
            control.screenshot(path=str(SCREENSHOTS / "control.png"))

        # -- Step 3: the trainer hides Q2; it leaves the projector and both phones.
        control.locator(f'#question-list #{q2} form[action$="/hide"] button[type=submit]').click()
        for page in (projector, phone_a, phone_b):
            expect(item(page, q2)).to_have_count(0)
            expect(item(page, q1)).to_be_visible()
            expect(page.locator("#question-list li.question")).to_have_count(1)
        expect(item(control, q2)).to_have_class(re.compile(r"\bis-hidden\b"))
        expect(control.locator(f'#{q2} form[action$="/hide"]')).to_have_count(0)
        expect(control.locator(f'#{q2} form[action$="/show"]')).to_have_count(1)

        # Nothing was reloaded, nothing threw, and every socket is still up.
        for name, page in pages.items():
            assert page.evaluate("window.__marker") == 1, f"{name} was reloaded"
            expect(page.locator("#connection-status")).to_have_attribute("data-state", "online")
        assert errors == []
    finally:
        for context in (trainer, phone_a_ctx, phone_b_ctx):
            context.close()
