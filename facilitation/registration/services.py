"""Registration for a training: the public form's rules, the waiting list,
the organisers' settings and summaries.

Places are counted and a registration is added in one transaction with the
training row locked (``SELECT ... FOR UPDATE`` on PostgreSQL), so two people
sending the form for the last place at the same moment do not both get it:
the second waits for the first to commit and then counts again.
"""

import re
import secrets
from collections import Counter
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask import render_template
from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..dbtypes import utcnow
from ..extensions import db
from ..formdata import getlist
from ..trainings.models import Training
from ..trainings.services import HELSINKI, TrainingError, today_in_helsinki
from .models import DIETS, REGISTRATION_STATUSES, Registration

NAME_MAX = 120
ORGANISATION_MAX = 200
DIET_NOTES_MAX = 300
ACCESSIBILITY_MAX = 2000
TEXT_MAX = 5000
MAX_INVITATIONS = 500
# Addresses in the invitation box: separated by commas, semicolons (Outlook)
# or any white space.
ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


class RegistrationError(TrainingError):
    """Bad input; the message is already translated. ``errors`` maps form
    fields to their own messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


class RegistrationClosed(RegistrationError):
    """The form is not open (not published yet, closed, or past the deadline)."""


# --- publishing -------------------------------------------------------------


def ensure_public_id(training: Training) -> bool:
    """Give the training its unguessable public id; True if it was new."""
    if training.public_id:
        return False
    training.public_id = secrets.token_urlsafe(9)[:12]
    return True


def by_public_id(public_id: str) -> Training | None:
    if not public_id:
        return None
    return db.session.scalar(select(Training).where(Training.public_id == public_id))


def open_registration(training: Training) -> None:
    ensure_public_id(training)
    training.status = "invitations_open"


def close_registration(training: Training) -> None:
    if training.status == "invitations_open":
        training.status = "planning"


def registration_state(training: Training, today=None) -> str:
    """One of "open", "not_open" (organisers have not opened it, or closed
    it) and "deadline_passed" (the deadline is a Helsinki date; its own day
    is still open)."""
    if training.status != "invitations_open":
        return "not_open"
    today = today or today_in_helsinki()
    if training.registration_deadline and today > training.registration_deadline:
        return "deadline_passed"
    return "open"


def closed_message(state: str) -> str:
    if state == "deadline_passed":
        return _("The registration deadline has passed. Registration is closed.")
    return _("Registration for this training is not open.")


# --- counting ---------------------------------------------------------------


def _locked(training: Training) -> Training:
    """The training row re-read and locked until commit (PostgreSQL; SQLite
    ignores FOR UPDATE and serialises writers itself)."""
    return db.session.scalars(
        select(Training)
        .where(Training.id == training.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def counts(training: Training) -> dict[str, int]:
    """Registrations per status: confirmed, waitlisted, cancelled."""
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.training_id == training.id)
        .group_by(Registration.status)
    ).all()
    result = dict.fromkeys(REGISTRATION_STATUSES, 0)
    result.update({status: n for status, n in rows})
    return result


def places_left(training: Training) -> int | None:
    """Free places; None when the training has no capacity limit."""
    if training.capacity is None:
        return None
    return max(training.capacity - counts(training)["confirmed"], 0)


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list (first come, first served)."""
    if registration.status != "waitlisted":
        return None
    ahead = db.session.scalar(
        select(func.count()).where(
            Registration.training_id == registration.training_id,
            Registration.status == "waitlisted",
            or_(
                Registration.created_at < registration.created_at,
                and_(
                    Registration.created_at == registration.created_at,
                    Registration.id < registration.id,
                ),
            ),
        )
    )
    return ahead + 1


# --- the public form --------------------------------------------------------


