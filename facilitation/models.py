"""Every area's models, imported so that the metadata (and Alembic) sees them all."""

from .accounts.models import User
from .agenda.models import AgendaStep, StepRun
from .assessments.models import AssessmentAnswer, FeedbackAnswer
from .budget.models import CostLine, CostShare, Speaker
from .cases.models import CaseStory, StoryVote
from .followup.models import Material
from .live.models import LiveSession
from .modules.models import Module
from .polls.models import Poll, PollAnswer
from .questions.models import Question, QuestionVote
from .registration.models import Registration
from .retention.models import PurgeRecord
from .trainings.models import Partner, PlanningTask, Training, TrainingMember

__all__ = [
    "AgendaStep",
    "AssessmentAnswer",
    "FeedbackAnswer",
    "Material",
    "PurgeRecord",
    "CaseStory",
    "CostLine",
    "CostShare",
    "StoryVote",
    "LiveSession",
    "Module",
    "Partner",
    "PlanningTask",
    "Poll",
    "PollAnswer",
    "Question",
    "QuestionVote",
    "Registration",
    "Speaker",
    "StepRun",
    "Training",
    "TrainingMember",
    "User",
]
