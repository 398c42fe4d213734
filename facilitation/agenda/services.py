"""Agenda steps of a live session."""

from sqlalchemy import func, select

from ..extensions import db
from .models import STEP_KINDS, AgendaStep


def steps_of(live) -> list[AgendaStep]:
    return list(
        db.session.scalars(
            select(AgendaStep).where(AgendaStep.session_id == live.id).order_by(AgendaStep.position)
        )
    )


def add_step(live, kind: str, title: str, planned_minutes: int, content: str = "") -> AgendaStep:
    if kind not in STEP_KINDS:
        raise ValueError(f"unknown step kind {kind!r}")
    last = db.session.scalar(
        select(func.max(AgendaStep.position)).where(AgendaStep.session_id == live.id)
    )
    step = AgendaStep(
        session_id=live.id,
        position=(last or 0) + 1,
        kind=kind,
        title=title,
        planned_minutes=planned_minutes,
        content=content,
    )
    db.session.add(step)
    db.session.flush()
    return step
