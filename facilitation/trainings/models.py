from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

ROLES = ("owner", "co_organiser", "trainer")


class Training(db.Model):
    """A training planned by one or more organisations; runs as live sessions."""

    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="fi")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list["TrainingMember"]] = relationship(
        back_populates="training", cascade="all, delete-orphan"
    )
    sessions: Mapped[list["LiveSession"]] = relationship(  # noqa: F821
        back_populates="training",
        cascade="all, delete-orphan",
        order_by="LiveSession.created_at",
    )


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
