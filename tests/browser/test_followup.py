"""End to end in a real browser: after the session.

A trainer opens a session with a two-step agenda and runs it with two phones
(questions asked and upvoted over the socket); then downloads the summary in
every format, answers a question on the follow-up page and publishes it; a
phone gets the follow-up link pushed and opens the page with the answer.

Set SAVE_SCREENSHOTS=1 to write docs/screenshots/{summary,followup-phone}.png.
"""

import io
import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
PUSH_TIMEOUT = 10_000
FINNISH = {"locale": "fi-FI", "timezone_id": "Europe/Helsinki"}
TRAINER = {**FINNISH, "viewport": {"width": 1366, "height": 768}, "accept_downloads": True}
PHONE = {**FINNISH, "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
QUESTION = "Miten käännös toimii äidinkielellä?"
SECOND = "Mistä löydän selkokieliset ohjeet?"
ANSWER = "Varaa **ammattitulkki** – katso [InfoFinland](https://www.infofinland.fi)."
STEPS = (("info", "Avaus ja tavoitteet"), ("questions", "Kysymykset ja keskustelu"))


def sign_in(page: Page, server: dict) -> None:
    page.goto(server["login_url"])
    page.fill("#email", server["email"])
    page.fill("#password", server["password"])
    with page.expect_navigation():
        page.locator("form:has(#password) button[type=submit]").click()
    expect(page.locator("#password")).to_have_count(0)


def press(control: Page, action: str, title: str | None) -> None:
    control.locator(f'#agenda-run form[action$="/run/{action}"] button[type=submit]').click()
    if title:
        expect(control.locator("#agenda-run .run__title")).to_have_text(title)


def online(page: Page) -> None:
    expect(page.locator("#connection-status")).to_have_attribute(
        "data-state", "online", timeout=PUSH_TIMEOUT
    )


def ask(phone: Page, text: str) -> None:
    phone.fill("#ask-body", text)
    phone.locator("#ask-form button[type=submit]").click()
    expect(phone.locator("#question-list")).to_contain_text(text, timeout=PUSH_TIMEOUT)


def test_run_summarise_and_follow_up(browser: Browser, fresh_live_server: dict) -> None:
    server = fresh_live_server
    shots = os.environ.get("SAVE_SCREENSHOTS") == "1"
    if shots:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    trainer = browser.new_context(**TRAINER)
    phone_contexts = [browser.new_context(**PHONE) for _ in range(2)]
    errors: list[str] = []
    try:
        page = trainer.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(page, server)

        # -- A new session with a two-step agenda.
        training_url = f"{server['base_url']}/trainings/{server['training_id']}"
        page.goto(training_url)
        page.fill("#session-title", "Iltapäivä")
        with page.expect_navigation():
            page.locator("#session-title").press("Enter")
        row = page.locator("tr", has_text="Iltapäivä")
        code = row.locator("code.code").inner_text().strip()
        page.goto(f"{server['base_url']}/c/{code}/agenda")
        for kind, title in STEPS:
            page.select_option("#new-kind", kind)
            page.fill("#new-title", title)
            page.fill("#new-minutes", "5")
            with page.expect_navigation():
                page.locator("form[action$='/agenda/steps'] button[type=submit]").click()
            expect(page.locator("body")).to_contain_text(title)

        # -- Run it with two phones.
        control = page
        control.goto(f"{server['base_url']}/c/{code}")
        phones = [context.new_page() for context in phone_contexts]
        for phone in phones:
            phone.goto(f"{server['base_url']}/j/{code}")
            online(phone)
        online(control)
        press(control, "start", STEPS[0][1])
        ask(phones[0], QUESTION)
        phones[1].locator("#question-list .question", has_text=QUESTION).locator("button").click()
        voted = phones[1].locator("#question-list .question", has_text=QUESTION)
        # The phone's vote button carries the count.
        expect(voted.locator(".vote-count")).to_have_text("1", timeout=PUSH_TIMEOUT)
        press(control, "next", STEPS[1][1])
        ask(phones[1], SECOND)

        # -- The summary in every format, while the session is still open.
        control.goto(training_url)
        control.locator("tr", has_text="Iltapäivä").locator("a[href$='/summary']").click()
        expect(control.locator("body")).to_contain_text(QUESTION)
        if shots:
            control.screenshot(path=str(SCREENSHOTS / "summary.png"))
        downloads = {}
        for link in control.locator("a[href*='/summary.'], a[href*='/summary-']").all():
            with control.expect_download() as info:
                link.click()
            download = info.value
            downloads[download.suggested_filename] = Path(download.path()).read_bytes()
        suffixes = {name.rsplit(".", 1)[-1] for name in downloads}
        assert {"pdf", "docx", "md", "json", "xlsx", "csv"} <= suffixes, downloads.keys()
        pdf = next(data for name, data in downloads.items() if name.endswith(".pdf"))
        from pypdf import PdfReader

        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert QUESTION in " ".join(text.split())
        summary = json.loads(next(d for n, d in downloads.items() if n.endswith(".json")))
        assert summary["participation"]["peak_participants"] == 2
        assert summary["participation"]["posts"]["questions"] == 2
        md = next(d for n, d in downloads.items() if n.endswith(".md")).decode("utf-8")
        assert QUESTION in md and SECOND in md

        # -- Answer a question and publish the follow-up page.
        control.goto(training_url)
        control.locator("tr", has_text="Iltapäivä").locator("a[href$='/followup']").click()
        item = control.locator("#questions li.followup-question", has_text=QUESTION)
        item.locator("textarea[name=answer]").fill(ANSWER)
        item.locator("button[type=submit]").click()
        expect(
            control.locator("#questions li.followup-question", has_text=QUESTION)
        ).to_contain_text("Tallennettu")  # "Saved"
        with control.expect_navigation():
            control.locator("#publish form button[type=submit]").click()
        public_url = control.locator("#publish .link-box a").get_attribute("href")

        # -- The phone gets the follow-up link pushed, and opens the page.
        link = phones[0].locator("a#followup-link")
        path = "/f/" + public_url.rsplit("/f/", 1)[1]
        expect(link).to_have_attribute(
            "href", re.compile(re.escape(path) + "$"), timeout=PUSH_TIMEOUT
        )
        phones[0].goto(public_url)
        expect(phones[0].locator("body")).to_contain_text(QUESTION)
        expect(phones[0].locator("strong", has_text="ammattitulkki")).to_have_count(1)
        expect(phones[0].locator("a[href='https://www.infofinland.fi']")).to_have_count(1)
        if shots:
            phones[0].screenshot(path=str(SCREENSHOTS / "followup-phone.png"), full_page=True)
        assert errors == []
    finally:
        trainer.close()
        for context in phone_contexts:
            context.close()
