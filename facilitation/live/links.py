"""The join link and its QR code."""

import segno
from flask import current_app, url_for
from markupsafe import Markup


def join_url(live) -> str:
    """The link phones open; PUBLIC_URL wins behind a proxy."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for("live.participant_page", code=live.code)
    return url_for("live.participant_page", code=live.code, _external=True)


def qr_svg(url: str) -> Markup:
    """The join QR code as inline SVG: no JavaScript, sharp at any size."""
    svg = segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True)
    return Markup(svg)
