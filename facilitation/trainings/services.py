"""Trainings and who may work on them: details, partners, organisers."""

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import User
from ..extensions import db
from ..formdata import getlist
from .models import (
    BOOKING,
    PARTNER_KINDS,
    ROLES,
    STATUSES,
    TARGET_GROUPS,
    TASK_STATUSES,
    Partner,
    PlanningTask,
    Training,
    TrainingMember,
)

TITLE_MAX = 200
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class TrainingError(ValueError):
    """A rule was broken; the message is already translated."""


def create_training(
    owner: User, title: str, description: str = "", language: str = "fi"
) -> Training:
    title = title.strip()
    if not title:
        raise TrainingError(_("Give the training a title."))
    if len(title) > TITLE_MAX:
        raise TrainingError(_("The title can be at most %(n)d characters long.", n=TITLE_MAX))
    training = Training(title=title, description=description.strip(), language=language)
    training.members.append(TrainingMember(user=owner, role="owner"))
    db.session.add(training)
    db.session.flush()
    seed_checklist(training)
    return training


def add_member(training: Training, user: User, role: str) -> TrainingMember:
    if role not in ROLES:
        raise TrainingError(_("Unknown role."))
    member = TrainingMember(training=training, user=user, role=role)
    db.session.add(member)
    db.session.flush()
    return member


def trainings_for(user: User) -> list[Training]:
    return list(
        db.session.scalars(
            select(Training)
            .join(TrainingMember)
            .where(TrainingMember.user_id == user.id)
            .order_by(Training.created_at.desc())
        )
    )


def is_member(user, training_id: int) -> bool:
    """May this user see and run the training? Anonymous users never may."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(TrainingMember.id).where(
                TrainingMember.training_id == training_id, TrainingMember.user_id == user.id
            )
        )
        is not None
    )


# --- details ---------------------------------------------------------------

HELSINKI = ZoneInfo("Europe/Helsinki")
TEXT_MAX = 5000


def parse_euros(raw: str) -> int:
    """Euros as typed in Finland ("1 200,50", "1200.5", "80 €") -> cents."""
    text = (raw or "").replace("\u00a0", "").replace(" ", "").replace("€", "").strip()
    if not text:
        return 0
    text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise TrainingError(_("Give the amount in euros, for example 1 200,50.")) from None
    if amount < 0:
        raise TrainingError(_("An amount cannot be negative."))
    if amount != amount.quantize(Decimal("0.01")):
        raise TrainingError(_("Give the amount in euros and cents, at most two decimals."))
    return int(amount * 100)


def local_datetime(day: str, clock: str) -> datetime | None:
    """A date and a time in Helsinki, as typed in the form -> aware UTC."""
    if not day:
        return None
    try:
        local = datetime.strptime(f"{day} {clock or '00:00'}", "%Y-%m-%d %H:%M")
    except ValueError:
        raise TrainingError(_("Give the date and times in the form's format.")) from None
    return local.replace(tzinfo=HELSINKI).astimezone(UTC)


def update_details(training: Training, data) -> Training:
    """Save the training's details; nothing is saved if any field is wrong."""
    title = (data.get("title") or "").strip()
    if not title:
        raise TrainingError(_("Give the training a title."))
    if len(title) > TITLE_MAX:
        raise TrainingError(_("The title can be at most %(n)d characters long.", n=TITLE_MAX))
    status = data.get("status") or training.status
    booking = data.get("venue_booking") or training.venue_booking
    if status not in STATUSES or booking not in BOOKING:
        raise TrainingError(_("Unknown choice."))
    day = (data.get("date") or "").strip()
    starts_at = local_datetime(day, (data.get("start_time") or "").strip())
    end_time = (data.get("end_time") or "").strip()
    ends_at = local_datetime(day, end_time) if end_time else None
    if starts_at and ends_at and ends_at <= starts_at:
        raise TrainingError(_("The training must end after it starts."))
    capacity_raw = (data.get("capacity") or "").strip()
    capacity = None
    if capacity_raw:
        if not capacity_raw.isdigit() or not 1 <= int(capacity_raw) <= 100000:
            raise TrainingError(_("The capacity must be a whole number of people, at least 1."))
        capacity = int(capacity_raw)
    groups = [g for g in getlist(data, "target_groups") if g in TARGET_GROUPS]
    groups += [g.strip()[:80] for g in (data.get("other_groups") or "").split(",") if g.strip()]
    languages = [lang for lang in getlist(data, "languages") if lang in ("fi", "sv", "en")]
    description = (data.get("description") or "").strip()
    accessibility = (data.get("venue_accessibility") or "").strip()
    if len(description) > TEXT_MAX or len(accessibility) > TEXT_MAX:
        raise TrainingError(_("A text can be at most %(n)d characters long.", n=TEXT_MAX))
    cost = parse_euros(data.get("venue_cost") or "")
    retention_days = parse_retention_days(data.get("retention_days"), training.retention_days)

    training.title = title
    training.description = description
    training.target_groups = groups
    training.languages = languages
    training.starts_at, training.ends_at = starts_at, ends_at
    training.venue_name = (data.get("venue_name") or "").strip()[:200]
    training.venue_address = (data.get("venue_address") or "").strip()[:300]
    training.venue_accessibility = accessibility
    training.venue_booking = booking
    training.venue_cost_cents = cost
    training.capacity = capacity
    training.status = status
    training.retention_days = retention_days
    return training


