"""Organiser: the training's budget and how the partners share it."""

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.utils import secure_filename

from ..extensions import db
from ..htmx import refuse
from ..trainings.access import can_edit, editable_or_403, is_organiser, training_or_404
from ..trainings.models import Training
from ..trainings.services import TrainingError
from . import bp, coffee, export, services


def _training(training_id: int, edit: bool = False) -> Training:
    return editable_or_403(training_id) if edit else training_or_404(training_id)


def _page(training, status=200, **state):
    estimate = coffee.estimate(training)
    if not is_organiser(training):
        estimate = estimate.without_notes()  # a trainer sees how many, not what
    return render_template(
        "budget/page.html",
        training=training,
        lines=services.lines_of(training),
        speaker_costs=services.speaker_costs(training),
        totals=services.totals(training),
        coffee=estimate,
        can_edit=can_edit(training),
        **state,
    ), status


def _typed(form) -> dict:
    """What was typed into a cost line form, for showing it again."""
    return {**form.to_dict(), "partners": form.getlist("partners")}


def _budget_url(training, **anchor) -> str:
    return url_for("budget.manage_budget", training_id=training.id, **anchor)


def _saved(change, refused, message, back: str):
    """Commit a service change and go back with ``message`` (a text, or a
    function of what ``change`` returned); on bad input roll back and return
    ``refused(error)``: the page again, with the reason and what was typed."""
    try:
        result = change()
    except TrainingError as exc:
        db.session.rollback()
        return refused(str(exc))
    db.session.commit()
    flash(message(result) if callable(message) else message, "success")
    return redirect(back)


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
    return _saved(
        lambda: services.save_line(training, request.form),
        lambda error: _page(training, 422, error=error, values=_typed(request.form)),
        _("Cost line added."),
        _budget_url(training),
    )


@bp.post("/<int:training_id>/budget/<int:line_id>")
@login_required
def manage_budget_edit(training_id: int, line_id: int):
    """Organiser: change a cost line (amounts, description, who shares it and how)."""
    training = _training(training_id, edit=True)
    try:
        line = services.get_line(training, line_id)
    except TrainingError as exc:
        return refuse(str(exc), 404, _budget_url(training))
    return _saved(
        lambda: services.save_line(training, request.form, line),
        lambda error: _page(
            training, 422, edit_id=line_id, edit_error=error, edit_values=_typed(request.form)
        ),
        _("Cost line saved."),
        _budget_url(training, _anchor=f"line-{line_id}"),
    )


@bp.post("/<int:training_id>/budget/<int:line_id>/delete")
@login_required
def manage_budget_delete(training_id: int, line_id: int):
    """Organiser: remove a cost line."""
    training = _training(training_id, edit=True)
    try:
        db.session.delete(services.get_line(training, line_id))
    except TrainingError as exc:
        return refuse(str(exc), 404, _budget_url(training))
    db.session.commit()
    flash(_("Cost line removed."), "success")
    return redirect(_budget_url(training))


EXPORTS = {
    "csv": (export.to_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        export.to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@bp.get("/<int:training_id>/budget.<fmt>")
@login_required
def manage_budget_export(training_id: int, fmt: str):
    """Organiser: download the budget as CSV (Finnish Excel) or XLSX."""
    training = _training(training_id)
    if fmt not in EXPORTS:
        abort(404)
    build, mimetype = EXPORTS[fmt]
    name = f"{secure_filename(training.title) or 'training'}-budget.{fmt}"
    return send_file(
        io.BytesIO(build(training)), mimetype=mimetype, as_attachment=True, download_name=name
    )


# --- coffee ----------------------------------------------------------------


@bp.post("/<int:training_id>/budget/coffee")
@login_required
def manage_coffee_settings(training_id: int):
    """Organiser: the coffee price per person and serving, and servings per person."""
    training = _training(training_id, edit=True)
    return _saved(
        lambda: coffee.save_settings(training, request.form),
        lambda error: _page(training, 422, coffee_error=error, coffee_values=request.form),
        _("Coffee settings saved."),
        _budget_url(training, _anchor="coffee"),
    )


def _applied(result) -> str:
    outcome = result[1]
    if outcome == "created":
        return _("A coffee line shared equally by all partners was added.")
    if outcome == "first_of_several":
        return _("There are several coffee lines: the estimate went to the first one.")
    return _("The coffee line's estimate was updated.")


@bp.post("/<int:training_id>/budget/coffee/apply")
@login_required
def manage_coffee_apply(training_id: int):
    """Organiser: make the coffee estimate the coffee line's estimated amount."""
    training = _training(training_id, edit=True)
    return _saved(
        lambda: coffee.apply_estimate(training),
        lambda error: _page(training, 422, coffee_error=error),
        _applied,
        _budget_url(training),
    )


# --- speakers --------------------------------------------------------------


def _speakers_page(training, status=200, **state):
    return render_template(
        "budget/speakers.html",
        training=training,
        speakers=services.speakers_of(training),
        linked=services.speaker_steps(training),
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
    return _saved(
        lambda: services.save_speaker(training, request.form),
        lambda error: _speakers_page(training, 422, error=error, values=request.form),
        _("Speaker added."),
        url_for("budget.manage_speakers", training_id=training.id),
    )


@bp.post("/<int:training_id>/speakers/<int:speaker_id>")
@login_required
def manage_speaker_edit(training_id: int, speaker_id: int):
    """Organiser: update a speaker (confirmed or declined, fee, travel)."""
    training = _training(training_id, edit=True)
    return _saved(
        lambda: services.save_speaker(
            training, request.form, services.get_speaker(training, speaker_id)
        ),
        lambda error: _speakers_page(
            training, 422, error=error, edit_id=speaker_id, values=request.form
        ),
        _("Speaker saved."),
        url_for("budget.manage_speakers", training_id=training.id),
    )


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
