"""Socket.IO connection handling and the checks every live event shares."""

from flask import current_app, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

# Not the builtin: python-socketio only turns its own class into a refusal.
from flask_socketio import ConnectionRefusedError, join_room

from ..extensions import db, socketio
from ..realtime import broadcasting, room
from ..trainings.services import is_member
from .broadcasts import catch_up_pieces, push_moderation
from .models import LiveSession
from .participants import new_token, token_from_request, voter_hash
from .services import (
    LiveError,
    find_open_session,
    normalise_code,
    participant_connected,
    participant_disconnected,
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
    live = find_open_session(normalise_code(str(auth.get("code", ""))))
    if live is None:
        raise ConnectionRefusedError("unknown_session")
    audience = auth.get("audience", "participant")
    if audience not in AUDIENCE_ROOMS:
        raise ConnectionRefusedError("unknown_audience")
    if audience in TRAINER_AUDIENCES and not is_member(current_user, live.training_id):
        raise ConnectionRefusedError("forbidden")
    locale = str(get_locale())
    # A client without the participant cookie (a kiosk, a load tester) is an
    # anonymous participant for the life of this connection.
    token = token_from_request() or new_token()
    session["live"] = {
        "session_id": live.id,
        "code": live.code,
        "audience": audience,
        "voter": voter_hash(live, token),
    }
    audience_room = AUDIENCE_ROOMS[audience]
    join_room(room(live.code))
    join_room(room(live.code, audience_room))
    join_room(room(live.code, audience_room, locale))
    if audience == "participant":
        participant_connected(live.id)
        db.session.commit()


@socketio.on("disconnect")
def on_disconnect(*_args):
    info = session.get("live")
    if info and info.get("audience") == "participant":
        participant_disconnected(info["session_id"])
        db.session.commit()


@socketio.on("live:sync")
def on_sync(_data=None):
    """Any live page, right after (re)connecting: everything live on its page.

    A connect handler cannot emit to its own socket yet, so the client asks.
    """
    live, info = joined()
    with broadcasting():
        pieces = catch_up_pieces(live, AUDIENCE_ROOMS[info["audience"]])
    return {"ok": True, "pieces": pieces}


def joined() -> tuple[LiveSession, dict]:
    """The open session this socket joined, or refuse the event."""
    info = session.get("live")
    live = db.session.get(LiveSession, info["session_id"]) if info else None
    if live is None:
        raise EventError("not_joined", _("Reload the page to rejoin the session."))
    if not live.is_open:
        raise EventError("closed", _("This session has ended."))
    return live, info


def participant_session() -> tuple[LiveSession, dict]:
    """For asking and voting: a phone's socket."""
    live, info = joined()
    if info["audience"] != "participant":
        raise EventError("forbidden", _("Only participants can do that."))
    return live, info


def moderated_session() -> LiveSession:
    """For every trainer event: a control socket of a user who may run this session."""
    live, info = joined()
    if info["audience"] != "moderator" or not is_member(current_user, live.training_id):
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
