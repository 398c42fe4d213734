from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

# common: for everyone; toolkit: a sector-specific section chosen by the
# target groups of the registrations.
MODULE_KINDS = ("common", "toolkit")


class Module(db.Model):
    """An organisers' own module, or their edited copy of a shipped one.

    Shipped modules are data files (facilitation/modules/library/); they are
    never edited in place, so an update of the product never overwrites the
    organisers' work. Own modules belong to a training and its organisers.
    """

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), index=True
    )
    # The shipped module this is a copy of, if any.
    based_on: Mapped[str] = mapped_column(String(60), default="")
    language: Mapped[str] = mapped_column(String(5), default="fi")
    kind: Mapped[str] = mapped_column(String(10), default="common")
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    # One per line.
    key_points: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int] = mapped_column(default=30)
    target_groups: Mapped[list] = mapped_column(JSON, default=list)
    # "Title https://..." one per line, as in agenda steps.
    links: Mapped[str] = mapped_column(Text, default="")
    # The date its legal and statistical statements were checked.
    as_of: Mapped[date | None]
    # Ready agenda steps: [{"kind", "title", "minutes", "content"}].
    steps: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
