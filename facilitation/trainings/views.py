"""Organiser: create a training and open or close its live sessions."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..live import services as live_services
from . import bp
from .models import Training
from .services import TrainingError, create_training, is_member


def _training_or_404(training_id: int) -> Training:
    training = db.session.get(Training, training_id)
    # 404 rather than 403: a stranger learns nothing about other trainings.
    if training is None or not is_member(current_user, training.id):
        abort(404)
    return training


@bp.post("/")
@login_required
def manage_training_create():
    """Organiser: create a training from the home page."""
    try:
        training = create_training(current_user, request.form.get("title", ""))
    except TrainingError as exc:
        flash(str(exc), "error")
        return redirect(url_for("core.home"))
    db.session.commit()
    flash(_("Training created."), "success")
    return redirect(url_for("trainings.manage_training_show", training_id=training.id))


@bp.get("/<int:training_id>")
@login_required
def manage_training_show(training_id: int):
    """Organiser or trainer: a training with its live sessions."""
    training = _training_or_404(training_id)
    return render_template("trainings/show.html", training=training)


@bp.post("/<int:training_id>/sessions")
@login_required
def manage_session_open(training_id: int):
    """Trainer: open a new live session with a fresh join code."""
    training = _training_or_404(training_id)
    session = live_services.open_session(training, request.form.get("title", ""))
    db.session.commit()
    flash(_("Session opened. Join code: %(code)s", code=session.code), "success")
    return redirect(url_for("trainings.manage_training_show", training_id=training.id))


@bp.post("/<int:training_id>/sessions/<int:session_id>/close")
@login_required
def manage_session_close(training_id: int, session_id: int):
    """Trainer: close a live session; its join code is freed and phones see the end."""
    training = _training_or_404(training_id)
    session = live_services.get_session_of(training, session_id)
    if session is None:
        abort(404)
    live_services.close_session(session)
    db.session.commit()
    from ..live.broadcasts import push_session_closed

    push_session_closed(session)
    flash(_("Session closed."), "success")
    return redirect(url_for("trainings.manage_training_show", training_id=training.id))
