"""The participant's first load: the phone page and everything it loads
before any socket traffic, gzipped, stays within 45 KB (htmx and the
Socket.IO client alone are about 32 KB). The personal-data guard is not part
of it: realtime.js fetches it once a story form is on the page."""

import gzip
import re

BUDGET = 45 * 1024
ASSET = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\brel="stylesheet"[^>]*\bhref)="([^"]+)"')


def first_load(client, path: str) -> dict[str, int]:
    """Gzipped bytes (level 6, as nginx's gzip_comp_level 6) per URL."""
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    sizes = {path: len(gzip.compress(page.data, 6))}
    for url in ASSET.findall(html):
        asset = client.get(url)
        assert asset.status_code == 200, f"{url} is missing (make assets?)"
        sizes[url] = len(gzip.compress(asset.data, 6))
        asset.close()
    return sizes


def test_the_phone_page_first_load_is_at_most_45_kb_gzipped(client, live):
    sizes = first_load(client, f"/j/{live.code}")
    total = sum(sizes.values())
    print(f"participant first load: {total / 1024:.1f} KB gzipped", sizes)
    assert any("htmx" in url for url in sizes) and any("socket.io" in url for url in sizes)
    assert not any("guard.js" in url or "story.js" in url for url in sizes)
    assert total <= BUDGET, f"{total} bytes > {BUDGET}: {sizes}"


def test_a_story_step_names_the_guard_for_realtime_js_to_load(client, live):
    from facilitation.agenda.services import add_step, start
    from facilitation.extensions import db

    add_step(live, "case_stories", "Tapaus", 10)
    db.session.commit()
    start(live)
    db.session.commit()
    html = client.get(f"/j/{live.code}").get_data(as_text=True)
    assert 'id="story-form"' in html and "data-guard" in html
    assert 'name="facilitation-guard-js" content="/static/js/guard.js"' in html
    assert 'name="facilitation-story-js" content="/static/js/story.js"' in html