def normalise_email(raw: str) -> str:
    """A valid address, lower-cased; RegistrationError otherwise.

    Addresses with non-ASCII characters before the @ are refused: few mail
    servers deliver them and the SMTP library cannot send to them.
    """
    raw = (raw or "").strip()
    if not raw:
        raise RegistrationError(_("Give your e-mail address."))
    try:
        result = validate_email(raw, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise RegistrationError(_("Enter a valid e-mail address.")) from None
    return result.normalized.lower()


def sector_choices(training: Training) -> list[str]:
    """The training's own target groups, then "other"."""
    return [g for g in dict.fromkeys(training.target_groups or []) if g != "other"] + ["other"]


def _form_values(training: Training, data) -> dict:
    """The form's fields checked all at once, so every mistake is shown together."""
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Give your name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("The name can be at most %(n)d characters long.", n=NAME_MAX)
    email = ""
    try:
        email = normalise_email(data.get("email") or "")
    except RegistrationError as exc:
        errors["email"] = str(exc)
    organisation = (data.get("organisation") or "").strip()
    if len(organisation) > ORGANISATION_MAX:
        errors["organisation"] = _(
            "The organisation can be at most %(n)d characters long.", n=ORGANISATION_MAX
        )
    sector = data.get("sector") or "other"
    if sector not in sector_choices(training):
        errors["sector"] = _("Unknown choice.")
    chosen = set(getlist(data, "diets"))
    diets = [diet for diet in DIETS if diet in chosen]
    diet_notes = (data.get("diet_notes") or "").strip()
    if len(diet_notes) > DIET_NOTES_MAX:
        errors["diet_notes"] = _("A text can be at most %(n)d characters long.", n=DIET_NOTES_MAX)
    accessibility = (data.get("accessibility") or "").strip()
    if len(accessibility) > ACCESSIBILITY_MAX:
        errors["accessibility"] = _(
            "A text can be at most %(n)d characters long.", n=ACCESSIBILITY_MAX
        )
    if not data.get("consent"):
        errors["consent"] = _("To register, agree to how your details are used.")
    if errors:
        raise RegistrationError(" ".join(errors.values()), errors)
    return {
        "name": name,
        "email": email,
        "organisation": organisation,
        "sector": sector,
        "diets": diets,
        "diet_notes": diet_notes,
        "accessibility": accessibility,
    }


def _duplicate() -> RegistrationError:
    message = _("This e-mail address is already registered for this training.")
    return RegistrationError(message, {"email": message})


def register(
    training: Training, data, language: str = "fi", now: datetime | None = None
) -> Registration:
    """Register someone: a place while there are places and nobody waits,
    otherwise the end of the waiting list. Nothing is saved on an error.

    An address whose earlier registration was cancelled registers anew (the
    same row, a new link, the end of the queue).
    """
    training = _locked(training)
    state = registration_state(training)
    if state != "open":
        raise RegistrationClosed(closed_message(state))
    values = _form_values(training, data)
    existing = db.session.scalar(
        select(Registration).where(
            Registration.training_id == training.id, Registration.email == values["email"]
        )
    )
    if existing is not None and existing.status != "cancelled":
        raise _duplicate()
    now = now or utcnow()
    taken = counts(training)
    has_place = training.capacity is None or taken["confirmed"] < training.capacity
    registration = existing or Registration(training_id=training.id)
    for key, value in values.items():
        setattr(registration, key, value)
    registration.language = language
    # Nobody jumps the queue: while anyone waits, newcomers wait too.
    registration.status = "confirmed" if has_place and not taken["waitlisted"] else "waitlisted"
    registration.token = secrets.token_urlsafe(32)
    registration.consented_at = now
    registration.created_at = now
    registration.promoted_at = None
    registration.cancelled_at = None
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        # The same address at the same moment in another request (SQLite).
        raise _duplicate() from None
    return registration


def by_token(token: str) -> Registration | None:
    if not token:
        return None
    return db.session.scalar(select(Registration).where(Registration.token == token))


def fill_from_waiting_list(training: Training, now: datetime | None = None) -> list[Registration]:
    """Give free places to the first on the waiting list; returns who moved
    up (they get an e-mail after the commit). Call after a cancellation or a
    change of capacity."""
    training = _locked(training)
    query = (
        select(Registration)
        .where(Registration.training_id == training.id, Registration.status == "waitlisted")
        .order_by(Registration.created_at, Registration.id)
    )
    if training.capacity is not None:
        free = training.capacity - counts(training)["confirmed"]
        if free <= 0:
            return []
        query = query.limit(free)
    now = now or utcnow()
    promoted = list(db.session.scalars(query))
    for registration in promoted:
        registration.status = "confirmed"
        registration.promoted_at = now
    db.session.flush()
    return promoted


def cancel(registration: Registration, now: datetime | None = None) -> list[Registration]:
    """Cancel a registration; a freed place goes to the first on the waiting
    list (returned). Cancelling twice changes nothing."""
    training = _locked(registration.training)
    # Re-read under the lock: two clicks on the link must not free two places.
    db.session.refresh(registration)
    if registration.status == "cancelled":
        return []
    now = now or utcnow()
    registration.status = "cancelled"
    registration.cancelled_at = now
    db.session.flush()
    return fill_from_waiting_list(training, now)


# --- organisers --------------------------------------------------------------


def get_registration(training: Training, registration_id) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.training_id != training.id:
        raise RegistrationError(_("That registration no longer exists."))
    return registration


def registrations_of(training: Training) -> dict[str, list[Registration]]:
    """Confirmed, waiting list (in queue order) and cancelled registrations."""
    groups: dict[str, list[Registration]] = {status: [] for status in REGISTRATION_STATUSES}
    for registration in db.session.scalars(
        select(Registration)
        .where(Registration.training_id == training.id)
        .order_by(Registration.created_at, Registration.id)
    ):
        groups[registration.status].append(registration)
    return groups


def summary(groups: dict[str, list[Registration]]) -> dict:
    """What the organisers plan with: sectors, the coffee order, accessibility."""
    confirmed, waiting = groups["confirmed"], groups["waitlisted"]
    by_sector_confirmed = Counter(r.sector for r in confirmed)
    by_sector_waiting = Counter(r.sector for r in waiting)
    sectors = [
        (sector, by_sector_confirmed[sector], by_sector_waiting[sector])
        for sector in dict.fromkeys([*by_sector_confirmed, *by_sector_waiting])
    ]
    diet_counts = Counter(diet for r in confirmed for diet in r.diets or [])
    return {
        "sectors": sorted(sectors, key=lambda row: (-row[1], -row[2])),
        "diets": [(diet, diet_counts[diet]) for diet in DIETS if diet_counts[diet]],
        "diet_notes": [(r.name, r.diet_notes) for r in confirmed if r.diet_notes],
        "accessibility": [(r, r.accessibility) for r in [*confirmed, *waiting] if r.accessibility],
    }


def aggregates(groups: dict[str, list[Registration]]) -> dict:
    """What a trainer may see of the registrations: numbers only.

    No names, addresses, organisations, dates or free text: a diet note or an
    accessibility need can identify a person or tell about their health, so
    only how many there are is given."""
    full = summary(groups)
    return {
        "confirmed": len(groups["confirmed"]),
        "waitlisted": len(groups["waitlisted"]),
        "cancelled": len(groups["cancelled"]),
        "sectors": full["sectors"],
        "diets": full["diets"],
        "diet_notes": len(full["diet_notes"]),
        "accessibility": len(full["accessibility"]),
    }


def _same_text(a: str, b: str) -> bool:
    def norm(text):
        return " ".join((text or "").split())

    return norm(a) == norm(b)


def save_settings(training: Training, data, default_invitation: str, default_consent: str):
    """Invitation text, consent text and deadline. A text left as the default
    is stored empty, so the default keeps following the training's details."""
    invitation = (data.get("invitation_text") or "").replace("\r\n", "\n").strip()
    consent = (data.get("consent_text") or "").replace("\r\n", "\n").strip()
    if len(invitation) > TEXT_MAX or len(consent) > TEXT_MAX:
        raise RegistrationError(_("A text can be at most %(n)d characters long.", n=TEXT_MAX))
    raw_deadline = (data.get("registration_deadline") or "").strip()
    try:
        deadline = datetime.strptime(raw_deadline, "%Y-%m-%d").date() if raw_deadline else None
    except ValueError:
        raise RegistrationError(_("Give the date in the form's format.")) from None
    if (
        deadline
        and training.starts_at
        and deadline > training.starts_at.astimezone(HELSINKI).date()
    ):
        raise RegistrationError(
            _("The registration deadline must be on or before the training day.")
        )
    training.invitation_text = "" if _same_text(invitation, default_invitation) else invitation
    training.consent_text = "" if _same_text(consent, default_consent) else consent
    training.registration_deadline = deadline


def parse_addresses(raw: str) -> list[str]:
    """Addresses for invitations, checked all; any invalid one refuses all."""
    parts = [part for part in ADDRESS_SEPARATORS.split(raw or "") if part]
    if not parts:
        raise RegistrationError(_("Give at least one e-mail address."))
    if len(parts) > MAX_INVITATIONS:
        raise RegistrationError(
            _("At most %(n)d addresses at a time. Nothing was sent.", n=MAX_INVITATIONS)
        )
    valid, invalid = [], []
    for part in parts:
        try:
            valid.append(normalise_email(part))
        except RegistrationError:
            invalid.append(part)
    if invalid:
        raise RegistrationError(
            _(
                "These addresses are not valid: %(addresses)s. Nothing was sent.",
                addresses=", ".join(invalid),
            )
        )
    return list(dict.fromkeys(valid))


# --- texts -------------------------------------------------------------------


def when_text(training: Training) -> str:
    """Date and times in Helsinki, in the current locale."""
    if training.starts_at is None:
        return ""
    text = format_datetime(training.starts_at, "EEEE d.M.yyyy HH:mm")
    if training.ends_at:
        text += "–" + format_datetime(training.ends_at, "HH:mm")
    return text


def where_text(training: Training) -> str:
    return ", ".join(part for part in (training.venue_name, training.venue_address) if part)


def training_language(training: Training) -> str:
    return training.language if training.language in ("fi", "sv", "en") else "fi"


def default_consent_text(training: Training, language: str) -> str:
    days = training.retention_days if training.retention_days is not None else 90
    with force_locale(language):
        return _(
            "I agree that my details are used only to organise this training. Only its "
            "organisers see them, and they are deleted %(days)d days after the training. "
            "I can cancel my registration with the link in the confirmation.",
            days=days,
        )


def consent_text(training: Training, language: str) -> str:
    """The organisers' own text, or the product's default in ``language``."""
    return training.consent_text or default_consent_text(training, language)


def default_invitation_text(training: Training, link: str) -> str:
    """An invitation written from the training's details, in its language."""
    with force_locale(training_language(training)):
        deadline = (
            format_date(training.registration_deadline, "d.M.yyyy")
            if training.registration_deadline
            else ""
        )
        return render_template(
            "registration/email/invitation_default.txt",
            training=training,
            when=when_text(training),
            where=where_text(training),
            deadline=deadline,
            link=link,
        ).strip()


def invitation_text(training: Training, link: str) -> str:
    return training.invitation_text or default_invitation_text(training, link)
