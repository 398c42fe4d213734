"""Socket.IO handlers for questions: thin, the same shape as views.py."""

from flask import render_template

from ..extensions import db, socketio
from ..live.events import EventError, moderated_session, participant_session, voter_session
from ..live.participants import my_votes
from ..realtime import broadcasting
from . import services
from .broadcasts import push_questions
from .forms import new_client_id
from .views import ask_notice


def _payload(data) -> dict:
    return data if isinstance(data, dict) else {}


@socketio.on("questions:ask")
def on_ask(data):
    """Participant: post a question. Ack carries the re-rendered ask form."""
    live, _info = participant_session()
    data = _payload(data)
    body, client_id = data.get("body"), data.get("client_id")
    try:
        result = services.ask(live, body, client_id)
    except services.QuestionError as exc:
        db.session.rollback()
        with broadcasting():
            html = render_template(
                "questions/_ask_form.html",
                live=live,
                client_id=client_id if exc.code != "client_id" else new_client_id(),
                body=body if isinstance(body, str) else "",
                error=str(exc),
            )
        return {"ok": False, "error": exc.code, "message": str(exc), "html": html}
    db.session.commit()
    if result.created:
        push_questions(live, result.question.id)
    question = result.question
    with broadcasting():
        html = render_template(
            "questions/_ask_form.html",
            live=live,
            client_id=new_client_id(),
            notice=ask_notice(question),
        )
    return {
        "ok": True,
        "id": question.id,
        "status": question.status,
        "duplicate": not result.created,
        "html": html,
    }


@socketio.on("questions:vote")
def on_vote(data):
    """Participant: upvote a question, or take the vote back."""
    live, voter = voter_session()
    question_id = _payload(data).get("question_id")
    try:
        voted = services.toggle_vote(live, question_id, voter)
    except services.QuestionError as exc:
        raise EventError(exc.code, str(exc)) from exc
    db.session.commit()
    push_questions(live, question_id, votes_only=True)
    with broadcasting():
        html = render_template("live/_my_votes.html", **my_votes(live, voter))
    return {"ok": True, "voted": voted, "html": html}


def _moderate(action: str, data) -> dict:
    live = moderated_session()
    try:
        payload = _payload(data)
        changed = services.moderate(live, action, payload.get("question_id"), payload.get("value"))
    except services.QuestionError as exc:
        raise EventError(exc.code, str(exc)) from exc
    db.session.commit()
    push_questions(live, *(q.id for q in changed))
    question = changed[0]
    return {
        "ok": True,
        "id": question.id,
        "status": question.status,
        "answered": question.answered,
        "pinned": question.pinned,
    }


@socketio.on("questions:hide")
def on_hide(data):
    """Trainer: hide a question (or reject a pending one)."""
    return _moderate("hide", data)


@socketio.on("questions:show")
def on_show(data):
    """Trainer: approve a pending question or show a hidden one again."""
    return _moderate("show", data)


@socketio.on("questions:answer")
def on_answer(data):
    """Trainer: mark a question answered, or open again."""
    return _moderate("answer", data)


@socketio.on("questions:pin")
def on_pin(data):
    """Trainer: pin a question to the projector, or unpin it."""
    return _moderate("pin", data)
