"""Socket.IO handlers for running the agenda: thin, the same shape as views.py."""

from ..extensions import db, socketio
from ..live.events import moderated_session
from ..realtime import broadcasting
from . import services
from .broadcasts import moderator_pieces, push_agenda


def _run(action: str, data) -> dict:
    live = moderated_session()
    try:
        services.run(live, action, data if isinstance(data, dict) else {})
    except services.AgendaError as exc:
        db.session.rollback()
        refusal = {"ok": False, "error": exc.code, "message": str(exc)}
        if exc.code == "stale":
            # This device missed a change: bring its run panel up to date.
            with broadcasting():
                refusal["pieces"] = moderator_pieces(live)
        return refusal
    db.session.commit()
    push_agenda(live)
    return {
        "ok": True,
        "step_id": live.current_step_id,
        "running": live.timer_ends_at is not None,
        "remaining": services.remaining_seconds(live),
    }


def _register(action: str) -> None:
    def handler(data=None):
        return _run(action, data)

    handler.__name__ = f"on_agenda_{action}"
    handler.__doc__ = f"Trainer (control page or remote): agenda run action {action!r}."
    socketio.on(f"agenda:{action}")(handler)


for _action in services.RUN_ACTIONS:
    _register(_action)
