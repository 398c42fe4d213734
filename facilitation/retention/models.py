from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db


class PurgeRecord(db.Model):
    """What was deleted, when and why: kept after the data itself is gone.

    No foreign keys: the record outlives the session and the training.
    """

    __tablename__ = "purge_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int | None]
    session_id: Mapped[int | None]
    training_title: Mapped[str] = mapped_column(String(200), default="")
    # "retention": `flask purge` after the retention period; "organiser": an
    # organiser deleted a session's raw data at once.
    reason: Mapped[str] = mapped_column(String(20))
    # {"questions": 12, "question_votes": 30, ...}
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    # Who asked for it (an organiser's account id), empty for `flask purge`.
    user_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
