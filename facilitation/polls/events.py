"""Socket.IO handlers for polls: thin, the same shape as views.py."""

from flask import render_template

from ..extensions import db, socketio
from ..live.events import EventError, moderated_session, voter_session
from ..realtime import broadcasting
from . import services
from .broadcasts import push_poll
from .views import apply_action, phone_context, submit_answer


def _payload(data) -> dict:
    return data if isinstance(data, dict) else {}


@socketio.on("polls:answer")
def on_answer(data):
    """Participant: answer a poll; answering again replaces the answer."""
    live, voter = voter_session()
    ok, error, message, poll = submit_answer(live, _payload(data), voter)
    if poll is None:
        return {"ok": False, "error": error, "message": message}
    with broadcasting():
        html = render_template(
            "polls/_phone.html",
            **phone_context(live, poll, voter, notice=message if ok else None),
        )
    return {"ok": ok, "html": html} if ok else {"ok": False, "error": error, "message": message}


def _trainer(action: str, data) -> dict:
    live = moderated_session()
    payload = _payload(data)
    try:
        poll = apply_action(live, payload.get("poll_id"), action, payload)
    except services.PollError as exc:
        raise EventError(exc.code, str(exc)) from exc
    db.session.commit()
    push_poll(live, poll, phones=action in ("close", "reopen"))
    return {"ok": True, "poll_id": poll.id, "open": poll.is_open}


@socketio.on("polls:close")
def on_close(data):
    """Trainer: close a poll; hidden results are revealed on the projector."""
    return _trainer("close", data)


@socketio.on("polls:reopen")
def on_reopen(data):
    """Trainer: open a closed poll again."""
    return _trainer("reopen", data)


@socketio.on("polls:approve")
def on_approve(data):
    """Trainer: approve a free answer (then it can be shown)."""
    return _trainer("approve", data)


@socketio.on("polls:reject")
def on_reject(data):
    """Trainer: reject a free answer."""
    return _trainer("reject", data)
