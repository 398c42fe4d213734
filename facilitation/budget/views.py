"""Organiser: the training's budget and how the partners share it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..extensions import db
from ..htmx import refuse
from ..trainings.access import can_edit, editable_or_403, training_or_404
from ..trainings.models import Training
from ..trainings.services import TrainingError
from . import bp, services


def _training(training_id: int, edit: bool = False) -> Training:
    return editable_or_403(training_id) if edit else training_or_404(training_id)


def _page(training, status=200, **state):
    return render_template(
        "budget/page.html",
        training=training,
        lines=services.lines_of(training),
        speaker_costs=services.speaker_costs(training),
        totals=services.totals(training),
        can_edit=can_edit(training),
        **state,
    ), status


@bp.get("/<int:training_id>/budget")
@login_required
def manage_budget(training_id: int):
    """Organiser: cost lines, the split rules and each partner's share."""
    return _page(_training(training_id))


@bp.post("/<int:training_id>/budget")
@login_required
def manage_budget_add(training_id: int):
    """Organiser: add a cost line with its split rule."""
    training = _training(training_id, edit=True)
    try:
        services.save_line(training, request.form)
    except TrainingError as exc:
        db.session.rollback()
        return _page(training, 400, error=str(exc), values=request.form)
    db.session.commit()
    flash(_("Cost line added."), "success")
    return redirect(url_for("budget.manage_budget", training_id=training.id))


@bp.post("/<int:training_id>/budget/<int:line_id>/delete")
@login_required
def manage_budget_delete(training_id: int, line_id: int):
    """Organiser: remove a cost line."""
    training = _training(training_id, edit=True)
    try:
        db.session.delete(services.get_line(training, line_id))
    except TrainingError as exc:
        return refuse(str(exc), 404, url_for("budget.manage_budget", training_id=training.id))
    db.session.commit()
    flash(_("Cost line removed."), "success")
    return redirect(url_for("budget.manage_budget", training_id=training.id))


# --- speakers --------------------------------------------------------------


def _speakers_page(training, status=200, **state):
    return render_template(
        "budget/speakers.html",
        training=training,
        speakers=services.speakers_of(training),
        can_edit=can_edit(training),
        **state,
    ), status


@bp.get("/<int:training_id>/speakers")
@login_required
def manage_speakers(training_id: int):
    """Organiser: invited speakers, their answers, fees and travel."""
    return _speakers_page(_training(training_id))


@bp.post("/<int:training_id>/speakers")
@login_required
def manage_speaker_add(training_id: int):
    """Organiser: add an invited speaker."""
    training = _training(training_id, edit=True)
    try:
        services.save_speaker(training, request.form)
    except TrainingError as exc:
        db.session.rollback()
        return _speakers_page(training, 400, error=str(exc), values=request.form)
    db.session.commit()
    flash(_("Speaker added."), "success")
    return redirect(url_for("budget.manage_speakers", training_id=training.id))


@bp.post("/<int:training_id>/speakers/<int:speaker_id>")
@login_required
def manage_speaker_edit(training_id: int, speaker_id: int):
    """Organiser: update a speaker (confirmed or declined, fee, travel)."""
    training = _training(training_id, edit=True)
    try:
        services.save_speaker(training, request.form, services.get_speaker(training, speaker_id))
    except TrainingError as exc:
        db.session.rollback()
        return _speakers_page(
            training, 400, error=str(exc), edit_id=speaker_id, values=request.form
        )
    db.session.commit()
    flash(_("Speaker saved."), "success")
    return redirect(url_for("budget.manage_speakers", training_id=training.id))


@bp.post("/<int:training_id>/speakers/<int:speaker_id>/delete")
@login_required
def manage_speaker_delete(training_id: int, speaker_id: int):
    """Organiser: remove a speaker."""
    training = _training(training_id, edit=True)
    try:
        db.session.delete(services.get_speaker(training, speaker_id))
    except TrainingError as exc:
        return refuse(str(exc), 404, url_for("budget.manage_speakers", training_id=training.id))
    db.session.commit()
    flash(_("Speaker removed."), "success")
    return redirect(url_for("budget.manage_speakers", training_id=training.id))
