from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

STEP_KINDS = (
    "info",
    "pair_discussion",
    "case_stories",
    "practical_situation",
    "questions",
    "poll",
    "break",
    "feedback",
)


class AgendaStep(db.Model):
    """One step of a session's agenda, in order."""

    __tablename__ = "agenda_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    planned_minutes: Mapped[int] = mapped_column(default=10)
    content: Mapped[str] = mapped_column(Text, default="")
