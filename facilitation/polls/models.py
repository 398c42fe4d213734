from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

# single/multiple choice, a 1-5 scale, a word cloud, or moderated free answers
# (the "practical situation": what would you do?).
KINDS = ("single", "multiple", "scale", "words", "free")


class Poll(db.Model):
    """A question to answer on the phones, attached to an agenda step."""

    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_steps.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    question: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON, default=list)
    scale_low: Mapped[str] = mapped_column(String(80), default="")
    scale_high: Mapped[str] = mapped_column(String(80), default="")
    # Hidden results are revealed when the trainer closes the poll (no group-think).
    hide_results: Mapped[bool] = mapped_column(default=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def results_visible(self) -> bool:
        return not self.hide_results or not self.is_open


class PollAnswer(db.Model):
    """One participant's answer (a keyed hash, never a person). Answering again
    replaces it. Free answers are moderated before anyone sees them."""

    __tablename__ = "poll_answers"
    __table_args__ = (UniqueConstraint("poll_id", "voter_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    voter_hash: Mapped[str] = mapped_column(String(64))
    value: Mapped[object] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="approved")
    flags: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
