"""Self-assessment and feedback: phones answer (plain forms or htmx), and
organisers read and moderate the feedback."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..agenda.models import AgendaStep
from ..extensions import db
from ..htmx import fragment, refuse, wants_fragment
from ..live.access import open_session_or_404
from ..live.participants import RequestVoter
from ..live.services import in_session
from ..trainings.access import editable_or_403, session_or_404, training_or_404
from . import bp, services
from .broadcasts import push_count

TEMPLATES = {
    "self_assessment": "assessments/_phone_assessment.html",
    "feedback": "assessments/_phone_feedback.html",
}


def ratings_from(data) -> dict:
    """{"0": "4", ...} from the form fields rating-0, rating-1..."""
    return {
        key.removeprefix("rating-"): value
        for key, value in data.items()
        if key.startswith("rating-") and not isinstance(value, list)
    }


def phone_context(live, step, voter_hash: str, **state) -> dict:
    context = {"live": live, "step": step, **state}
    if step.kind == "self_assessment":
        context["statements"] = services.statements_of(step)
        context["mine"] = services.my_assessment(step, voter_hash)
    else:
        context["mine"] = services.my_feedback(step, voter_hash)
    return context


def submit(live, kind: str, data, voter_hash: str):
    """Shared by HTTP and socket: (ok, code, message, step or None)."""
    step_id = data.get("step_id")
    try:
        if kind == "self_assessment":
            services.answer_assessment(live, step_id, voter_hash, ratings_from(data))
            message = _("Thank you! Your answers were saved. You can still change them.")
        else:
            row = services.answer_feedback(live, step_id, voter_hash, data)
            message = (
                _("Thank you! The trainer reads the written feedback before anyone else sees it.")
                if row.status == "pending"
                else _("Thank you for your feedback!")
            )
    except services.AssessmentError as exc:
        db.session.rollback()
        step = in_session(AgendaStep, live, step_id)
        return False, exc.code, str(exc), step if step and step.kind == kind else None
    db.session.commit()
    step = in_session(AgendaStep, live, step_id)
    push_count(live, step)
    return True, None, message, step


def _answer(code: str, step_id: int, kind: str):
    live = open_session_or_404(code)
    voter = RequestVoter.required(live)
    data = request.form.copy()
    data["step_id"] = str(step_id)
    ok, error, message, step = submit(live, kind, data, voter.hash)
    back = url_for("live.participant_page", code=live.code)
    if step is None:
        return voter.keep(refuse(message, 404 if error == "not_found" else 400, back))
    if wants_fragment():
        response = fragment(
            TEMPLATES[kind],
            status=200 if ok else 400,
            **phone_context(
                live,
                step,
                voter.hash,
                notice=message if ok else None,
                error=None if ok else message,
                posted=None if ok else data,
            ),
        )
    else:
        flash(message, "success" if ok else "error")
        response = redirect(url_for("live.participant_page", code=live.code))
    return voter.keep(response)


@bp.post("/j/<code>/assessment/<int:step_id>")
def participant_assess(code: str, step_id: int):
    """Participant: rate the self-assessment statements (again replaces)."""
    return _answer(code, step_id, "self_assessment")


@bp.post("/j/<code>/feedback/<int:step_id>")
def participant_feedback(code: str, step_id: int):
    """Participant: give feedback (again replaces)."""
    return _answer(code, step_id, "feedback")


# --- organisers ------------------------------------------------------------


@bp.get("/trainings/<int:training_id>/sessions/<int:session_id>/feedback")
@login_required
def manage_feedback(training_id: int, session_id: int):
    """Organiser or trainer: the session's feedback, to approve or reject."""
    training = training_or_404(training_id)
    live = session_or_404(training, session_id)
    ratings = services.rating_counts(live)
    total = sum(ratings.values())
    return render_template(
        "assessments/feedback.html",
        total=total,
        average=sum(n * count for n, count in ratings.items()) / total if total else None,
        training=training,
        live=live,
        pending=services.feedback_of(live, "pending"),
        approved=services.feedback_of(live, "approved"),
        rejected=services.feedback_of(live, "rejected"),
        ratings=ratings,
    )


@bp.post("/trainings/<int:training_id>/sessions/<int:session_id>/feedback/<int:feedback_id>")
@login_required
def manage_feedback_moderate(training_id: int, session_id: int, feedback_id: int):
    """Organiser: approve or reject written feedback."""
    training = editable_or_403(training_id)
    live = session_or_404(training, session_id)
    back = url_for("assessments.manage_feedback", training_id=training.id, session_id=live.id)
    try:
        services.moderate_feedback(live, feedback_id, request.form.get("status", ""))
    except services.AssessmentError as exc:
        db.session.rollback()
        return refuse(str(exc), 404 if exc.code == "not_found" else 400, back)
    db.session.commit()
    return redirect(back)
