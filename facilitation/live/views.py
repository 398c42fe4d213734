"""The three live pages: phone, projector, trainer control."""

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..agenda.broadcasts import phone_stage_context, stage_context, timer_context
from ..agenda.services import steps_of
from ..assessments import services as assessment_services
from ..cases import services as case_services
from ..extensions import db, limiter
from ..htmx import fragment, wants_fragment
from ..polls import services as poll_services
from ..questions import services as question_services
from ..questions.forms import new_client_id
from . import bp, presence
from .access import open_session_or_404, run_session_or_404
from .broadcasts import push_moderation
from .links import join_url
from .participants import RequestVoter, my_votes, token_from_request
from .services import LiveError, set_moderation


def participant_response(live, status: int = 200, issue: bool = False, **form_state):
    """The full phone page; form_state keeps what was typed after an error.

    ``issue``: the join page itself, which alone hands out participant tokens.
    """
    voter = RequestVoter(live, issue=issue)
    form_state.setdefault("client_id", new_client_id())
    stage = phone_stage_context(live)
    step = stage["step"]
    # This phone's own answers, so a reload shows what it chose (none yet
    # without a token).
    if stage["poll"] is not None and voter.hash:
        stage["mine"] = poll_services.my_answer(stage["poll"], voter.hash)
    if step is not None and step.kind == "self_assessment" and voter.hash:
        stage["my_assessment"] = assessment_services.my_assessment(step, voter.hash)
    elif step is not None and step.kind == "feedback" and voter.hash:
        stage["my_feedback"] = assessment_services.my_feedback(step, voter.hash)
    response = make_response(
        render_template(
            "live/participant.html",
            questions=question_services.visible_questions(live),
            **my_votes(live, voter.hash),
            **stage,
            **form_state,
        ),
        status,
    )
    return voter.keep(response)


@bp.get("/j/<code>")
@limiter.limit(
    lambda: current_app.config["PARTICIPANT_JOIN_LIMIT"],
    # Only new tokens are counted: a phone reloading its page is not limited.
    exempt_when=lambda: token_from_request() is not None,
    scope="participant-join",
)
def participant_page(code: str):
    """Participant: the phone page (ask, list, upvote); works without JavaScript."""
    return participant_response(open_session_or_404(code), issue=True)


@bp.get("/p/<code>")
@login_required
def projector_page(code: str):
    """Trainer: the full-screen projector view of the current step."""
    live = run_session_or_404(code)
    return render_template("live/projector.html", **stage_context(live))


@bp.get("/c/<code>")
@login_required
def control_page(code: str):
    """Trainer: the control page (run the agenda, moderation, question actions)."""
    live = run_session_or_404(code)
    return render_template(
        "live/control.html",
        live=live,
        join_url=join_url(live),
        questions=question_services.moderated_questions(live),
        pending=question_services.pending_questions(live),
        steps=steps_of(live),
        pending_stories=case_services.pending_stories(live),
        stories=case_services.approved_stories(live),
        audience="moderator",
        connected_now=presence.connected_now(live.id, live.code),
        **timer_context(live),
    )


@bp.post("/c/<code>/moderation")
@login_required
def control_moderation(code: str):
    """Trainer: switch between 'questions appear at once' and 'approve first'."""
    live = run_session_or_404(code)
    try:
        set_moderation(live, request.form.get("mode", ""))
    except LiveError as exc:
        if wants_fragment():
            return fragment("live/_moderation.html", status=400, live=live, error=str(exc))
        flash(str(exc), "error")
        return redirect(url_for("live.control_page", code=live.code))
    db.session.commit()
    push_moderation(live)
    if wants_fragment():
        return fragment("live/_moderation.html", live=live)
    flash(_("Moderation setting saved."), "success")
    return redirect(url_for("live.control_page", code=live.code))
