"""Absolute public links (join, registration) and their QR codes."""

import segno
from flask import current_app, url_for
from markupsafe import Markup


def public_url(endpoint: str, **values) -> str:
    """An absolute link for people outside (phones, e-mail), built from
    PUBLIC_URL alone: never from the request's Host header."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return base + url_for(endpoint, _external=False, **values)


def join_url(live) -> str:
    """The link phones open."""
    return public_url("live.participant_page", code=live.code)


def qr_svg(url: str) -> Markup:
    """A QR code as inline SVG: no JavaScript, sharp at any size."""
    svg = segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True)
    return Markup(svg)
