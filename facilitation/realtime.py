"""Rooms and the broadcast of rendered partials.

Every live piece of UI is one Jinja partial. After a change is committed, the
server renders the changed partials once per audience and language and emits
them as ``ui:swap`` to the matching room; the browser's realtime.js hands each
piece to ``htmx.swap()``. See docs/protocol.md.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app, g, render_template
from flask_babel import force_locale

from .extensions import socketio

AUDIENCES = ("participants", "projector", "moderators")
SWAP_EVENT = "ui:swap"


def room(code: str, audience: str | None = None, locale: str | None = None) -> str:
    """session:<code>[:<audience>[:<locale>]]"""
    name = f"session:{code}"
    if audience:
        name += f":{audience}"
        if locale:
            name += f":{locale}"
    return name


def swap(target: str, template: str, style: str = "outerHTML", **context) -> dict:
    """One piece of a ui:swap payload: render a partial for a CSS target."""
    return {"target": target, "swap": style, "html": render_template(template, **context)}


@contextmanager
def broadcasting() -> Iterator[None]:
    """Render for a room rather than for one browser (no CSRF token, no personal state)."""
    previous = g.get("broadcasting", False)
    g.broadcasting = True
    try:
        yield
    finally:
        g.broadcasting = previous


def push(code: str, audience: str, build: Callable[[], list[dict]]) -> None:
    """Render ``build()`` in each language and emit it to that audience's rooms.

    Call only after the change was committed: a phone must never see what
    the database does not hold.
    """
    for locale in current_app.config["LANGUAGES"]:
        with force_locale(locale), broadcasting():
            pieces = build()
        socketio.emit(SWAP_EVENT, pieces, to=room(code, audience, locale))
