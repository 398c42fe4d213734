"""Socket.IO handlers for self-assessments and feedback: thin, like views.py."""

from flask import render_template

from ..extensions import socketio
from ..live.events import voter_session
from ..realtime import broadcasting
from .views import TEMPLATES, phone_context, submit


def _answer(kind: str, data) -> dict:
    live, voter = voter_session()
    data = data if isinstance(data, dict) else {}
    ok, error, message, step = submit(live, kind, data, voter)
    if step is None:
        return {"ok": False, "error": error, "message": message}
    with broadcasting():
        html = render_template(
            TEMPLATES[kind],
            **phone_context(
                live,
                step,
                voter,
                notice=message if ok else None,
                error=None if ok else message,
                posted=None if ok else data,
            ),
        )
    result = {"ok": ok, "html": html}
    if not ok:
        result.update(error=error, message=message)
    return result


@socketio.on("assessments:answer")
def on_assess(data):
    """Participant: rate the self-assessment statements."""
    return _answer("self_assessment", data)


@socketio.on("feedback:answer")
def on_feedback(data):
    """Participant: give feedback."""
    return _answer("feedback", data)
