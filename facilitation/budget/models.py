from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

CATEGORIES = ("venue", "coffee", "speaker_fees", "speaker_travel", "other")
RULES = ("equal", "percent", "single")


class CostLine(db.Model):
    """One cost of a training and how the partners share it. Money in cents."""

    __tablename__ = "cost_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(200), default="")
    estimated_cents: Mapped[int] = mapped_column(default=0)
    actual_cents: Mapped[int | None]
    # equal: between the partners in `shares`; percent: by their basis points;
    # single: the one partner in `shares` pays all.
    rule: Mapped[str] = mapped_column(String(10), default="equal")

    shares: Mapped[list["CostShare"]] = relationship(
        cascade="all, delete-orphan", order_by="CostShare.partner_id"
    )


class CostShare(db.Model):
    """A partner's part in a cost line (basis points are used by the percent rule)."""

    __tablename__ = "cost_shares"
    __table_args__ = (UniqueConstraint("line_id", "partner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("cost_lines.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    basis_points: Mapped[int] = mapped_column(default=0)  # 10000 = 100 %

    partner: Mapped["Partner"] = relationship()  # noqa: F821


SPEAKER_STATUSES = ("invited", "confirmed", "declined")


class Speaker(db.Model):
    """An invited speaker. Fee and travel feed the budget (unless declined)."""

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    topic: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(10), default="invited")
    fee_cents: Mapped[int] = mapped_column(default=0)
    travel_cents: Mapped[int] = mapped_column(default=0)
    # Who pays the fee and travel; empty: shared equally by all partners.
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id", ondelete="SET NULL"))

    paid_by: Mapped["Partner | None"] = relationship()  # noqa: F821
