"""Trainer: run the agenda and edit it (HTTP; the run actions also go over the socket)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..budget import services as budget_services
from ..extensions import db
from ..htmx import fragment, refuse, wants_fragment
from ..live.access import run_session_or_404
from ..live.models import LiveSession
from ..polls import services as poll_services
from ..trainings.models import Training, TrainingMember
from . import bp, services
from .broadcasts import push_agenda, timer_context
from .models import STEP_KINDS

STEP_FIELDS = (
    "kind",
    "title",
    "planned_minutes",
    "content",
    "links",
    "notes",
    "speaker",
    "speaker_id",
)


@bp.post("/c/<code>/run/<action>")
@login_required
def control_run(code: str, action: str):
    """Trainer: start, next, previous, go to, pause, continue, +/- minutes, join overlay."""
    live = run_session_or_404(code)
    if action not in services.RUN_ACTIONS:
        abort(404)
    try:
        services.run(live, action, request.form)
    except services.AgendaError as exc:
        db.session.rollback()
        status = _status(exc)
        if wants_fragment():
            # The message, and this screen's run panel brought up to date.
            return fragment(
                "core/_flash_error.html",
                "agenda/_run.html",
                status=status,
                message=str(exc),
                oob=True,
                **_run_context(live),
            )
        return refuse(str(exc), status, _control(live))
    db.session.commit()
    push_agenda(live)
    if wants_fragment():
        return fragment("agenda/_run.html", oob=True, **_run_context(live))
    return redirect(_control(live))


def _status(exc: services.AgendaError) -> int:
    """409 for a change made on a stale screen, 422 for a speaker who is not
    on the training's list, 400 for other bad input."""
    return {"stale": 409, "unknown_speaker": 422}.get(exc.code, 400)


def _control(live) -> str:
    return url_for("live.control_page", code=live.code)


def _run_context(live) -> dict:
    return {"live": live, "steps": services.steps_of(live), **timer_context(live)}


# --- editing ---------------------------------------------------------------


def _other_sessions(live) -> list[LiveSession]:
    """Sessions of trainings this user belongs to, to copy an agenda from."""
    return list(
        db.session.scalars(
            select(LiveSession)
            .join(Training)
            .join(TrainingMember)
            .where(TrainingMember.user_id == current_user.id, LiveSession.id != live.id)
            .order_by(LiveSession.created_at.desc())
        )
    )


def _edit_page(live, status=200, **state):
    return (
        render_template(
            "agenda/edit.html",
            live=live,
            steps=services.steps_of(live),
            kinds=STEP_KINDS,
            polls={p.step_id: p for p in poll_services.polls_of(live)},
            speakers=budget_services.speakers_of(live.training),
            sources=_other_sessions(live),
            **state,
        ),
        status,
    )


@bp.get("/c/<code>/agenda")
@login_required
def manage_agenda(code: str):
    """Trainer: the agenda editor (before and during the session)."""
    return _edit_page(run_session_or_404(code))


def _fields() -> dict:
    # A form without the speaker select (an older page) keeps the linked speaker.
    return {
        name: request.form.get(name, "")
        for name in STEP_FIELDS
        if name != "speaker_id" or name in request.form
    }


def _after_edit(live, message: str):
    db.session.commit()
    push_agenda(live)
    flash(message, "success")
    return redirect(url_for("agenda.manage_agenda", code=live.code))


@bp.post("/c/<code>/agenda/steps")
@login_required
def manage_step_add(code: str):
    """Trainer: add a step at the end of the agenda."""
    live = run_session_or_404(code)
    try:
        services.add_step(live, version=request.form.get("version"), **_fields())
    except services.AgendaError as exc:
        db.session.rollback()
        # Keep what was typed: the form comes back filled in with the reason.
        return _edit_page(live, _status(exc), new_error=str(exc), new_values=_fields())
    return _after_edit(live, _("Step added."))


@bp.post("/c/<code>/agenda/steps/<int:step_id>")
@login_required
def manage_step_edit(code: str, step_id: int):
    """Trainer: save changes to one step."""
    live = run_session_or_404(code)
    try:
        services.update_step(live, step_id, version=request.form.get("version"), **_fields())
    except services.AgendaError as exc:
        db.session.rollback()
        return _edit_page(
            live,
            _status(exc),
            edit_id=step_id,
            edit_error=str(exc),
            edit_values=_fields(),
        )
    return _after_edit(live, _("Step saved."))


@bp.post("/c/<code>/agenda/steps/<int:step_id>/move")
@login_required
def manage_step_move(code: str, step_id: int):
    """Trainer: move a step up or down."""
    live = run_session_or_404(code)
    try:
        services.move_step(
            live, step_id, request.form.get("direction", ""), request.form.get("version")
        )
    except services.AgendaError as exc:
        db.session.rollback()
        return refuse(str(exc), _status(exc), url_for("agenda.manage_agenda", code=live.code))
    return _after_edit(live, _("Step moved."))


@bp.post("/c/<code>/agenda/steps/<int:step_id>/delete")
@login_required
def manage_step_delete(code: str, step_id: int):
    """Trainer: remove a step."""
    live = run_session_or_404(code)
    try:
        services.remove_step(live, step_id, request.form.get("version"))
    except services.AgendaError as exc:
        db.session.rollback()
        return refuse(str(exc), _status(exc), url_for("agenda.manage_agenda", code=live.code))
    return _after_edit(live, _("Step removed."))


@bp.post("/c/<code>/agenda/copy")
@login_required
def manage_agenda_copy(code: str):
    """Trainer: append the agenda of another session (of a training they belong to)."""
    live = run_session_or_404(code)
    source_id = request.form.get("source", type=int)
    source = next((s for s in _other_sessions(live) if s.id == source_id), None)
    if source is None:
        return refuse(
            _("Choose a session to copy from."),
            400,
            url_for("agenda.manage_agenda", code=live.code),
        )
    try:
        copied = services.copy_steps(source, live, request.form.get("version"))
    except services.AgendaError as exc:
        db.session.rollback()
        return refuse(str(exc), _status(exc), url_for("agenda.manage_agenda", code=live.code))
    return _after_edit(live, _("%(n)d steps copied.", n=copied))
