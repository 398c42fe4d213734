"""Who is connected now: phones per session, counted in memory, never in a handler's commit.

A phone's connect and disconnect only change a number in this process's
memory (O(1), no database, no Redis) and schedule a coalesced flush. The
flush, in a background task, publishes this process's count, reads the
total, keeps the peak for the summary (``LiveSession.peak_participants``,
one conditional UPDATE only when the total passed the peak this process
knows) and pushes "connected now: N" to the session's control pages.

Several processes (``SOCKETIO_MESSAGE_QUEUE`` set): each writes its count
as one field of the Redis hash ``<channel>:presence:<code>:<session id>``, field
``<process id>`` = ``<count>:<expires at, unix time>``, refreshed every
``PRESENCE_INTERVAL`` seconds by a heartbeat task. Readers add up the
fields that have not expired, so a process that dies without a word (a
SIGKILL, a lost host) drops out ``PRESENCE_EXPIRY`` seconds after its last
heartbeat at the latest, and the heartbeat of the processes left pushes the
corrected count. Without a message queue the one process's counts are the
truth. Only numbers are kept: nothing about who is connected.
"""

import os
import secrets
import socket
import threading
import time

from flask import Flask, current_app
from sqlalchemy import update

from ..extensions import db, socketio
from ..realtime import coalesce, push, swap
from .models import LiveSession

DEFAULT_INTERVAL = 5.0
DEFAULT_EXPIRY = 15.0
TARGET = "#presence"
TEMPLATE = "live/_presence.html"

# This process, as a field name: host, pid and a random tail (a restarted
# process with a recycled pid is not mistaken for the dead one).
PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"

# Sessions are keyed (id, code): the code to push to, and one test database's
# session 1 is not another's.
Key = tuple[int, str]
_lock = threading.Lock()
_phones: dict[Key, int] = {}  # phones connected to this process
_screens: dict[Key, int] = {}  # trainer screens here (watching, not counted)
_pushed: dict[Key, int] = {}  # the total last pushed from here
_peaks: dict[Key, int] = {}  # the peak known to be in the database
_heartbeat: dict[str, bool] = {}
_clients: dict[str, object] = {}


def _config(name: str, default: float) -> float:
    return float(current_app.config.get(name) or default)


def _queue() -> str | None:
    return current_app.config.get("SOCKETIO_MESSAGE_QUEUE")


def _redis(url: str):
    client = _clients.get(url)
    if client is None:
        import redis

        client = _clients[url] = redis.Redis.from_url(url, socket_timeout=5)
    return client


def _redis_key(key: Key) -> str:
    session_id, code = key
    return f"{current_app.config['SOCKETIO_CHANNEL']}:presence:{code}:{session_id}"


# --- the socket handlers' side: memory only ------------------------------------


def connected(session_id: int, code: str, counted: bool = True) -> None:
    """A socket joined the session: a phone (``counted``) or a trainer's screen."""
    key = (session_id, code)
    with _lock:
        table = _phones if counted else _screens
        table[key] = table.get(key, 0) + 1
    _start_heartbeat(current_app._get_current_object())
    if counted:
        _schedule(key)


def disconnected(session_id: int, code: str, counted: bool = True) -> None:
    key = (session_id, code)
    with _lock:
        table = _phones if counted else _screens
        if table.get(key, 0) > 0:
            table[key] -= 1
    if counted:
        _schedule(key)


def local_count(session_id: int, code: str) -> int:
    with _lock:
        return _phones.get((session_id, code), 0)


def _schedule(key: Key) -> None:
    # A burst of connects (a room scanning the QR code) costs one flush.
    coalesce(f"presence:{key[0]}:{key[1]}", lambda: flush(key))


# --- reading and flushing (background tasks, page renders) ---------------------


def connected_now(session_id: int, code: str) -> int:
    """Phones connected to the session now, over every live process."""
    url = _queue()
    if not url:
        return local_count(session_id, code)
    now = time.time()
    total = 0
    stale = []
    redis_key = _redis_key((session_id, code))
    for field, value in _redis(url).hgetall(redis_key).items():
        try:
            count, expires = value.decode().split(":")
            count, expires = int(count), float(expires)
        except (ValueError, UnicodeDecodeError):
            stale.append(field)
            continue
        if expires > now:
            total += count
        else:
            stale.append(field)
    if stale:
        _redis(url).hdel(redis_key, *stale)
    return total


def _publish(key: Key) -> None:
    """Write this process's count with a fresh expiry (Redis only)."""
    url = _queue()
    if not url:
        return
    expiry = _config("PRESENCE_EXPIRY", DEFAULT_EXPIRY)
    count = local_count(*key)
    redis_key = _redis_key(key)
    pipe = _redis(url).pipeline(transaction=False)
    if count:
        pipe.hset(redis_key, PROCESS_ID, f"{count}:{time.time() + expiry:.3f}")
    else:
        pipe.hdel(redis_key, PROCESS_ID)
    # The whole key goes when no process refreshes it any more.
    pipe.expire(redis_key, int(expiry * 2) + 1)
    pipe.execute()


def record_peak(key: Key, total: int) -> None:
    """Keep the most phones at once for the summary: one UPDATE, only upwards."""
    with _lock:
        if total <= _peaks.get(key, 0):
            return
    db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == key[0], LiveSession.peak_participants < total)
        .values(peak_participants=total)
    )
    db.session.commit()
    with _lock:
        _peaks[key] = max(total, _peaks.get(key, 0))


def flush(key: Key) -> None:
    """Publish, read the total, keep the peak, push the count if it changed."""
    _publish(key)
    total = connected_now(*key)
    record_peak(key, total)
    with _lock:
        changed = _pushed.get(key) != total
        _pushed[key] = total
    if changed:
        push(key[1], "moderators", lambda: [piece(total)])


def piece(total: int) -> dict:
    return swap(TARGET, TEMPLATE, connected_now=total)


def moderator_pieces(live) -> list[dict]:
    """For a control page's resync."""
    return [piece(connected_now(live.id, live.code))]


# --- heartbeat -----------------------------------------------------------------


def _start_heartbeat(app: Flask) -> None:
    """With a message queue: once per process, refresh this process's fields
    and re-read the totals every PRESENCE_INTERVAL seconds."""
    if not app.config.get("SOCKETIO_MESSAGE_QUEUE") or _heartbeat:
        return
    with _lock:
        if _heartbeat:
            return
        _heartbeat["running"] = True
    socketio.start_background_task(_beat, app)


def _beat(app: Flask) -> None:
    while True:
        with app.app_context():
            interval = _config("PRESENCE_INTERVAL", DEFAULT_INTERVAL)
        socketio.sleep(interval)
        with _lock:
            sessions = list({*_phones, *_screens, *_pushed})
            idle = [key for key in sessions if not _phones.get(key) and not _screens.get(key)]
        with app.test_request_context("/"):
            for key in sessions:
                try:
                    flush(key)
                except Exception:  # noqa: BLE001 - Redis or the database away: next beat
                    app.logger.exception("presence heartbeat of session %s failed", key[0])
                    db.session.rollback()
            db.session.remove()
        with _lock:
            # Nobody of that session here any more: our field is gone, stop watching.
            for key in idle:
                if not _phones.get(key) and not _screens.get(key):
                    _phones.pop(key, None)
                    _screens.pop(key, None)
                    _pushed.pop(key, None)
