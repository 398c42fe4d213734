"""static/js/guard.js in Debian's Chromium: load() fetches the data next to the
script, scan() agrees with the server's guard and highlight() builds DOM nodes
(a story's HTML is shown as text, never run). The page and files are served
by Playwright's routing, so no app server is needed."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route

from facilitation.cases import guard

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://guard.test"
PAGE = (
    '<!doctype html><html lang="fi"><meta charset="utf-8"><title>guard</title>'
    '<p id="out" style="white-space: pre-line"></p>'
    '<script src="/static/js/guard.js"></script></html>'
)
STORY = (
    '<img src=x onerror="window.__pwned = 1"> Tapasin Fatima Hassanin eilen.\n'
    "Hetu 131052-308T, puh. 040 123 4567, osoite Hämeenkatu 3 a 10, 33100 Tampere, "
    "s-posti fatima@example.com. Kävin Matin kanssa Kelassa."
)


def _serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN)
    if path == "/static/js/guard.js":
        route.fulfill(path=ROOT / "static" / "js" / "guard.js", content_type="text/javascript")
    elif path == "/static/data/guard-names.json":
        route.fulfill(
            path=ROOT / "static" / "data" / "guard-names.json", content_type="application/json"
        )
    elif path == "/":
        route.fulfill(body=PAGE, content_type="text/html; charset=utf-8")
    else:
        route.fulfill(status=404, body="")


def test_guard_scans_and_highlights_in_chromium(browser: Browser) -> None:
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.route(f"{ORIGIN}/**", _serve)
    page.goto(f"{ORIGIN}/")

    findings = page.evaluate(
        """async (text) => {
            await window.PersonalDataGuard.load();  // URL from the script's own src
            const found = window.PersonalDataGuard.scan(text);
            window.PersonalDataGuard.highlight(document.getElementById("out"), text, found);
            return found;
        }""",
        STORY,
    )

    expected = guard.scan(STORY)
    assert [(f["kind"], f["start"], f["end"], f["text"]) for f in findings] == [
        (f.kind, f.start, f.end, f.text) for f in expected
    ]
    assert [f.kind for f in expected] == [
        "name", "hetu", "phone", "address", "address", "email", "name"
    ]  # fmt: skip

    marks = page.locator("#out mark")
    assert marks.all_text_contents() == [f.text for f in expected]
    assert [m.get_attribute("class") for m in marks.all()] == [f"pd pd--{f.kind}" for f in expected]
    assert page.locator("#out img").count() == 0
    assert page.locator("#out").text_content() == STORY
    assert page.evaluate("window.__pwned") is None
    assert errors == []
    context.close()
