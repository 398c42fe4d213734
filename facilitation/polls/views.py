"""HTTP routes for polls: answering without JavaScript, trainer actions, poll editing."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..agenda import services as agenda_services
from ..extensions import db
from ..htmx import fragment, refuse, wants_fragment
from ..live.access import open_session_or_404, run_session_or_404
from ..live.participants import RequestVoter
from . import bp, services
from .broadcasts import push_poll, results_context


def answer_value(poll, data):
    """The answer from a form or a socket payload, by kind."""
    if poll.kind == "multiple":
        if hasattr(data, "getlist"):
            return data.getlist("value")
        return data.get("value")
    return data.get("value")


def phone_context(live, poll, voter, **state) -> dict:
    return {
        "live": live,
        "mine": services.my_answer(poll, voter),
        **results_context(poll),
        **state,
    }


def submit_answer(live, data, voter):
    """Shared by HTTP and socket: returns (ok, code, message, poll or None)."""
    try:
        poll = services.get_poll(live, data.get("poll_id"))
        services.answer(live, poll.id, voter, answer_value(poll, data))
    except services.PollError as exc:
        db.session.rollback()
        return False, exc.code, str(exc), None
    db.session.commit()
    push_poll(live, poll)
    if poll.kind == "free":
        return (
            True,
            None,
            _("Thank you! The trainer reads the answers before they are shown."),
            poll,
        )
    return True, None, _("Thank you! Your answer was saved. You can still change it."), poll


@bp.post("/j/<code>/polls/<int:poll_id>")
def participant_answer(code: str, poll_id: int):
    """Participant: answer a poll (plain form or htmx); answering again replaces it."""
    live = open_session_or_404(code)
    voter = RequestVoter.required(live)
    data = request.form.copy()
    data["poll_id"] = str(poll_id)
    ok, error, message, poll = submit_answer(live, data, voter.hash)
    if poll is None and error == "not_found":
        return refuse(message, 404, url_for("live.participant_page", code=live.code))
    poll = poll or services.get_poll(live, poll_id)
    if wants_fragment():
        response = fragment(
            "polls/_phone.html",
            status=200 if ok else 400,
            **phone_context(
                live,
                poll,
                voter.hash,
                notice=message if ok else None,
                error=None if ok else message,
            ),
        )
    else:
        flash(message, "success" if ok else "error")
        response = redirect(
            url_for("live.participant_page", code=live.code, _anchor=f"poll-{poll_id}")
        )
    return voter.keep(response)


@bp.post("/c/<code>/polls/<int:poll_id>/<action>")
@login_required
def control_poll_action(code: str, poll_id: int, action: str):
    """Trainer: close or reopen a poll; approve or reject a free answer."""
    live = run_session_or_404(code)
    try:
        poll = apply_action(live, poll_id, action, request.form)
    except services.PollError as exc:
        db.session.rollback()
        return refuse(str(exc), 400, url_for("live.control_page", code=live.code))
    db.session.commit()
    push_poll(live, poll, phones=action in ("close", "reopen"))
    if wants_fragment():
        return fragment(
            "polls/_control.html",
            live=live,
            oob=True,
            pending_answers=services.pending_answers(poll),
            **results_context(poll),
        )
    return redirect(url_for("live.control_page", code=live.code))


def apply_action(live, poll_id, action: str, data):
    """One trainer action on a poll by name (shared by HTTP and socket)."""
    if action == "close":
        return services.close(live, poll_id)
    if action == "reopen":
        return services.reopen(live, poll_id)
    if action in ("approve", "reject"):
        row = services.moderate_answer(live, data.get("answer_id"), action == "approve")
        return services.get_poll(live, row.poll_id)
    raise services.PollError(_("Unknown action."))


@bp.post("/c/<code>/agenda/steps/<int:step_id>/poll")
@login_required
def manage_poll_save(code: str, step_id: int):
    """Trainer: create or change the poll of an agenda step."""
    from ..agenda.broadcasts import push_agenda  # the agenda's stage shows polls

    live = run_session_or_404(code)
    back = url_for("agenda.manage_agenda", code=live.code, _anchor=f"step-{step_id}")
    try:
        step = agenda_services.get_step(live, step_id)
        services.save_poll(
            live,
            step,
            hide_results=request.form.get("hide_results") == "1",
            kind=request.form.get("kind", ""),
            question=request.form.get("question", ""),
            options_text=request.form.get("options", ""),
            scale_low=request.form.get("scale_low", ""),
            scale_high=request.form.get("scale_high", ""),
        )
    except (services.PollError, agenda_services.AgendaError) as exc:
        db.session.rollback()
        return refuse(str(exc), 400, back)
    live.agenda_version += 1
    db.session.commit()
    push_agenda(live)
    flash(_("Poll saved."), "success")
    return redirect(back)
