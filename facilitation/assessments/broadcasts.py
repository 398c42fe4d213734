"""What the screens see of self-assessments and feedback: answer counts only."""

from ..agenda.models import AgendaStep
from ..extensions import db
from ..live.models import LiveSession
from ..realtime import coalesce, push, swap
from . import services
from .models import AssessmentAnswer, FeedbackAnswer

MODELS = {"self_assessment": AssessmentAnswer, "feedback": FeedbackAnswer}


def count_context(step: AgendaStep) -> dict:
    return {"step": step, "answer_count": services.answer_count(MODELS[step.kind], step)}


def count_piece(step: AgendaStep) -> dict:
    return swap(f"#answer-count-{step.id}", "assessments/_count.html", **count_context(step))


def push_count(live, step: AgendaStep) -> None:
    """After a committed answer: the count on the projector and control page
    (once for a burst of answers)."""
    live_id, step_id = live.id, step.id

    def job() -> None:
        current = db.session.get(LiveSession, live_id)
        current_step = db.session.get(AgendaStep, step_id)
        if current is None or current_step is None:
            return
        for audience in ("projector", "moderators"):
            push(current.code, audience, lambda: [count_piece(current_step)])

    coalesce(f"answers:{step_id}", job)
