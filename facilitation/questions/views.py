"""HTTP routes for questions: the no-JavaScript and htmx paths beside the socket."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..extensions import db
from ..htmx import fragment, refuse, wants_fragment
from ..live.access import open_session_or_404, run_session_or_404
from ..live.participants import RequestVoter, my_votes
from . import bp, services
from .broadcasts import push_questions
from .forms import new_client_id


def ask_notice(question) -> str:
    if question.status == "pending":
        return _("Thank you! Your question will appear once the trainer has approved it.")
    return _("Thank you! Your question has been posted.")


@bp.post("/j/<code>/ask")
def participant_ask(code: str):
    """Participant: post a question by plain form or htmx (when the socket is down)."""
    from ..live.views import participant_response

    live = open_session_or_404(code)
    body = request.form.get("body", "")
    client_id = request.form.get("client_id", "")
    try:
        result = services.ask(live, body, client_id)
    except services.QuestionError as exc:
        db.session.rollback()
        # A malformed client id would fail again: the re-rendered form gets a fresh one.
        fresh_id = exc.code == "client_id" or not client_id
        state = {
            "body": body,
            "client_id": new_client_id() if fresh_id else client_id,
            "error": str(exc),
        }
        if wants_fragment():
            return fragment("questions/_ask_form.html", status=400, live=live, **state)
        return participant_response(live, status=400, **state)
    db.session.commit()
    if result.created:
        push_questions(live, result.question.id)
    notice = ask_notice(result.question)
    if wants_fragment():
        return fragment(
            "questions/_ask_form.html", live=live, client_id=new_client_id(), notice=notice
        )
    flash(notice, "success")
    return redirect(url_for("live.participant_page", code=live.code))


@bp.post("/j/<code>/questions/<int:question_id>/vote")
def participant_vote(code: str, question_id: int):
    """Participant: upvote or take back, by plain form or htmx."""
    live = open_session_or_404(code)
    voter = RequestVoter.required(live)
    try:
        services.toggle_vote(live, question_id, voter.hash)
    except services.QuestionError as exc:
        db.session.rollback()
        return refuse(str(exc), 404, url_for("live.participant_page", code=live.code))
    db.session.commit()
    push_questions(live, question_id, votes_only=True)
    if wants_fragment():
        response = fragment(
            "live/_my_votes.html",
            "questions/_list.html",
            live=live,
            oob=True,
            **my_votes(live, voter.hash),
            questions=services.visible_questions(live),
            audience="participant",
        )
    else:
        response = redirect(
            url_for("live.participant_page", code=live.code, _anchor=f"question-{question_id}")
        )
    return voter.keep(response)


@bp.post("/c/<code>/questions/<int:question_id>/<action>")
@login_required
def control_question_action(code: str, question_id: int, action: str):
    """Trainer: hide, show (approve), answer or pin a question."""
    live = run_session_or_404(code)
    try:
        changed = services.moderate(live, action, question_id, request.form.get("value"))
    except services.QuestionError as exc:
        db.session.rollback()
        return refuse(str(exc), 400, url_for("live.control_page", code=live.code))
    db.session.commit()
    push_questions(live, *(q.id for q in changed))
    if wants_fragment():
        return fragment(
            "questions/_list.html",
            "questions/_pending.html",
            live=live,
            oob=True,
            questions=services.moderated_questions(live),
            pending=services.pending_questions(live),
            audience="moderator",
        )
    return redirect(url_for("live.control_page", code=live.code))
