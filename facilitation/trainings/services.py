"""Trainings and who may work on them."""

from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from .models import ROLES, Training, TrainingMember

TITLE_MAX = 200


class TrainingError(ValueError):
    """A rule was broken; the message is already translated."""


def create_training(
    owner: User, title: str, description: str = "", language: str = "fi"
) -> Training:
    title = title.strip()
    if not title:
        raise TrainingError(_("Give the training a title."))
    if len(title) > TITLE_MAX:
        raise TrainingError(_("The title can be at most %(n)d characters long.", n=TITLE_MAX))
    training = Training(title=title, description=description.strip(), language=language)
    training.members.append(TrainingMember(user=owner, role="owner"))
    db.session.add(training)
    db.session.flush()
    return training


def add_member(training: Training, user: User, role: str) -> TrainingMember:
    if role not in ROLES:
        raise TrainingError(_("Unknown role."))
    member = TrainingMember(training=training, user=user, role=role)
    db.session.add(member)
    db.session.flush()
    return member


def trainings_for(user: User) -> list[Training]:
    return list(
        db.session.scalars(
            select(Training)
            .join(TrainingMember)
            .where(TrainingMember.user_id == user.id)
            .order_by(Training.created_at.desc())
        )
    )


def is_member(user, training_id: int) -> bool:
    """May this user see and run the training? Anonymous users never may."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(TrainingMember.id).where(
                TrainingMember.training_id == training_id, TrainingMember.user_id == user.id
            )
        )
        is not None
    )
