from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

ROLES = ("owner", "co_organiser", "trainer")
# The source guide's target groups; a training may add its own.
TARGET_GROUPS = (
    "employment_services",
    "trainers",
    "project_workers",
    "municipal_staff",
    "third_sector",
    "volunteers",
    "mainstream_services",
)
STATUSES = ("planning", "invitations_open", "running", "done")
BOOKING = ("not_booked", "requested", "booked")
PARTNER_KINDS = (
    "municipality",
    "employment_services",
    "immigration_authority",
    "other_authority",
    "ngo_project",
    "other",
)


class Training(db.Model):
    """A training planned by one or more organisations; runs as live sessions."""

    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="fi")
    # Further languages the training is given in (besides `language`).
    languages: Mapped[list] = mapped_column(JSON, default=list)
    # Keys of TARGET_GROUPS and free-text groups of the organisers' own.
    target_groups: Mapped[list] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    venue_accessibility: Mapped[str] = mapped_column(Text, default="")
    venue_booking: Mapped[str] = mapped_column(String(20), default="not_booked")
    # Euro cents: money is never a float.
    venue_cost_cents: Mapped[int] = mapped_column(default=0)
    capacity: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default="planning")
    # Public registration page /r/<public_id>: unguessable, so an unpublished
    # training is not found by counting ids.
    public_id: Mapped[str | None] = mapped_column(String(16), unique=True)
    registration_deadline: Mapped[date | None]
    # Organisers' own texts; empty: the product's default in the training's
    # language.
    invitation_text: Mapped[str] = mapped_column(Text, default="")
    consent_text: Mapped[str] = mapped_column(Text, default="")
    # Coffee estimate: price per person and serving, and servings in the day.
    coffee_price_cents: Mapped[int] = mapped_column(default=0)
    coffee_servings: Mapped[int] = mapped_column(default=1)
    # Raw participant data (posts, votes, answers, registrations) is deleted
    # this many days after the training; the aggregate summary is kept.
    retention_days: Mapped[int] = mapped_column(default=90)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list["TrainingMember"]] = relationship(
        back_populates="training", cascade="all, delete-orphan"
    )
    partners: Mapped[list["Partner"]] = relationship(
        back_populates="training", cascade="all, delete-orphan", order_by="Partner.name"
    )
    sessions: Mapped[list["LiveSession"]] = relationship(  # noqa: F821
        back_populates="training",
        cascade="all, delete-orphan",
        order_by="LiveSession.created_at",
    )


class Partner(db.Model):
    """An organisation that organises the training together with the others."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default="other")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")

    training: Mapped[Training] = relationship(back_populates="partners")


TASK_STATUSES = ("todo", "doing", "done")
TASK_AREAS = ("date_venue", "costs_roles", "content_speakers", "invitations", "custom")


class PlanningTask(db.Model):
    """Who does what: a planning task (or a sub-task) with an owner and a due date."""

    __tablename__ = "planning_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("planning_tasks.id", ondelete="CASCADE")
    )
    area: Mapped[str] = mapped_column(String(20), default="custom")
    title: Mapped[str] = mapped_column(String(200))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default="todo")
    position: Mapped[int] = mapped_column(default=0)

    partner: Mapped["Partner | None"] = relationship()
    user: Mapped["User | None"] = relationship()  # noqa: F821

    def is_late(self, today: date) -> bool:
        return self.status != "done" and self.due_date is not None and self.due_date < today


class TrainingMember(db.Model):
    """A user's role in one training: they see and run only trainings they belong to."""

    __tablename__ = "training_members"
    __table_args__ = (UniqueConstraint("training_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="owner")

    training: Mapped[Training] = relationship(back_populates="members")
    user: Mapped["User"] = relationship()  # noqa: F821
