from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

STATUSES = ("pending", "approved", "rejected")
FIELDS = ("situation", "action", "discussion")


class CaseStory(db.Model):
    """An anonymous story of a client encounter. Always moderated: only an
    approved story can reach the projector. Nothing here identifies the writer."""

    __tablename__ = "case_stories"
    __table_args__ = (UniqueConstraint("session_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_steps.id", ondelete="SET NULL"))
    client_id: Mapped[str] = mapped_column(String(64))
    situation: Mapped[str] = mapped_column(Text)  # what happened
    action: Mapped[str] = mapped_column(Text, default="")  # what I did
    discussion: Mapped[str] = mapped_column(Text, default="")  # what I'd like to discuss
    status: Mapped[str] = mapped_column(String(10), default="pending")
    # What the personal-data guard found, per field: [{"field", "kind", "text"}].
    # Recomputed when a trainer edits the story.
    flags: Mapped[list] = mapped_column(JSON, default=list)
    # The writer saw the guard's findings and posted anyway.
    posted_anyway: Mapped[bool] = mapped_column(default=False)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_screen: Mapped[bool] = mapped_column(default=False)
    vote_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def dom_id(self) -> str:
        return f"story-{self.id}"


class StoryVote(db.Model):
    """ "We should discuss this": one per participant (a keyed hash) per story."""

    __tablename__ = "story_votes"
    __table_args__ = (UniqueConstraint("story_id", "voter_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("case_stories.id", ondelete="CASCADE"))
    voter_hash: Mapped[str] = mapped_column(String(64), index=True)