RETENTION_DAYS_MIN, RETENTION_DAYS_MAX, RETENTION_DAYS_DEFAULT = 1, 3650, 90


def parse_retention_days(raw, current: int) -> int:
    """Days to keep the raw participant data, as typed; empty: the default,
    absent (a form without the field): unchanged."""
    if raw is None:
        return current
    text = str(raw).strip()
    if not text:
        return RETENTION_DAYS_DEFAULT
    if not text.isdigit() or not RETENTION_DAYS_MIN <= int(text) <= RETENTION_DAYS_MAX:
        raise TrainingError(
            _(
                "Keep the raw data for a whole number of days, from %(low)d to %(high)d.",
                low=RETENTION_DAYS_MIN,
                high=RETENTION_DAYS_MAX,
            )
        )
    return int(text)


# --- partners --------------------------------------------------------------


def _partner_values(data) -> dict:
    name = (data.get("name") or "").strip()
    if not name:
        raise TrainingError(_("Give the organisation's name."))
    kind = data.get("kind") or "other"
    if kind not in PARTNER_KINDS:
        raise TrainingError(_("Unknown choice."))
    email = (data.get("contact_email") or "").strip()
    if email and not EMAIL_RE.match(email):
        raise TrainingError(_("Enter a valid e-mail address."))
    return {
        "name": name[:200],
        "kind": kind,
        "contact_name": (data.get("contact_name") or "").strip()[:120],
        "contact_email": email[:254],
        "contact_phone": (data.get("contact_phone") or "").strip()[:40],
    }


def add_partner(training: Training, data) -> Partner:
    partner = Partner(training=training, **_partner_values(data))
    db.session.add(partner)
    db.session.flush()
    return partner


def get_partner(training: Training, partner_id) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None or partner.training_id != training.id:
        raise TrainingError(_("That partner no longer exists."))
    return partner


def update_partner(training: Training, partner_id, data) -> Partner:
    partner = get_partner(training, partner_id)
    for key, value in _partner_values(data).items():
        setattr(partner, key, value)
    return partner


def remove_partner(training: Training, partner_id) -> None:
    db.session.delete(get_partner(training, partner_id))


# --- organisers ------------------------------------------------------------


def role_of(user, training: Training) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(TrainingMember.role).where(
            TrainingMember.training_id == training.id, TrainingMember.user_id == user.id
        )
    )


def invite_member(training: Training, email: str, role: str) -> TrainingMember:
    """Add an existing organiser or trainer account to the training."""
    from ..accounts.services import get_by_email

    if role not in ROLES:
        raise TrainingError(_("Unknown role."))
    user = get_by_email(email or "")
    if user is None:
        raise TrainingError(
            _("No account has that e-mail address. Ask an administrator to create one first.")
        )
    if role_of(user, training):
        raise TrainingError(_("That person already belongs to this training."))
    return add_member(training, user, role)


def remove_member(training: Training, member_id) -> int:
    """Take someone off the training; returns their user id (whose open
    trainer sockets the caller ends after the commit)."""
    member = db.session.get(TrainingMember, member_id)
    if member is None or member.training_id != training.id:
        raise TrainingError(_("That person no longer belongs to this training."))
    owners = [m for m in training.members if m.role == "owner"]
    if member.role == "owner" and len(owners) == 1:
        raise TrainingError(_("A training needs at least one owner."))
    db.session.delete(member)
    return member.user_id


