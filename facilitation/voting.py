"""Anonymous toggled votes (questions, stories): one per voter hash per thing."""

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from .extensions import db


def toggle(vote_model, owner_column: str, owner, voter_hash: str) -> bool:
    """Vote for ``owner`` or take the vote back; returns True if now voted.

    ``vote_model`` has ``voter_hash`` and a foreign key ``owner_column`` to
    ``owner``, whose ``vote_count`` is recounted in SQL so that two phones
    voting at the same moment are both counted.
    """
    fk = getattr(vote_model, owner_column)
    removed = db.session.execute(
        delete(vote_model).where(fk == owner.id, vote_model.voter_hash == voter_hash)
    ).rowcount
    if not removed:
        try:
            with db.session.begin_nested():
                db.session.add(vote_model(**{owner_column: owner.id, "voter_hash": voter_hash}))
                db.session.flush()
        except IntegrityError:
            pass  # a double tap raced us; the vote is there once
    owner_model = type(owner)
    db.session.execute(
        update(owner_model)
        .where(owner_model.id == owner.id)
        .values(
            vote_count=select(func.count(vote_model.id)).where(fk == owner.id).scalar_subquery()
        )
    )
    db.session.refresh(owner)
    return not removed
