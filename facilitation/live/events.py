"""Socket.IO connection handling and the checks every live event shares."""

from flask import current_app, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import join_room

from ..extensions import db, socketio
from ..realtime import room, send_to
from ..trainings.services import is_member
from .broadcasts import catch_up_pieces, push_moderation
from .models import LiveSession
from .participants import new_token, token_from_request, voter_hash
from .services import LiveError, find_open_session, normalise_code, set_moderation

# What a client says it is -> the audience room it joins.
AUDIENCE_ROOMS = {"participant": "participants", "projector": "projector", "moderator": "moderators"}
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
    current_app.logger.exception("socket event %s failed", getattr(request, "event", None))
    return {"ok": False, "error": "server_error", "message": _("Something went wrong. Try again.")}


@socketio.on("connect")
def on_connect(auth=None):
    """Phone, projector or control page: join the session's rooms and catch up."""
    auth = auth if isinstance(auth, dict) else {}
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
    # Whatever changed between page load and (re)connect.
    send_to(request.sid, catch_up_pieces(live, audience_room))


def joined() -> tuple[LiveSession, dict]:
    """The open session this socket joined, or refuse the event."""
    info = session.get("live")
    live = db.session.get(LiveSession, info["session_id"]) if info else None
    if live is None:
        raise EventError("not_joined", _("Reload the page to rejoin the session."))
    if not live.is_open:
        raise EventError("closed", _("This session has ended."))
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
