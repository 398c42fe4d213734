"""Retention: deleting the raw participant data once a training's retention
period is over, or at once when an organiser asks. No request, no emit, no
commit: ``flask purge`` commits after each training, the view once.

What goes: questions and their votes, case stories and their votes, poll
answers, self-assessment and feedback answers (per session), and the
training's registrations. What stays: the session's summary (stored just
before, in ``LiveSession.summary_snapshot``), the agenda and when each step
ran, the polls' definitions, the organisers' materials, and one
``PurgeRecord`` per session (and one for the registrations) with the counts.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from ..assessments.models import AssessmentAnswer, FeedbackAnswer
from ..cases.models import CaseStory, StoryVote
from ..dbtypes import utcnow
from ..extensions import db
from ..live.models import LiveSession
from ..live.services import normalise_code
from ..polls.models import Poll, PollAnswer
from ..questions.models import Question, QuestionVote
from ..registration.models import Registration
from ..trainings.models import Training
from .models import PurgeRecord


class RetentionError(ValueError):
    """A refused deletion; the message is already translated."""


# --- when ------------------------------------------------------------------------


def training_end(training: Training) -> datetime | None:
    """When the training ended, for retention: its end, else its start, else
    the last closed session's close. None: no date, never purged automatically."""
    if training.ends_at or training.starts_at:
        return training.ends_at or training.starts_at
    closed = [live.closed_at for live in training.sessions if live.closed_at is not None]
    return max(closed) if closed else None


def purge_due(training: Training) -> datetime | None:
    """When ``flask purge`` deletes the training's raw data (None: never)."""
    end = training_end(training)
    return end + timedelta(days=training.retention_days) if end else None


def due_trainings(now: datetime | None = None) -> list[Training]:
    """Trainings past their retention with something left to delete."""
    now = now or utcnow()
    due = []
    for training in db.session.scalars(select(Training).order_by(Training.id)):
        when = purge_due(training)
        if (
            when is not None
            and when <= now
            and (pending_sessions(training) or registration_count(training))
        ):
            due.append(training)
    return due


def pending_sessions(training: Training) -> list[LiveSession]:
    """The training's sessions whose raw data is still there."""
    return [live for live in training.sessions if live.raw_deleted_at is None]


# --- what ------------------------------------------------------------------------


def _question_ids(live):
    return select(Question.id).where(Question.session_id == live.id)


def _story_ids(live):
    return select(CaseStory.id).where(CaseStory.session_id == live.id)


def _poll_ids(live):
    return select(Poll.id).where(Poll.session_id == live.id)


# Table -> (model, the WHERE clause for one session). Children before their
# parents, so deleting in this order never trips a foreign key.
RAW_TABLES = {
    "question_votes": (
        QuestionVote,
        lambda live: QuestionVote.question_id.in_(_question_ids(live)),
    ),
    "questions": (Question, lambda live: Question.session_id == live.id),
    "story_votes": (StoryVote, lambda live: StoryVote.story_id.in_(_story_ids(live))),
    "case_stories": (CaseStory, lambda live: CaseStory.session_id == live.id),
    "poll_answers": (PollAnswer, lambda live: PollAnswer.poll_id.in_(_poll_ids(live))),
    "assessment_answers": (AssessmentAnswer, lambda live: AssessmentAnswer.session_id == live.id),
    "feedback_answers": (FeedbackAnswer, lambda live: FeedbackAnswer.session_id == live.id),
}


def raw_counts(live: LiveSession) -> dict[str, int]:
    """How many raw rows of each table the session holds."""
    return {
        table: db.session.scalar(select(func.count()).select_from(model).where(where(live)))
        for table, (model, where) in RAW_TABLES.items()
    }


def registration_count(training: Training) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.training_id == training.id)
    )


# --- deleting --------------------------------------------------------------------


def purge_session(
    live: LiveSession, reason: str, user_id: int | None = None, now: datetime | None = None
) -> PurgeRecord:
    """Keep the summary, delete the raw rows, and record what went."""
    from ..summaries.services import build_summary

    now = now or utcnow()
    counts = raw_counts(live)
    # Made from the rows before they go; build_summary returns it from now on.
    live.summary_snapshot = build_summary(live)
    for model, where in RAW_TABLES.values():
        db.session.execute(
            delete(model).where(where(live)), execution_options={"synchronize_session": False}
        )
    live.raw_deleted_at = now
    if live.closed_at is None:
        # A session forgotten open would keep collecting posts the summary no
        # longer counts.
        live.closed_at = now
    record = _record(live.training, live.id, reason, counts, user_id, now)
    # Rows loaded before the bulk delete (a question on the page) are gone.
    db.session.expire_all()
    return record


def purge_registrations(training: Training, reason: str, now: datetime | None = None):
    """Delete the training's registrations (names, e-mail, diets); None if there were none."""
    count = registration_count(training)
    if not count:
        return None
    db.session.execute(delete(Registration).where(Registration.training_id == training.id))
    return _record(training, None, reason, {"registrations": count}, None, now or utcnow())


def _record(training, session_id, reason, counts, user_id, now) -> PurgeRecord:
    record = PurgeRecord(
        training_id=training.id,
        session_id=session_id,
        training_title=training.title,
        reason=reason,
        counts=counts,
        user_id=user_id,
        created_at=now,
    )
    db.session.add(record)
    db.session.flush()
    return record


def purge_training(training: Training, now: datetime | None = None) -> list[PurgeRecord]:
    """Everything the retention deletes of one training; safe to run again."""
    records = [purge_session(live, "retention", now=now) for live in pending_sessions(training)]
    registrations = purge_registrations(training, "retention", now=now)
    return records + ([registrations] if registrations else [])


@dataclass
class Plan:
    """What a purge of one training would delete (for ``--dry-run``)."""

    training: Training
    due: datetime
    sessions: list[tuple[LiveSession, dict]] = field(default_factory=list)
    registrations: int = 0


def plan(training: Training) -> Plan:
    return Plan(
        training=training,
        due=purge_due(training),
        sessions=[(live, raw_counts(live)) for live in pending_sessions(training)],
        registrations=registration_count(training),
    )


def delete_now(live: LiveSession, user, confirmation: str) -> PurgeRecord:
    """An organiser deletes a closed session's raw data at once; the typed
    join code confirms it."""
    if live.raw_deleted_at is not None:
        raise RetentionError(_("The session's raw data has already been deleted."))
    if live.is_open:
        raise RetentionError(_("Close the session first: it still collects posts."))
    if normalise_code(confirmation or "") != live.code:
        raise RetentionError(_("Type the session's join code %(code)s to confirm.", code=live.code))
    return purge_session(live, "organiser", user_id=user.id)
