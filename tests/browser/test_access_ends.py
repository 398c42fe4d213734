"""In a real browser: a page whose access ended shows why, by itself.

The trainer has the control page open in one browser and signs out in
another: the server disconnects the control page's socket and the page
loads again as the sign-in page. The session is then closed: the phone keeps
the end screen (it is not reloaded away) and says it was disconnected.
"""

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

pytestmark = pytest.mark.browser

TIMEOUT = 10_000
FINNISH = {"locale": "fi-FI", "timezone_id": "Europe/Helsinki"}
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def _sign_in(context: BrowserContext, info: dict) -> None:
    page = context.new_page()
    page.goto(info["login_url"])
    page.fill("#email", info["email"])
    page.fill("#password", info["password"])
    with page.expect_navigation():
        page.locator("form:has(#password) button[type=submit]").click()
    expect(page.locator("#password")).to_have_count(0)
    page.close()


def _post(context: BrowserContext, info: dict, path: str) -> int:
    """A form post from this browser (its cookies), with the page's CSRF token."""
    base = info["base_url"]
    token = CSRF.search(context.request.get(base + "/").text()).group(1)
    response = context.request.post(
        base + path, form={"csrf_token": token}, max_redirects=0, headers={"Referer": base + "/"}
    )
    return response.status


def test_signed_out_control_page_reloads_to_sign_in_and_phone_keeps_the_end(
    browser: Browser, fresh_live_server: dict
) -> None:
    info = fresh_live_server
    expect.set_options(timeout=TIMEOUT)
    laptop = browser.new_context(**FINNISH)
    other = browser.new_context(**FINNISH)
    phone_ctx = browser.new_context(
        **FINNISH, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    try:
        _sign_in(laptop, info)
        control = laptop.new_page()
        control.goto(info["control_url"])
        expect(control.locator("#connection-status")).to_have_attribute("data-state", "online")
        phone = phone_ctx.new_page()
        phone.goto(info["phone_url"])
        expect(phone.locator("#connection-status")).to_have_attribute("data-state", "online")

        # Signing out in another browser ends the laptop's session too.
        _sign_in(other, info)
        assert _post(other, info, "/accounts/logout") == 302
        expect(control).to_have_url(re.compile(r"/accounts/login"))
        expect(control.locator("#password")).to_be_visible()

        # Closing the session: the phone shows the end screen and stays on it.
        _sign_in(other, info)
        path = f"/trainings/{info['training_id']}/sessions/{info['session_id']}/close"
        phone.evaluate("window.__marker = 1")
        assert _post(other, info, path) == 302
        expect(phone.locator("#live-main.closed")).to_be_visible()
        expect(phone.locator("#connection-status")).to_have_attribute("data-state", "ended")
        assert phone.evaluate("window.__marker") == 1  # not reloaded
        expect(phone.locator("#connection-status")).to_have_text("Palvelin katkaisi yhteyden.")
    finally:
        for context in (laptop, other, phone_ctx):
            context.close()
