"""Rooms and the broadcast of rendered partials.

Every live piece of UI is one Jinja partial. After a change is committed, the
server renders the changed partials once per audience and language and emits
them as ``ui:swap`` to the matching room; the browser's realtime.js hands each
piece to ``htmx.swap()``. See docs/protocol.md.
"""

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_request_context, render_template, request
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


def user_room(user_id: int) -> str:
    """Every trainer socket of one account: ended by sign-out and a password change."""
    return f"user:{user_id}"


def member_room(training_id: int, user_id: int) -> str:
    """One account's trainer sockets on one training's sessions: ended when the
    account is removed from the training."""
    return f"training:{training_id}:user:{user_id}"


def swap(target: str, template: str, style: str = "outerHTML", **context) -> dict:
    """One piece of a ui:swap payload: render a partial for a CSS target."""
    return {"target": target, "swap": style, "html": render_template(template, **context)}


def upsert(target: str, into: str, template: str, **context) -> dict:
    """A piece that replaces ``target``, or is appended to ``into`` when the
    page does not hold ``target`` yet (a new question in a list)."""
    piece = swap(target, template, **context)
    piece["into"] = into
    return piece


def delete(target: str) -> dict:
    """A piece that removes ``target`` from the page, if it is there."""
    return {"target": target, "swap": "delete", "html": ""}


# --- room versions ------------------------------------------------------------
#
# Every push to an audience of a session carries that audience's next
# version number; a page that sees a gap (it missed a push) or reconnects
# asks for the whole current state (``live:sync``, whose acknowledgement
# carries the version it is current to). With a message queue the counter is
# shared by every process (Redis); a process-local counter otherwise. Either
# starts from the clock in milliseconds, so versions keep growing across a
# restart of the server or of Redis.

_versions: dict[str, int] = {}
_versions_lock = threading.Lock()
VERSION_TTL = 3 * 24 * 3600


def _version_key(code: str, audience: str) -> str:
    return f"{current_app.config['SOCKETIO_CHANNEL']}:version:{code}:{audience}"


def next_version(code: str, audience: str) -> int:
    """Count one more push to ``audience``."""
    key = _version_key(code, audience)
    url = current_app.config["SOCKETIO_MESSAGE_QUEUE"]
    if url:
        pipe = _redis(url).pipeline(transaction=False)
        pipe.set(key, int(time.time() * 1000), nx=True)
        pipe.incr(key)
        pipe.expire(key, VERSION_TTL)
        return int(pipe.execute()[1])
    with _versions_lock:
        version = _versions.get(key) or int(time.time() * 1000)
        _versions[key] = version + 1
        return version + 1


def current_version(code: str, audience: str) -> int:
    """The version of the last push counted for ``audience`` (a resync is at
    least as new as every push up to it). Read before reading the state."""
    key = _version_key(code, audience)
    url = current_app.config["SOCKETIO_MESSAGE_QUEUE"]
    if url:
        value = _redis(url).get(key)
        if value is None:
            return next_version(code, audience)
        return int(value)
    with _versions_lock:
        if key not in _versions:
            _versions[key] = int(time.time() * 1000)
        return _versions[key]


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
    The payload is ``{"v": version, "pieces": [...]}`` (docs/protocol.md).
    """
    rendered = []
    for locale in current_app.config["LANGUAGES"]:
        target = room(code, audience, locale)
        if not _may_have_members(target):
            continue
        with force_locale(locale), broadcasting():
            rendered.append((target, build()))
    if not rendered:
        return
    # Counted after the data was read and rendered and emitted at once, so
    # that a process sends its pushes in version order; a resync that read
    # the version before its data is at least as new as every push up to it.
    version = next_version(code, audience)
    for target, pieces in rendered:
        socketio.emit(SWAP_EVENT, {"v": version, "pieces": pieces}, to=target)


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


# --- ending access ------------------------------------------------------------
#
# Rooms are joined once, at connect. When access ends (a member removed, a
# sign-out, a password change, a closed session) the sockets that got in with
# it must go at once, in every server process: a socket left in the
# moderators' room would keep receiving pending case stories. python-socketio
# can disconnect one sid across processes but has no "everyone in a room", so
# the room's name goes out on a Redis channel of our own and each process
# disconnects its local members of that room.

_listening: dict[str, object] = {}
_listening_lock = threading.Lock()


def _access_channel(app: Flask) -> str:
    return f"{app.config['SOCKETIO_CHANNEL']}:access"


def disconnect_room(name: str, delay: float = 0) -> None:
    """Disconnect every socket in room ``name``, here and in every other process.

    Call after the commit that ended the access. ``delay`` lets a last push
    (the "session has ended" screen) arrive before the socket closes.
    """
    app = current_app._get_current_object()
    url = app.config["SOCKETIO_MESSAGE_QUEUE"]
    if url:
        _redis(url).publish(_access_channel(app), json.dumps({"room": name, "delay": delay}))
        if _access_channel(app) in _listening:
            return  # our own listener gets the message too
    _disconnect_local(app, name, delay)


def _disconnect_local(app: Flask, name: str, delay: float = 0) -> None:
    def run() -> None:
        if delay:
            socketio.sleep(delay)
        manager = socketio.server.manager
        sids = [sid for sid, _eio in manager.get_participants("/", name)]
        for sid in sids:
            socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
        if sids:
            app.logger.info("access ended: %d socket(s) of %s disconnected", len(sids), name)

    if delay:
        socketio.start_background_task(run)
    else:
        run()


_clients: dict[str, object] = {}


def _redis(url: str):
    client = _clients.get(url)
    if client is None:
        import redis

        client = _clients[url] = redis.Redis.from_url(url)
    return client


def listen_for_access_changes(app: Flask) -> None:
    """Subscribe this process to the access channel, once, before its first
    socket joins a room (so a revocation published after the join is heard)."""
    url = app.config["SOCKETIO_MESSAGE_QUEUE"]
    channel = _access_channel(app)
    if not url or channel in _listening:
        return
    with _listening_lock:
        if channel in _listening:
            return
        pubsub = _redis(url).pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(channel)
        _listening[channel] = pubsub
    socketio.start_background_task(_listen, app, pubsub)


def _listen(app: Flask, pubsub) -> None:
    while True:
        try:
            for message in pubsub.listen():
                try:
                    data = json.loads(message["data"])
                    name, delay = str(data["room"]), float(data.get("delay") or 0)
                except (KeyError, TypeError, ValueError):
                    continue
                _disconnect_local(app, name, delay)
        except Exception:  # noqa: BLE001 - a lost Redis connection: resubscribe
            app.logger.exception("access channel listener failed; resubscribing")
            socketio.sleep(1)
            try:
                pubsub.reset()
                pubsub.subscribe(_access_channel(app))
            except Exception:  # noqa: BLE001
                app.logger.exception("could not resubscribe to the access channel")
