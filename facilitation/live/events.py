"""Socket.IO connection handling and the checks every live event shares."""

from flask import current_app, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

# Not the builtin: python-socketio only turns its own class into a refusal.
from flask_socketio import ConnectionRefusedError, disconnect, join_room
from werkzeug.exceptions import SecurityError

from ..extensions import db, socketio
from ..realtime import (
    broadcasting,
    current_version,
    listen_for_access_changes,
    member_room,
    room,
    user_room,
)
from ..trainings.services import is_member
from . import presence
from .broadcasts import catch_up_pieces, push_moderation
from .models import LiveSession
from .participants import token_from_request, voter_hash
from .services import (
    LiveError,
    find_open_session,
    normalise_code,
    set_moderation,
)

# What a client says it is -> the audience room it joins.
AUDIENCE_ROOMS = {
    "participant": "participants",
    "projector": "projector",
    "moderator": "moderators",
}
TRAINER_AUDIENCES = {"projector", "moderator"}


class EventError(Exception):
    """Refuses an event; becomes the acknowledgement {ok: false, error, message}."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@socketio.on_error_default
def on_error(exc: Exception):
    db.session.rollback()
    if isinstance(exc, EventError):
        return {"ok": False, "error": exc.code, "message": exc.message}
    # The event name only: the payload may hold a participant's text.
    event = getattr(request, "event", None) or {}
    current_app.logger.exception("socket event %r failed", event.get("message"))
    return {"ok": False, "error": "server_error", "message": _("Something went wrong. Try again.")}


@socketio.on("connect")
def on_connect(auth=None):
    """Phone, projector or control page: join the session's rooms."""
    try:
        _join(auth if isinstance(auth, dict) else {})
    except ConnectionRefusedError:
        raise
    except Exception as exc:
        # Anything else (the database is down...) must refuse the connection,
        # not leave a socket that joined no room.
        db.session.rollback()
        current_app.logger.exception("socket connect failed")
        raise ConnectionRefusedError("server_error") from exc


def _join(auth: dict) -> None:
    try:
        request.host  # noqa: B018 - checked against TRUSTED_HOSTS on access
    except SecurityError:
        raise ConnectionRefusedError("unknown_host") from None
    live = find_open_session(normalise_code(str(auth.get("code", ""))))
    if live is None:
        raise ConnectionRefusedError("unknown_session")
    audience = auth.get("audience", "participant")
    if audience not in AUDIENCE_ROOMS:
        raise ConnectionRefusedError("unknown_audience")
    locale = str(get_locale())
    # Only a token the join page issued makes a voter: a socket without one
    # may follow the session but not vote, so a script cannot open a fresh
    # "participant" per vote.
    token = token_from_request()
    session["live"] = {
        "session_id": live.id,
        "code": live.code,
        "audience": audience,
        "voter": voter_hash(live, token) if token else None,
    }
    listen_for_access_changes(current_app._get_current_object())
    audience_room = AUDIENCE_ROOMS[audience]
    if audience in TRAINER_AUDIENCES:
        if not current_user.is_authenticated:
            raise ConnectionRefusedError("forbidden")
        # Join the rooms that end this access before checking it: a removal
        # committed after the check then still finds this socket.
        join_room(user_room(current_user.id))
        join_room(member_room(live.training_id, current_user.id))
        if not is_member(current_user, live.training_id):
            raise ConnectionRefusedError("forbidden")
    join_room(room(live.code))
    join_room(room(live.code, audience_room))
    join_room(room(live.code, audience_room, locale))
    # Counted in memory: no database on the connect path (presence.py).
    presence.connected(live.id, live.code, counted=audience == "participant")


@socketio.on("disconnect")
def on_disconnect(*_args):
    info = session.get("live")
    if info:
        presence.disconnected(
            info["session_id"], info["code"], counted=info.get("audience") == "participant"
        )


@socketio.on("live:sync")
def on_sync(_data=None):
    """Any live page, right after (re)connecting: everything live on its page.

    A connect handler cannot emit to its own socket yet, so the client asks.
    """
    live, info = joined()
    audience = AUDIENCE_ROOMS[info["audience"]]
    # The version first: what is read after it is at least that new.
    version = current_version(live.code, audience)
    with broadcasting():
        pieces = catch_up_pieces(live, audience)
    return {"ok": True, "v": version, "pieces": pieces}


def joined() -> tuple[LiveSession, dict]:
    """The open session this socket joined, or refuse the event.

    A projector or control socket is authorised again on every event (the
    account may have been removed or signed out since it connected); one
    that no longer may is refused and disconnected.
    """
    info = session.get("live")
    live = db.session.get(LiveSession, info["session_id"]) if info else None
    if live is None:
        raise EventError("not_joined", _("Reload the page to rejoin the session."))
    if not live.is_open:
        raise EventError("closed", _("This session has ended."))
    if info["audience"] in TRAINER_AUDIENCES and not is_member(current_user, live.training_id):
        disconnect()
        raise EventError("forbidden", _("Only the session's trainers can do that."))
    return live, info


def participant_session() -> tuple[LiveSession, dict]:
    """For asking and voting: a phone's socket."""
    live, info = joined()
    if info["audience"] != "participant":
        raise EventError("forbidden", _("Only participants can do that."))
    return live, info


def voter_session() -> tuple[LiveSession, str]:
    """For votes and answers, counted once per participant: a phone's socket
    that came through the join page (and so holds a participant token)."""
    live, info = participant_session()
    if not info.get("voter"):
        raise EventError("no_token", _("Open the join page again to vote and answer."))
    return live, info["voter"]


def moderated_session() -> LiveSession:
    """For every trainer event: a control socket of a user who may run this session."""
    live, info = joined()
    if info["audience"] != "moderator":
        raise EventError("forbidden", _("Only the session's trainers can do that."))
    return live


@socketio.on("live:moderation")
def on_moderation(data):
    """Trainer: set the session's moderation mode ("open" or "approve")."""
    live = moderated_session()
    mode = data.get("mode") if isinstance(data, dict) else None
    try:
        set_moderation(live, mode)
    except LiveError as exc:
        raise EventError("invalid", str(exc)) from exc
    db.session.commit()
    push_moderation(live)
    return {"ok": True, "mode": live.moderation}
