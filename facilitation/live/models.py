from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

MODERATION_MODES = ("open", "approve")


class LiveSession(db.Model):
    """One run of a training that phones join with a code."""

    __tablename__ = "live_sessions"
    __table_args__ = (
        # A join code is unique among open sessions; closed ones free it.
        Index(
            "uq_live_sessions_open_code",
            "code",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(6))
    title: Mapped[str] = mapped_column(String(200), default="")
    # "open": questions appear at once; "approve": a trainer approves each first.
    moderation: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The run state is stored, not kept in a process: a reloaded projector, a
    # reconnecting phone and a second trainer device all read the same rows.
    current_step_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_steps.id", ondelete="SET NULL", use_alter=True)
    )
    # Running timer: when it reaches zero. Paused timer: seconds left.
    timer_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timer_remaining: Mapped[int | None]
    # The projector's "how to join" overlay.
    join_overlay: Mapped[bool] = mapped_column(default=False)
    # Bumped by every agenda edit, so an edit from a stale screen is refused.
    agenda_version: Mapped[int] = mapped_column(default=0)

    # Participation: the most phones connected at once (a number only). Who is
    # connected now is counted in memory and Redis, not here (presence.py).
    peak_participants: Mapped[int] = mapped_column(default=0)

    # The public follow-up page /f/<followup_id>, once published.
    followup_id: Mapped[str | None] = mapped_column(String(16), unique=True)
    followup_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    followup_intro: Mapped[str] = mapped_column(Text, default="")
    followup_show_stories: Mapped[bool] = mapped_column(default=False)

    # Retention: when the raw participant data was deleted; the aggregate
    # summary made just before is kept here and rendered from then on.
    raw_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary_snapshot: Mapped[dict | None] = mapped_column(JSON)

    training: Mapped["Training"] = relationship(back_populates="sessions")  # noqa: F821

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
