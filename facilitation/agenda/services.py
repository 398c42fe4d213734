"""Agenda steps of a live session: editing, and running them with a timer.

Every rule lives here so that HTTP and Socket.IO share it. The run state
(current step, timer) is stored on the session row.
"""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..budget.models import Speaker
from ..dbtypes import utcnow
from ..extensions import db
from ..live.services import in_session
from .models import STEP_KINDS, AgendaStep, StepRun

TITLE_MAX = 200
TEXT_MAX = 5000
MAX_MINUTES = 600
ADJUST_LIMIT = 60


class AgendaError(ValueError):
    """Bad input or a stale action; the message is already translated."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


# --- reads -----------------------------------------------------------------


def steps_of(live) -> list[AgendaStep]:
    return list(
        db.session.scalars(
            select(AgendaStep).where(AgendaStep.session_id == live.id).order_by(AgendaStep.position)
        )
    )


def get_step(live, step_id) -> AgendaStep:
    row = in_session(AgendaStep, live, step_id)
    if row is None:
        raise AgendaError(_("That agenda step no longer exists."), "not_found")
    return row


def current_step(live) -> AgendaStep | None:
    return db.session.get(AgendaStep, live.current_step_id) if live.current_step_id else None


def remaining_seconds(live, now=None) -> int | None:
    """Seconds left on the timer (negative: overtime); None without a timer."""
    if live.timer_ends_at is not None:
        return int((live.timer_ends_at - (now or utcnow())).total_seconds())
    return live.timer_remaining


def runs_of(live) -> list[StepRun]:
    return list(
        db.session.scalars(
            select(StepRun).where(StepRun.session_id == live.id).order_by(StepRun.started_at)
        )
    )


# --- editing ---------------------------------------------------------------


def clean_step(kind, title, planned_minutes, content="", links="", notes="", speaker="") -> dict:
    if kind not in STEP_KINDS:
        raise AgendaError(_("Choose the kind of step."))
    title = (title or "").strip()
    if not title:
        raise AgendaError(_("Give the step a title."))
    if len(title) > TITLE_MAX:
        raise AgendaError(_("The title can be at most %(n)d characters long.", n=TITLE_MAX))
    try:
        minutes = int(planned_minutes)
    except (TypeError, ValueError):
        raise AgendaError(_("The duration must be a whole number of minutes.")) from None
    if not 1 <= minutes <= MAX_MINUTES:
        raise AgendaError(_("The duration must be between 1 and %(max)d minutes.", max=MAX_MINUTES))
    texts = {"content": content or "", "links": links or "", "notes": notes or ""}
    for value in texts.values():
        if len(value) > TEXT_MAX:
            raise AgendaError(_("A text can be at most %(n)d characters long.", n=TEXT_MAX))
    return {
        "kind": kind,
        "title": title,
        "planned_minutes": minutes,
        **{k: v.strip() for k, v in texts.items()},
        "speaker": (speaker or "").strip()[:200],
    }


def _linked_speaker(live, raw) -> dict:
    """A speaker of the session's training's speaker list (or none), as step values.

    The relationship is set along with the id, so a step rendered before the
    next flush already shows the new speaker.
    """
    if raw in (None, ""):
        return {"speaker_id": None, "speaker_ref": None}
    try:
        speaker = db.session.get(Speaker, int(raw))
    except (TypeError, ValueError):
        speaker = None
    if speaker is None or speaker.training_id != live.training_id:
        raise AgendaError(
            _("Choose a speaker from this training's speaker list."), "unknown_speaker"
        )
    return {"speaker_id": speaker.id, "speaker_ref": speaker}


def _check_version(live, version) -> None:
    """Refuse an edit made on a screen that has not seen the latest change."""
    if version is None or version == "":
        return
    try:
        seen = int(version)
    except (TypeError, ValueError):
        seen = -1
    if seen != live.agenda_version:
        raise AgendaError(
            _(
                "The agenda was changed on another device meanwhile. "
                "Nothing was saved: check the agenda and try again."
            ),
            "stale",
        )


def bump_version(live) -> None:
    live.agenda_version += 1


def add_step(
    live,
    kind,
    title,
    planned_minutes,
    content="",
    links="",
    notes="",
    speaker="",
    version=None,
    speaker_id=None,
) -> AgendaStep:
    _check_version(live, version)
    values = clean_step(kind, title, planned_minutes, content, links, notes, speaker)
    values.update(_linked_speaker(live, speaker_id))
    last = db.session.scalar(
        select(func.max(AgendaStep.position)).where(AgendaStep.session_id == live.id)
    )
    step = AgendaStep(session_id=live.id, position=(last or 0) + 1, **values)
    db.session.add(step)
    bump_version(live)
    db.session.flush()
    return step


def update_step(live, step_id, version=None, **fields) -> AgendaStep:
    """Change a step; without a ``speaker_id`` field the linked speaker stays."""
    _check_version(live, version)
    step = get_step(live, step_id)
    linked = "speaker_id" in fields
    speaker = _linked_speaker(live, fields.pop("speaker_id", None))
    values = clean_step(**fields)
    if linked:
        values.update(speaker)
    for key, value in values.items():
        setattr(step, key, value)
    bump_version(live)
    return step


def move_step(live, step_id, direction: str, version=None) -> AgendaStep:
    """Move a step one place up or down."""
    _check_version(live, version)
    step = get_step(live, step_id)
    steps = steps_of(live)
    index = steps.index(step)
    other = {"up": index - 1, "down": index + 1}.get(direction)
    if other is None:
        raise AgendaError(_("Unknown direction."))
    if 0 <= other < len(steps):
        neighbour = steps[other]
        step.position, neighbour.position = neighbour.position, step.position
        bump_version(live)
    return step


def remove_step(live, step_id, version=None) -> None:
    """Remove a step; removing the running one moves the session to the next."""
    _check_version(live, version)
    step = get_step(live, step_id)
    if live.current_step_id == step.id:
        steps = steps_of(live)
        index = steps.index(step)
        following = steps[index + 1] if index + 1 < len(steps) else None
        _switch_to(live, following)
    db.session.delete(step)
    _renumber(live)
    bump_version(live)


def _renumber(live) -> None:
    db.session.flush()
    for position, step in enumerate(steps_of(live), start=1):
        step.position = position


def copy_steps(source, target, version=None) -> int:
    """Append the agenda of another session to this one; returns how many steps.

    A linked speaker stays linked within the same training. Another
    training has its own speaker list: there the name is kept as text.
    """
    _check_version(target, version)
    same_training = source.training_id == target.training_id
    copied = 0
    for step in steps_of(source):
        add_step(
            target,
            step.kind,
            step.title,
            step.planned_minutes,
            step.content,
            step.links,
            step.notes,
            step.speaker if same_training else step.speaker_name,
            speaker_id=step.speaker_id if same_training else None,
        )
        copied += 1
    if not copied:
        raise AgendaError(_("That session has no agenda steps to copy."))
    return copied


# --- running ---------------------------------------------------------------


def _check_expected(live, expected_step_id) -> None:
    """A run action from a screen that still shows an older step is refused,
    so two trainer devices pressing "next" at once move one step, not two."""
    if expected_step_id in (None, ""):
        return
    try:
        expected = int(expected_step_id)
    except (TypeError, ValueError):
        expected = 0
    if expected != (live.current_step_id or 0):
        raise AgendaError(
            _("The session already moved on. Your screen now shows the current step."), "stale"
        )


def _switch_to(live, step: AgendaStep | None) -> None:
    now = utcnow()
    db.session.execute(
        update(StepRun)
        .where(StepRun.session_id == live.id, StepRun.ended_at.is_(None))
        .values(ended_at=now)
    )
    live.current_step_id = step.id if step else None
    if step is None:
        live.timer_ends_at = None
        live.timer_remaining = None
        return
    db.session.add(StepRun(session_id=live.id, step_id=step.id, started_at=now))
    live.timer_ends_at = now + timedelta(minutes=step.planned_minutes)
    live.timer_remaining = None


def start(live, expected_step_id=None) -> AgendaStep:
    _check_expected(live, expected_step_id)
    steps = steps_of(live)
    if not steps:
        raise AgendaError(_("Add agenda steps first."), "empty")
    _switch_to(live, steps[0])
    return steps[0]


def go_to(live, step_id) -> AgendaStep:
    step = get_step(live, step_id)
    _switch_to(live, step)
    return step


def next_step(live, expected_step_id=None) -> AgendaStep | None:
    """Move to the next step; after the last one the agenda is finished (None)."""
    _check_expected(live, expected_step_id)
    steps = steps_of(live)
    current = current_step(live)
    if current is None:
        if runs_of(live):
            raise AgendaError(
                _("The agenda has finished. Start again or go to a step."), "finished"
            )
        return start(live)
    index = steps.index(current)
    following = steps[index + 1] if index + 1 < len(steps) else None
    _switch_to(live, following)
    return following


def previous_step(live, expected_step_id=None) -> AgendaStep:
    _check_expected(live, expected_step_id)
    steps = steps_of(live)
    current = current_step(live)
    if current is None or steps.index(current) == 0:
        raise AgendaError(_("This is the first step."), "first")
    step = steps[steps.index(current) - 1]
    _switch_to(live, step)
    return step


def pause(live) -> None:
    if live.timer_ends_at is None:
        raise AgendaError(_("The timer is not running."), "not_running")
    live.timer_remaining = remaining_seconds(live)
    live.timer_ends_at = None


def resume(live) -> None:
    if live.timer_ends_at is not None or live.timer_remaining is None:
        raise AgendaError(_("The timer is not paused."), "not_paused")
    live.timer_ends_at = utcnow() + timedelta(seconds=live.timer_remaining)
    live.timer_remaining = None


def toggle_timer(live) -> None:
    if live.timer_ends_at is not None:
        pause(live)
    else:
        resume(live)


def adjust(live, minutes) -> None:
    """Add (or with a negative number remove) minutes on the timer."""
    try:
        delta = int(minutes)
    except (TypeError, ValueError):
        raise AgendaError(_("Give the minutes as a whole number.")) from None
    if delta == 0 or abs(delta) > ADJUST_LIMIT:
        raise AgendaError(_("Give the minutes as a whole number.")) from None
    if live.current_step_id is None:
        raise AgendaError(_("No step is running."), "not_running")
    if live.timer_ends_at is not None:
        live.timer_ends_at += timedelta(minutes=delta)
    else:
        live.timer_remaining = (live.timer_remaining or 0) + delta * 60


def set_overlay(live, show) -> None:
    live.join_overlay = show in (True, "1", "true", "on")


RUN_ACTIONS = (
    "start",
    "next",
    "previous",
    "goto",
    "pause",
    "resume",
    "toggle",
    "adjust",
    "overlay",
)


def run(live, action: str, data: dict):
    """Apply one run action by name with its form/payload fields (HTTP and socket)."""
    expected = data.get("expected_step_id")
    if action == "start":
        return start(live, expected)
    if action == "next":
        return next_step(live, expected)
    if action == "previous":
        return previous_step(live, expected)
    if action == "goto":
        return go_to(live, data.get("step_id"))
    if action == "pause":
        return pause(live)
    if action == "resume":
        return resume(live)
    if action == "toggle":
        return toggle_timer(live)
    if action == "adjust":
        return adjust(live, data.get("minutes"))
    if action == "overlay":
        return set_overlay(live, data.get("show"))
    raise AgendaError(_("Unknown action."))
