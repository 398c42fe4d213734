"""Every area's models, imported so that the metadata (and Alembic) sees them all."""

from .accounts.models import User
from .agenda.models import AgendaStep, StepRun
from .live.models import LiveSession
from .questions.models import Question, QuestionVote
from .trainings.models import Training, TrainingMember

__all__ = [
    "AgendaStep",
    "LiveSession",
    "Question",
    "QuestionVote",
    "StepRun",
    "Training",
    "TrainingMember",
    "User",
]
