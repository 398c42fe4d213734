"""Self-assessments and feedback: answering on the phones, moderating, figures.

No request, no emit. Answers are anonymous: a participant is only the keyed
hash of their cookie and the session (``voter_hash``), which pairs their
answers at the start and end of the session and lets them change an answer.
"""

from collections import Counter

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..agenda.models import AgendaStep
from ..extensions import db
from ..live.models import LiveSession
from ..live.services import in_session
from .models import FEEDBACK_STATUSES, AssessmentAnswer, FeedbackAnswer
from .statements import default_statements

MAX_STATEMENTS = 10
STATEMENT_MAX = 300
FEEDBACK_TEXT_MAX = 1000


class AssessmentError(ValueError):
    """Bad input or an answer that no longer fits; the message is translated."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


def statements_of(step: AgendaStep) -> list[str]:
    """A self-assessment step's statements: its content, one per line; an
    empty step asks the shipped statements in the training's language."""
    content = step.content or ""
    if not content.strip():
        live = db.session.get(LiveSession, step.session_id)
        content = default_statements(live.training.language if live else "fi")
    lines = [line.strip()[:STATEMENT_MAX] for line in content.splitlines()]
    unique = list(dict.fromkeys(line for line in lines if line))
    return unique[:MAX_STATEMENTS]


def _running_step(live, raw_step_id, kind: str) -> AgendaStep:
    step = in_session(AgendaStep, live, raw_step_id)
    if step is None or step.kind != kind:
        raise AssessmentError(_("That step no longer exists."), "not_found")
    if not live.is_open:
        raise AssessmentError(_("This session has ended."), "closed")
    if live.current_step_id != step.id:
        # A phone that missed the step change answers a step that is not on now.
        raise AssessmentError(
            _("This step is not running now. Your answer was not saved."), "not_current"
        )
    return step


def _rating(value, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            raise AssessmentError(_("Choose a number from 1 to 5."))
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise AssessmentError(_("Choose a number from 1 to 5.")) from None
    if not 1 <= number <= 5:
        raise AssessmentError(_("Choose a number from 1 to 5."))
    return number


def _upsert(model, step: AgendaStep, voter_hash: str, **values):
    """One row per participant and step; a new answer replaces the old one.
    Two taps at once from one phone: the database keeps one row."""

    def existing():
        return db.session.scalar(
            select(model).where(model.step_id == step.id, model.voter_hash == voter_hash)
        )

    row = existing()
    if row is None:
        row = model(session_id=step.session_id, step_id=step.id, voter_hash=voter_hash, **values)
        try:
            with db.session.begin_nested():
                db.session.add(row)
                db.session.flush()
            return row
        except IntegrityError:
            row = existing()
    for key, value in values.items():
        setattr(row, key, value)
    db.session.flush()
    return row


# --- self-assessment -------------------------------------------------------


def answer_assessment(live, step_id, voter_hash: str, ratings: dict) -> AssessmentAnswer:
    """``ratings``: {statement index (as given by the form): 1-5}; every
    statement must be rated, so start and end compare like with like."""
    step = _running_step(live, step_id, "self_assessment")
    statements = statements_of(step)
    cleaned = {}
    for index, statement in enumerate(statements):
        value = ratings.get(str(index), ratings.get(index))
        if value in (None, ""):
            raise AssessmentError(_("Rate every statement from 1 to 5."), "incomplete")
        cleaned[statement] = _rating(value)
    return _upsert(AssessmentAnswer, step, voter_hash, ratings=cleaned)


def my_assessment(step: AgendaStep, voter_hash: str) -> dict:
    """{statement: rating} this participant gave at this step (for the form)."""
    row = db.session.scalar(
        select(AssessmentAnswer).where(
            AssessmentAnswer.step_id == step.id, AssessmentAnswer.voter_hash == voter_hash
        )
    )
    return dict(row.ratings) if row else {}


def answer_count(model, step: AgendaStep) -> int:
    return db.session.scalar(select(func.count()).where(model.step_id == step.id)) or 0


# --- feedback --------------------------------------------------------------


def _text(value) -> str:
    text = (value or "").strip()
    if len(text) > FEEDBACK_TEXT_MAX:
        raise AssessmentError(
            _("A text can be at most %(n)d characters long.", n=FEEDBACK_TEXT_MAX)
        )
    return text


def answer_feedback(live, step_id, voter_hash: str, data) -> FeedbackAnswer:
    """Overall rating and two free texts; the texts wait for a trainer's
    approval before they appear anywhere others can see."""
    step = _running_step(live, step_id, "feedback")
    rating = _rating(data.get("rating"), required=False)
    useful, improve = _text(data.get("most_useful")), _text(data.get("to_improve"))
    if rating is None and not useful and not improve:
        raise AssessmentError(_("Give a rating or write something first."), "empty")
    return _upsert(
        FeedbackAnswer,
        step,
        voter_hash,
        rating=rating,
        most_useful=useful,
        to_improve=improve,
        # Changed text is read again before it is shown.
        status="pending" if (useful or improve) else "approved",
    )


def my_feedback(step: AgendaStep, voter_hash: str) -> FeedbackAnswer | None:
    return db.session.scalar(
        select(FeedbackAnswer).where(
            FeedbackAnswer.step_id == step.id, FeedbackAnswer.voter_hash == voter_hash
        )
    )


def feedback_of(live, status: str | None = None) -> list[FeedbackAnswer]:
    query = select(FeedbackAnswer).where(FeedbackAnswer.session_id == live.id)
    if status:
        query = query.where(FeedbackAnswer.status == status)
    return list(db.session.scalars(query.order_by(FeedbackAnswer.created_at)))


def moderate_feedback(live, feedback_id, status: str) -> FeedbackAnswer:
    if status not in FEEDBACK_STATUSES or status == "pending":
        raise AssessmentError(_("Unknown action."))
    row = in_session(FeedbackAnswer, live, feedback_id)
    if row is None:
        raise AssessmentError(_("That feedback no longer exists."), "not_found")
    row.status = status
    return row


def rating_counts(live) -> dict[int, int]:
    rows = db.session.scalars(
        select(FeedbackAnswer.rating).where(
            FeedbackAnswer.session_id == live.id, FeedbackAnswer.rating.is_not(None)
        )
    )
    counts = Counter(rows)
    return {n: counts.get(n, 0) for n in range(1, 6)}