# --- who does what ---------------------------------------------------------


def seed_checklist(training: Training) -> int:
    """Give a training the guide's four planning tasks and their sub-tasks
    (in the training's language). Does nothing if it has tasks already."""
    from .checklist import CHECKLIST

    if db.session.scalar(select(PlanningTask.id).where(PlanningTask.training_id == training.id)):
        return 0
    lang = training.language if training.language in ("fi", "sv", "en") else "fi"
    count = 0
    for position, (area, title, subtasks) in enumerate(CHECKLIST, start=1):
        task = PlanningTask(
            training_id=training.id, area=area, title=title[lang], position=position
        )
        db.session.add(task)
        db.session.flush()
        count += 1
        for sub_position, sub in enumerate(subtasks, start=1):
            db.session.add(
                PlanningTask(
                    training_id=training.id,
                    parent_id=task.id,
                    area=area,
                    title=sub[lang],
                    position=sub_position,
                )
            )
            count += 1
    db.session.flush()
    return count


def tasks_of(training: Training) -> list[PlanningTask]:
    """Top-level tasks in order; sub-tasks via subtasks_of()."""
    return list(
        db.session.scalars(
            select(PlanningTask)
            .where(PlanningTask.training_id == training.id)
            .order_by(PlanningTask.parent_id.is_not(None), PlanningTask.position, PlanningTask.id)
        )
    )


def task_tree(training: Training) -> list[tuple[PlanningTask, list[PlanningTask]]]:
    tasks = tasks_of(training)
    children: dict[int, list[PlanningTask]] = {}
    for task in tasks:
        if task.parent_id:
            children.setdefault(task.parent_id, []).append(task)
    return [(task, children.get(task.id, [])) for task in tasks if task.parent_id is None]


def today_in_helsinki():
    return datetime.now(HELSINKI).date()


def late_tasks(training: Training) -> list[PlanningTask]:
    today = today_in_helsinki()
    return [task for task in tasks_of(training) if task.is_late(today)]


def _task_values(training: Training, data) -> dict:
    title = (data.get("title") or "").strip()
    if not title:
        raise TrainingError(_("Give the task a title."))
    status = data.get("status") or "todo"
    if status not in TASK_STATUSES:
        raise TrainingError(_("Unknown choice."))
    due_raw = (data.get("due_date") or "").strip()
    try:
        due = datetime.strptime(due_raw, "%Y-%m-%d").date() if due_raw else None
    except ValueError:
        raise TrainingError(_("Give the date in the form's format.")) from None
    partner_id = _optional_id(data.get("partner_id"))
    if partner_id is not None:
        get_partner(training, partner_id)
    user_id = _optional_id(data.get("user_id"))
    if user_id is not None and user_id not in {m.user_id for m in training.members}:
        raise TrainingError(_("That person does not belong to this training."))
    return {
        "title": title[:200],
        "status": status,
        "due_date": due,
        "partner_id": partner_id,
        "user_id": user_id,
    }


def _optional_id(raw):
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise TrainingError(_("Unknown choice.")) from None


def get_task(training: Training, task_id) -> PlanningTask:
    task = db.session.get(PlanningTask, _optional_id(task_id))
    if task is None or task.training_id != training.id:
        raise TrainingError(_("That task no longer exists."))
    return task


def add_task(training: Training, data) -> PlanningTask:
    parent_id = _optional_id(data.get("parent_id"))
    parent = get_task(training, parent_id) if parent_id else None
    values = _task_values(training, data)
    last = db.session.scalar(
        select(func.max(PlanningTask.position)).where(
            PlanningTask.training_id == training.id, PlanningTask.parent_id == parent_id
        )
    )
    task = PlanningTask(
        training_id=training.id,
        parent_id=parent.id if parent else None,
        area=parent.area if parent else "custom",
        position=(last or 0) + 1,
        **values,
    )
    db.session.add(task)
    db.session.flush()
    return task


def update_task(training: Training, task_id, data) -> PlanningTask:
    task = get_task(training, task_id)
    for key, value in _task_values(training, data).items():
        setattr(task, key, value)
    return task


def remove_task(training: Training, task_id) -> None:
    db.session.delete(get_task(training, task_id))
