"""The coffee estimate: who will be there, how many servings, what it costs.

Heads are confirmed registrations, confirmed speakers and the training's
organisers. Waitlisted and cancelled registrations, invited (not yet
answered) and declined speakers do not count.
"""

from collections import Counter
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..registration.models import DIETS, Registration
from ..trainings.models import TrainingMember
from ..trainings.services import parse_euros
from .models import CostLine, CostShare, Speaker
from .services import BudgetError

MAX_SERVINGS = 10


@dataclass(frozen=True)
class CoffeeEstimate:
    registrations: int
    speakers: int
    organisers: int
    servings: int
    price_cents: int
    # Diet key -> confirmed registrations that need it, in the order of DIETS.
    diets: dict[str, int] = field(default_factory=dict)
    # The notes' free text is for the organisers only (see ``without_notes``).
    diet_notes: list[str] = field(default_factory=list)
    diet_note_count: int = 0
    # Invited speakers who have not answered yet: not counted, but worth knowing.
    speakers_unanswered: int = 0

    @property
    def heads(self) -> int:
        return self.registrations + self.speakers + self.organisers

    @property
    def cents(self) -> int:
        return self.heads * self.servings * self.price_cents

    def without_notes(self) -> "CoffeeEstimate":
        """For a trainer: the same numbers, but only how many diet notes there
        are, not what they say (free text can identify a person or tell about
        their health)."""
        return replace(self, diet_notes=[])


def _speaker_count(training, status: str) -> int:
    return db.session.scalar(
        select(func.count(Speaker.id)).where(
            Speaker.training_id == training.id, Speaker.status == status
        )
    )


def estimate(training) -> CoffeeEstimate:
    rows = db.session.execute(
        select(Registration.diets, Registration.diet_notes).where(
            Registration.training_id == training.id, Registration.status == "confirmed"
        )
    ).all()
    counts = Counter(key for diets, _notes in rows for key in set(diets or ()) if key in DIETS)
    notes = [note.strip() for _diets, note in rows if (note or "").strip()]
    organisers = db.session.scalar(
        select(func.count(TrainingMember.id)).where(TrainingMember.training_id == training.id)
    )
    return CoffeeEstimate(
        registrations=len(rows),
        speakers=_speaker_count(training, "confirmed"),
        organisers=organisers,
        servings=training.coffee_servings,
        price_cents=training.coffee_price_cents,
        diets={key: counts[key] for key in DIETS if counts[key]},
        diet_notes=notes,
        diet_note_count=len(notes),
        speakers_unanswered=_speaker_count(training, "invited"),
    )


def save_settings(training, data) -> None:
    """Price per person and serving (euros as typed in Finland) and servings."""
    price = parse_euros(data.get("price") or "")
    servings_raw = (data.get("servings") or "").strip()
    if not servings_raw.isdigit() or not 1 <= int(servings_raw) <= MAX_SERVINGS:
        raise BudgetError(
            _("Give the servings per person as a whole number from 1 to %(max)d.", max=MAX_SERVINGS)
        )
    training.coffee_price_cents = price
    training.coffee_servings = int(servings_raw)


def apply_estimate(training) -> tuple[CostLine, str]:
    """Set the coffee line's estimated amount to the estimate.

    Returns the line and what happened: "created" (a new line shared equally
    by all partners), "updated", or "first_of_several" (only the first coffee
    line was changed).
    """
    if not training.partners:
        raise BudgetError(
            _("Add the partners on the training page first: they share the coffee line.")
        )
    result = estimate(training)
    if not result.price_cents:
        raise BudgetError(_("Set the price per person and serving first."))
    lines = list(
        db.session.scalars(
            select(CostLine)
            .where(CostLine.training_id == training.id, CostLine.category == "coffee")
            .order_by(CostLine.id)
        )
    )
    if lines:
        line, outcome = lines[0], "updated" if len(lines) == 1 else "first_of_several"
    else:
        line = CostLine(training_id=training.id, category="coffee", description="", rule="equal")
        line.shares = [CostShare(partner_id=p.id) for p in training.partners]
        outcome = "created"
    line.estimated_cents = result.cents
    db.session.add(line)
    db.session.flush()
    return line, outcome
