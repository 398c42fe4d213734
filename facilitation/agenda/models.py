from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime
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
    "self_assessment",
)


def parse_links(text: str) -> list[tuple[str, str]]:
    """(title, url) pairs from a links text, one "Title https://..." per line;
    the URL doubles as title."""
    pairs = []
    for line in (text or "").splitlines():
        parts = line.strip().rsplit(maxsplit=1)
        if not parts or not parts[-1].startswith(("https://", "http://")):
            continue
        url = parts[-1]
        title = parts[0].strip() if len(parts) == 2 else url.split("://", 1)[1].rstrip("/")
        pairs.append((title, url))
    return pairs


class AgendaStep(db.Model):
    """One step of a session's agenda: what the projector and phones show,
    a planned duration for the timer, and the trainer's private notes."""

    __tablename__ = "agenda_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    planned_minutes: Mapped[int] = mapped_column(default=10)
    # Shown on the projector and phones (a prompt, a scenario, key points).
    content: Mapped[str] = mapped_column(Text, default="")
    # Toolkit links, one per line: "https://..." or "Title https://...".
    links: Mapped[str] = mapped_column(Text, default="")
    # Only on the trainer's control page.
    notes: Mapped[str] = mapped_column(Text, default="")
    speaker: Mapped[str] = mapped_column(String(200), default="")
    # A speaker of the training's speaker list; `speaker` stays for a name
    # that is not on it.
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"))

    speaker_ref: Mapped["Speaker | None"] = relationship()  # noqa: F821

    @property
    def speaker_name(self) -> str:
        if self.speaker_ref is not None:
            return self.speaker_ref.name
        return self.speaker

    @property
    def link_list(self) -> list[tuple[str, str]]:
        return parse_links(self.links)


class StepRun(db.Model):
    """When a step actually ran (a step visited twice has two rows): for the summary."""

    __tablename__ = "step_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int] = mapped_column(ForeignKey("agenda_steps.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
