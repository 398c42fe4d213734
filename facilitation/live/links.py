"""Absolute public links (join, registration) and their QR codes."""

import segno
from flask import current_app, url_for
from markupsafe import Markup


def public_url(endpoint: str, **values) -> str:
    """An absolute link for people outside (phones, e-mail); PUBLIC_URL wins
    behind a proxy."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def join_url(live) -> str:
    """The link phones open."""
    return public_url("live.participant_page", code=live.code)


def qr_svg(url: str) -> Markup:
    """A QR code as inline SVG: no JavaScript, sharp at any size."""
    svg = segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True)
    return Markup(svg)
