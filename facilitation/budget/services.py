"""Budget lines and cost sharing between partners.

The split never loses or invents a cent: parts are whole cents computed with
the largest-remainder method, so they always add up to the line's amount.
"""

from collections import defaultdict

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from ..agenda.models import AgendaStep
from ..extensions import db
from ..formdata import getlist
from ..live.models import LiveSession
from ..trainings.services import EMAIL_RE, TrainingError, get_partner, parse_euros
from .models import CATEGORIES, RULES, SPEAKER_STATUSES, CostLine, CostShare, Speaker


class BudgetError(TrainingError):
    """Bad input; the message is already translated."""


def split_cents(amount: int, weights: list[int]) -> list[int]:
    """Split ``amount`` cents by integer ``weights``; the parts sum to ``amount``.

    Each part is the floor of its exact share; the cents left over go to the
    largest remainders (ties: the earlier weight), one each.
    """
    if not weights:
        return []
    total = sum(weights)
    if total <= 0:
        raise ValueError("weights must add up to more than zero")
    sign = -1 if amount < 0 else 1
    amount = abs(amount)
    floors = [amount * w // total for w in weights]
    remainders = [amount * w % total for w in weights]
    left = amount - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [sign * part for part in floors]


def _percent_to_bp(raw: str) -> int:
    text = (raw or "").replace(",", ".").replace("%", "").strip()
    try:
        value = round(float(text) * 100)
    except ValueError:
        raise BudgetError(_("Give the percentages as numbers, for example 60 and 40.")) from None
    if value < 0:
        raise BudgetError(_("A percentage cannot be negative."))
    return value


def save_line(training, data, line: CostLine | None = None) -> CostLine:
    """Create or change a cost line with its split; nothing is saved half-way."""
    category = data.get("category")
    if category not in CATEGORIES:
        raise BudgetError(_("Choose the kind of cost."))
    rule = data.get("rule")
    if rule not in RULES:
        raise BudgetError(_("Choose how the cost is shared."))
    estimated = parse_euros(data.get("estimated") or "")
    actual_raw = (data.get("actual") or "").strip()
    actual = parse_euros(actual_raw) if actual_raw else None
    partner_ids = [int(p) for p in getlist(data, "partners") if str(p).isdigit()]
    partners = [get_partner(training, pid) for pid in dict.fromkeys(partner_ids)]
    if not partners:
        raise BudgetError(_("Choose the partners who share this cost."))
    if rule == "single" and len(partners) != 1:
        raise BudgetError(_("Choose exactly one partner to pay this cost."))
    points = {}
    if rule == "percent":
        points = {p.id: _percent_to_bp(data.get(f"percent_{p.id}", "")) for p in partners}
        if sum(points.values()) != 10000:
            raise BudgetError(
                _(
                    "The percentages must add up to 100 (now %(sum)s).",
                    sum=format_decimal(sum(points.values()) / 100),
                )
            )
    line = line or CostLine(training_id=training.id)
    line.category = category
    line.description = (data.get("description") or "").strip()[:200]
    line.estimated_cents = estimated
    line.actual_cents = actual
    line.rule = rule
    # Keep a partner's existing share row: deleting and re-inserting it in one
    # flush would break the (line, partner) unique constraint.
    existing = {share.partner_id: share for share in line.shares}
    line.shares = [existing.get(p.id) or CostShare(partner_id=p.id) for p in partners]
    for share in line.shares:
        share.basis_points = points.get(share.partner_id, 0)
    db.session.add(line)
    db.session.flush()
    return line


def lines_of(training) -> list[CostLine]:
    return list(
        db.session.scalars(
            select(CostLine).where(CostLine.training_id == training.id).order_by(CostLine.id)
        )
    )


def get_line(training, line_id) -> CostLine:
    line = db.session.get(CostLine, line_id)
    if line is None or line.training_id != training.id:
        raise BudgetError(_("That cost line no longer exists."))
    return line


def parts(line: CostLine, amount: int) -> dict[int, int]:
    """Partner id -> cents of ``amount`` under the line's rule."""
    shares = line.shares
    weights = [s.basis_points for s in shares] if line.rule == "percent" else [1] * len(shares)
    return dict(zip([s.partner_id for s in shares], split_cents(amount, weights), strict=True))


def totals(training) -> dict:
    """Per-partner and overall estimated and actual sums, in cents."""
    per_partner = defaultdict(lambda: {"estimated": 0, "actual": 0})
    overall = {"estimated": 0, "actual": 0}
    for line in lines_of(training):
        overall["estimated"] += line.estimated_cents
        for pid, cents in parts(line, line.estimated_cents).items():
            per_partner[pid]["estimated"] += cents
        if line.actual_cents is not None:
            overall["actual"] += line.actual_cents
            for pid, cents in parts(line, line.actual_cents).items():
                per_partner[pid]["actual"] += cents
    # Speakers' agreed fees and travel count as estimates.
    for speaker, _category, cents in speaker_costs(training):
        overall["estimated"] += cents
        for pid, part in speaker_parts(training, speaker, cents).items():
            per_partner[pid]["estimated"] += part
    return {"partners": dict(per_partner), "overall": overall}


# --- speakers --------------------------------------------------------------


def speakers_of(training) -> list[Speaker]:
    return list(
        db.session.scalars(
            select(Speaker).where(Speaker.training_id == training.id).order_by(Speaker.name)
        )
    )


def get_speaker(training, speaker_id) -> Speaker:
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None or speaker.training_id != training.id:
        raise BudgetError(_("That speaker no longer exists."))
    return speaker


def save_speaker(training, data, speaker: Speaker | None = None) -> Speaker:
    name = (data.get("name") or "").strip()
    if not name:
        raise BudgetError(_("Give the speaker's name."))
    status = data.get("status") or "invited"
    if status not in SPEAKER_STATUSES:
        raise BudgetError(_("Unknown choice."))
    email = (data.get("email") or "").strip()
    if email and not EMAIL_RE.match(email):
        raise BudgetError(_("Enter a valid e-mail address."))
    fee = parse_euros(data.get("fee") or "")
    travel = parse_euros(data.get("travel") or "")
    paid_raw = data.get("paid_by") or ""
    paid_by = get_partner(training, int(paid_raw)).id if str(paid_raw).isdigit() else None
    speaker = speaker or Speaker(training_id=training.id)
    speaker.name = name[:120]
    speaker.organisation = (data.get("organisation") or "").strip()[:200]
    speaker.topic = (data.get("topic") or "").strip()[:300]
    speaker.email = email[:254]
    speaker.phone = (data.get("phone") or "").strip()[:40]
    speaker.status = status
    speaker.fee_cents = fee
    speaker.travel_cents = travel
    speaker.paid_by_id = paid_by
    db.session.add(speaker)
    db.session.flush()
    return speaker


def speaker_costs(training) -> list[tuple[Speaker, str, int]]:
    """(speaker, category, cents) for every fee and travel cost that counts."""
    costs = []
    for speaker in speakers_of(training):
        if speaker.status == "declined":
            continue
        if speaker.fee_cents:
            costs.append((speaker, "speaker_fees", speaker.fee_cents))
        if speaker.travel_cents:
            costs.append((speaker, "speaker_travel", speaker.travel_cents))
    return costs


def speaker_parts(training, speaker: Speaker, cents: int) -> dict[int, int]:
    """Partner id -> cents: the paying partner, or all partners equally."""
    if speaker.paid_by_id:
        return {speaker.paid_by_id: cents}
    partner_ids = [p.id for p in training.partners]
    return dict(zip(partner_ids, split_cents(cents, [1] * len(partner_ids)), strict=True))


def speaker_steps(training) -> dict[int, list[tuple]]:
    """Speaker id -> (session, step) for every agenda step they are linked to."""
    rows = db.session.execute(
        select(LiveSession, AgendaStep)
        .join(AgendaStep, AgendaStep.session_id == LiveSession.id)
        .where(LiveSession.training_id == training.id, AgendaStep.speaker_id.is_not(None))
        .order_by(LiveSession.created_at, LiveSession.id, AgendaStep.position)
    )
    linked: dict[int, list[tuple]] = defaultdict(list)
    for live, step in rows:
        linked[step.speaker_id].append((live, step))
    return dict(linked)
