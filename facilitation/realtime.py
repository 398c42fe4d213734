"""Rooms and the broadcast of rendered partials.

Every live piece of UI is one Jinja partial. After a change is committed, the
server renders the changed partials once per audience and language and emits
them as ``ui:swap`` to the matching room; the browser's realtime.js hands each
piece to ``htmx.swap()``. See docs/protocol.md.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app, g, has_request_context, render_template, request
from flask_babel import force_locale

from .extensions import db, socketio

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
    the database does not hold. Languages nobody listens in are skipped.
    """
    for locale in current_app.config["LANGUAGES"]:
        target = room(code, audience, locale)
        if not _may_have_members(target):
            continue
        with force_locale(locale), broadcasting():
            pieces = build()
        socketio.emit(SWAP_EVENT, pieces, to=target)


def _may_have_members(name: str) -> bool:
    """False only when this process knows the room is empty.

    With a message queue the members may sit in another process, so every
    room is rendered for.
    """
    if current_app.config["SOCKETIO_MESSAGE_QUEUE"]:
        return True
    rooms = socketio.server.manager.rooms.get("/", {})
    return bool(rooms.get(name))


# Which coalesced pushes this process has scheduled. Only a scheduling hint:
# what is pushed is always read from the database when the push runs.
_scheduled: set[str] = set()
_scheduled_lock = threading.Lock()


def coalesce(key: str, job: Callable[[], None]) -> None:
    """Run ``job`` (a push) once after LIVE_PUSH_DELAY, however often it is asked for.

    A burst of 50 votes costs one or two renders instead of 50, and the
    sender's acknowledgement does not wait for the fan-out. With a delay of
    0 the job runs at once, in the caller's context (the tests).
    """
    delay = current_app.config["LIVE_PUSH_DELAY"]
    if not delay:
        job()
        return
    with _scheduled_lock:
        if key in _scheduled:
            return
        _scheduled.add(key)
    app = current_app._get_current_object()
    base_url = request.host_url if has_request_context() else None

    def run() -> None:
        socketio.sleep(delay)
        # Unmark before reading: a change committed while this push renders
        # schedules the next one, so no update is lost.
        with _scheduled_lock:
            _scheduled.discard(key)
        with app.test_request_context("/", base_url=base_url):
            try:
                job()
            except Exception:
                app.logger.exception("live push %s failed", key)
            finally:
                db.session.remove()

    socketio.start_background_task(run)
