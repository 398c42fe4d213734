from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

# confirmed: has a place; waitlisted: waits for one (first come, first
# served); cancelled: kept only so the cancellation link still answers.
REGISTRATION_STATUSES = ("confirmed", "waitlisted", "cancelled")
# Diets a coffee order needs to know about; "other" comes with free text.
DIETS = (
    "vegetarian",
    "vegan",
    "gluten_free",
    "lactose_free",
    "milk_free",
    "nut_allergy",
    "no_pork",
    "other",
)


class Registration(db.Model):
    """A participant's registration for a training: personal data, seen only by
    the training's organisers and deleted with the training's retention."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("training_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    # Stored lower-cased: one registration per address and training.
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # A key of trainings.models.TARGET_GROUPS, one of the training's own
    # groups, or "other".
    sector: Mapped[str] = mapped_column(String(100), default="other")
    diets: Mapped[list] = mapped_column(JSON, default=list)
    diet_notes: Mapped[str] = mapped_column(String(300), default="")
    accessibility: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="fi")
    status: Mapped[str] = mapped_column(String(12), default="confirmed")
    # Secret of the cancellation link in the confirmation.
    token: Mapped[str] = mapped_column(String(43), unique=True)
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When a waiting-list registration got its place.
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    training: Mapped["Training"] = relationship()  # noqa: F821
