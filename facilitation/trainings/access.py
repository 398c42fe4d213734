"""Loading a training for a request and checking who may see or change it."""

from flask import abort
from flask_login import current_user

from ..extensions import db
from .models import Training
from .services import is_member, role_of

EDITORS = ("owner", "co_organiser")
# Who sees registrants' personal data (names, e-mails, organisations, diet
# notes, accessibility needs): the organisers, the same roles as EDITORS. A
# trainer, often an external speaker, sees only counts.
ORGANISERS = EDITORS


def training_or_404(training_id: int) -> Training:
    training = db.session.get(Training, training_id)
    # 404 rather than 403: a stranger learns nothing about other trainings.
    if training is None or not is_member(current_user, training.id):
        abort(404)
    return training


def editable_or_403(training_id: int) -> Training:
    """For changes: owners and co-organisers; a trainer may only look."""
    training = training_or_404(training_id)
    if role_of(current_user, training) not in EDITORS:
        abort(403)
    return training


def organiser_or_403(training_id: int) -> Training:
    """For registrants' personal data: owners and co-organisers; a trainer
    gets 403, a stranger 404."""
    training = training_or_404(training_id)
    if not is_organiser(training):
        abort(403)
    return training


def session_or_404(training: Training, session_id: int):
    """A live session of this training (open or closed), or 404."""
    from ..live.services import get_session_of

    live = get_session_of(training, session_id)
    if live is None:
        abort(404)
    return live


def can_edit(training: Training) -> bool:
    return role_of(current_user, training) in EDITORS


def is_organiser(training: Training) -> bool:
    """May the current user see registrants' personal data of this training?"""
    return role_of(current_user, training) in ORGANISERS
