from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

FEEDBACK_STATUSES = ("pending", "approved", "rejected")


class AssessmentAnswer(db.Model):
    """A participant's self-assessment at one self-assessment step.

    Anonymous: ``voter_hash`` is the keyed hash of the participant cookie and
    the session (as with votes). It pairs a participant's answers at the start
    and at the end of the session, so the summary can show the average change
    per statement; an individual's answers are never shown.
    """

    __tablename__ = "assessment_answers"
    __table_args__ = (UniqueConstraint("step_id", "voter_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int] = mapped_column(ForeignKey("agenda_steps.id", ondelete="CASCADE"))
    voter_hash: Mapped[str] = mapped_column(String(64))
    # {statement text: rating 1-5}; paired by statement text at the summary.
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FeedbackAnswer(db.Model):
    """A participant's feedback at a feedback step: an overall rating and two
    free texts, moderated like stories before they appear anywhere public."""

    __tablename__ = "feedback_answers"
    __table_args__ = (UniqueConstraint("step_id", "voter_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int] = mapped_column(ForeignKey("agenda_steps.id", ondelete="CASCADE"))
    # One answer per participant and step (a new one replaces it).
    voter_hash: Mapped[str] = mapped_column(String(64))
    rating: Mapped[int | None]
    most_useful: Mapped[str] = mapped_column(Text, default="")
    to_improve: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
