from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

STATUSES = ("pending", "visible", "hidden")


class Question(db.Model):
    """An anonymous question. Nothing here identifies who asked it."""

    __tablename__ = "questions"
    __table_args__ = (
        # A re-sent post (lost ack, double tap, retry) is stored once.
        UniqueConstraint("session_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[str] = mapped_column(String(64))
    # The agenda step that was running when it was asked (for the summary).
    step_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_steps.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="visible")
    pinned: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    vote_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The organisers' answer after the session (Markdown, sanitised when
    # shown), published on the follow-up page.
    followup_answer: Mapped[str] = mapped_column(Text, default="")
    followup_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def dom_id(self) -> str:
        return f"question-{self.id}"


class QuestionVote(db.Model):
    """One participant's upvote. voter_hash is a keyed hash of the participant
    cookie and the session: it cannot be linked to a person or across sessions."""

    __tablename__ = "question_votes"
    __table_args__ = (UniqueConstraint("question_id", "voter_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    voter_hash: Mapped[str] = mapped_column(String(64), index=True)
