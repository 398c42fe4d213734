"""The module library: organisers' own modules, and agendas built from modules.

A training's agenda is built from a common part for everyone plus
sector-specific toolkit sections, chosen by the target groups of the people
who registered (the source guide's advice for small municipalities, where
participants come from many sectors). Templates such as "basic package,
half day" do it in one click.
"""

from collections import Counter
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..agenda import services as agenda_services
from ..agenda.models import STEP_KINDS, AgendaStep, StepRun, parse_links
from ..extensions import db
from ..formdata import getlist
from ..live.models import LiveSession
from ..live.services import open_session
from ..polls import services as poll_services
from ..trainings.models import TARGET_GROUPS, Training
from . import library
from .library import ModuleView
from .models import MODULE_KINDS, Module

LANGUAGES = ("fi", "sv", "en")
TITLE_MAX = 200
TEXT_MAX = 5000
MAX_STEPS = 30
MAX_MINUTES = 600


class ModuleError(ValueError):
    """A rule was broken; the message is already translated."""


# --- reading ---------------------------------------------------------------


def own_view(module: Module) -> ModuleView:
    links = tuple(parse_links(module.links))
    return ModuleView(
        key=f"own:{module.id}",
        kind=module.kind,
        title=module.title,
        summary=module.summary,
        key_points=tuple(line.strip() for line in module.key_points.splitlines() if line.strip()),
        minutes=module.minutes,
        target_groups=tuple(module.target_groups or ()),
        links=links,
        as_of=module.as_of,
        steps=tuple(module.steps or ()),
        language=module.language,
        slug=module.based_on,
        own_id=module.id,
    )


def own_modules(training: Training, language: str | None = None) -> list[Module]:
    query = select(Module).where(Module.training_id == training.id)
    if language:
        query = query.where(Module.language == language)
    return list(db.session.scalars(query.order_by(Module.title)))


def library_for(training: Training, language: str) -> list[ModuleView]:
    """Everything the organisers can build from, in one language: their own
    modules first, then the shipped ones (a shipped module they have copied
    is shown once, as their copy)."""
    own = [own_view(module) for module in own_modules(training, language)]
    copied = {view.slug for view in own if view.slug}
    shipped = [view for view in library.shipped_modules(language) if view.slug not in copied]
    return own + shipped


def resolve(training: Training, key: str, language: str) -> ModuleView:
    """A module by key ("lib:<slug>" or "own:<id>"); for a shipped slug the
    organisers' own copy in that language wins."""
    kind, _sep, ident = (key or "").partition(":")
    if kind == "own":
        module = _own_or_none(training, ident)
        if module is not None:
            return own_view(module)
    elif kind == "lib":
        copy = db.session.scalar(
            select(Module)
            .where(
                Module.training_id == training.id,
                Module.based_on == ident,
                Module.language == language,
            )
            .order_by(Module.id)
            .limit(1)
        )
        if copy is not None:
            return own_view(copy)
        view = library.shipped_module(ident, language)
        if view is not None:
            return view
    raise ModuleError(_("That module no longer exists."))


def _own_or_none(training: Training, raw_id) -> Module | None:
    try:
        module = db.session.get(Module, int(raw_id))
    except (TypeError, ValueError):
        return None
    return module if module is not None and module.training_id == training.id else None


def get_own(training: Training, raw_id) -> Module:
    module = _own_or_none(training, raw_id)
    if module is None:
        raise ModuleError(_("That module no longer exists."))
    return module


# --- the audience ----------------------------------------------------------


def audience(training: Training) -> tuple[Counter, str]:
    """Target groups of the audience with counts, and where they come from:
    registrations (confirmed or waiting) when there are any, else the groups
    the organisers chose for the training."""
    from ..registration.models import Registration

    rows = db.session.execute(
        select(Registration.sector, func.count())
        .where(
            Registration.training_id == training.id,
            Registration.status != "cancelled",
        )
        .group_by(Registration.sector)
    ).all()
    counts = Counter({sector: count for sector, count in rows})
    if counts:
        return counts, "registrations"
    return Counter({group: 0 for group in training.target_groups or ()}), "training"


def suggested_toolkits(training: Training, language: str) -> list[tuple[ModuleView, int]]:
    """Toolkit sections for this audience, most people served first, each with
    how many registrations it serves. Sections for everyone always come."""
    counts, _source = audience(training)
    chosen = []
    for view in library_for(training, language):
        if view.kind != "toolkit":
            continue
        if not view.target_groups:
            chosen.append((view, sum(counts.values())))
            continue
        served = sum(counts[group] for group in view.target_groups if group in counts)
        if any(group in counts for group in view.target_groups):
            chosen.append((view, served))
    return sorted(chosen, key=lambda pair: (not pair[0].target_groups, -pair[1], pair[0].order))


# --- own modules -----------------------------------------------------------


def _lines(value: str, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ModuleError(_("A text can be at most %(n)d characters long.", n=limit))
    return value


def _int(value, low: int, high: int, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ModuleError(message) from None
    if not low <= number <= high:
        raise ModuleError(message)
    return number


def clean_steps(raw_steps: list[dict], previous: list[dict] | None = None) -> list[dict]:
    """Steps from the edit form: blank rows are dropped, the rest checked
    with the agenda's own rules. The form has no poll editor: a row keeps the
    poll of the step it was shown for (``previous``, same index) while its
    kind stays the same."""
    previous = previous or []
    steps = []
    for index, raw in enumerate(raw_steps):
        if raw.get("remove") or not (raw.get("title") or "").strip():
            continue
        try:
            values = agenda_services.clean_step(
                kind=raw.get("kind"),
                title=raw.get("title"),
                planned_minutes=raw.get("minutes"),
                content=raw.get("content", ""),
                notes=raw.get("notes", ""),
            )
        except agenda_services.AgendaError as exc:
            raise ModuleError(str(exc)) from None
        step = {
            "kind": values["kind"],
            "title": values["title"],
            "minutes": values["planned_minutes"],
            "content": values["content"],
            "notes": values["notes"],
        }
        before = previous[index] if index < len(previous) else {}
        if before.get("poll") and before.get("kind") == step["kind"]:
            step["poll"] = before["poll"]
        steps.append(step)
    if len(steps) > MAX_STEPS:
        raise ModuleError(_("A module can have at most %(n)d steps.", n=MAX_STEPS))
    return steps


def _module_values(data, steps: list[dict]) -> dict:
    title = (data.get("title") or "").strip()
    if not title:
        raise ModuleError(_("Give the module a title."))
    if len(title) > TITLE_MAX:
        raise ModuleError(_("The title can be at most %(n)d characters long.", n=TITLE_MAX))
    language = data.get("language") or "fi"
    if language not in LANGUAGES:
        raise ModuleError(_("Unknown choice."))
    kind = data.get("kind") or "common"
    if kind not in MODULE_KINDS:
        raise ModuleError(_("Unknown choice."))
    groups = [group for group in getlist(data, "target_groups") if group]
    if any(group not in TARGET_GROUPS for group in groups):
        raise ModuleError(_("Unknown choice."))
    as_of_raw = (data.get("as_of") or "").strip()
    try:
        as_of = date.fromisoformat(as_of_raw) if as_of_raw else None
    except ValueError:
        raise ModuleError(_("Enter the date as in 2026-11-28.")) from None
    step_minutes = sum(step["minutes"] for step in steps)
    minutes_raw = data.get("minutes")
    minutes = (
        _int(
            minutes_raw,
            1,
            MAX_MINUTES,
            _("The duration must be between 1 and %(max)d minutes.", max=MAX_MINUTES),
        )
        if str(minutes_raw or "").strip()
        else max(step_minutes, 1)
    )
    return {
        "title": title,
        "language": language,
        "kind": kind,
        "summary": _lines(data.get("summary")),
        "key_points": _lines(data.get("key_points")),
        "links": _lines(data.get("links")),
        "target_groups": groups,
        "as_of": as_of,
        "minutes": minutes,
        "steps": steps,
    }


def create_module(training: Training, data, steps: list[dict]) -> Module:
    module = Module(training_id=training.id, **_module_values(data, clean_steps(steps)))
    db.session.add(module)
    db.session.flush()
    return module


def update_module(training: Training, raw_id, data, steps: list[dict]) -> Module:
    module = get_own(training, raw_id)
    values = _module_values(data, clean_steps(steps, list(module.steps or ())))
    for key, value in values.items():
        setattr(module, key, value)
    db.session.flush()
    return module


def delete_module(training: Training, raw_id) -> None:
    db.session.delete(get_own(training, raw_id))
    db.session.flush()


def copy_shipped(training: Training, slug: str, language: str) -> Module:
    """An editable copy of a shipped module in one language (one per language:
    asking again returns the copy already made)."""
    existing = resolve(training, f"lib:{slug}", language)
    if existing.own_id is not None:
        return get_own(training, existing.own_id)
    if existing.language != language:
        raise ModuleError(_("That module no longer exists."))
    module = Module(
        training_id=training.id,
        based_on=slug,
        language=language,
        kind=existing.kind,
        title=existing.title,
        summary=existing.summary,
        key_points="\n".join(existing.key_points),
        minutes=existing.minutes,
        target_groups=list(existing.target_groups),
        links=existing.links_text,
        as_of=existing.as_of,
        steps=[dict(step) for step in existing.steps],
    )
    db.session.add(module)
    db.session.flush()
    return module


# --- building agendas ------------------------------------------------------


def add_entries(live: LiveSession, entries: list[dict]) -> list[AgendaStep]:
    """Append steps (with their polls) to a session's agenda.

    An entry: {kind, title, minutes, content?, links?, notes?, poll?}.
    """
    added = []
    for entry in entries:
        if entry["kind"] not in STEP_KINDS:
            continue
        step = agenda_services.add_step(
            live,
            entry["kind"],
            entry["title"],
            entry["minutes"],
            entry.get("content", ""),
            entry.get("links", ""),
            entry.get("notes", ""),
        )
        poll = entry.get("poll")
        if poll and entry["kind"] in ("poll", "practical_situation", "feedback"):
            poll = dict(poll)
            hide = poll.pop("hide_results", True)
            poll_services.save_poll(live, step, hide_results=hide, **poll)
        added.append(step)
    return added


def module_entries(view: ModuleView) -> list[dict]:
    """A module's ready steps; its toolkit links go with its first step, so
    phones keep them and the summary can list them."""
    entries = [dict(step) for step in view.steps]
    if entries and view.links:
        first = entries[0]
        links = (first.get("links", ""), view.links_text)
        first["links"] = "\n".join(part for part in links if part)
    return entries


def add_module(live: LiveSession, view: ModuleView) -> list[AgendaStep]:
    steps = add_entries(live, module_entries(view))
    if not steps:
        raise ModuleError(_("That module has no agenda steps."))
    return steps


def has_run(live: LiveSession) -> bool:
    return live.current_step_id is not None or bool(
        db.session.scalar(select(func.count()).where(StepRun.session_id == live.id))
    )


def clear_agenda(live: LiveSession) -> None:
    if has_run(live):
        raise ModuleError(
            _("This session has already been run: its agenda is kept for the summary.")
        )
    for step in agenda_services.steps_of(live):
        db.session.delete(step)
    db.session.flush()
    agenda_services.bump_version(live)


def target_session(training: Training, raw_id=None, title: str = "") -> LiveSession:
    """The session whose agenda is built: the one chosen, or a new one."""
    if raw_id not in (None, "", "new"):
        try:
            live = db.session.get(LiveSession, int(raw_id))
        except (TypeError, ValueError):
            live = None
        if live is None or live.training_id != training.id or not live.is_open:
            raise ModuleError(_("That session is closed or no longer exists."))
        return live
    return open_session(training, title)


def build_from_template(
    training: Training,
    live: LiveSession,
    template_key: str,
    language: str,
    toolkit_keys: list[str] | None = None,
    replace: bool = False,
) -> list[AgendaStep]:
    """A complete agenda from a template: its steps and modules in order, with
    the chosen toolkit sections where the template has room for them (by
    default the sections suggested for the audience)."""
    chosen = library.template(template_key, language)
    if chosen is None:
        raise ModuleError(_("Choose a template."))
    if agenda_services.steps_of(live):
        if not replace:
            raise ModuleError(
                _(
                    "This session already has an agenda. "
                    "Choose to replace it, or add modules one by one."
                )
            )
        clear_agenda(live)
    if toolkit_keys is None:
        toolkits = [view for view, _count in suggested_toolkits(training, language)]
    else:
        toolkits = [resolve(training, key, language) for key in toolkit_keys]
    entries: list[dict] = []
    for kind, value in chosen.items:
        if kind == "step":
            entries.append(dict(value))
        elif kind == "module":
            entries.extend(module_entries(resolve(training, f"lib:{value}", language)))
        elif kind == "toolkits":
            for view in toolkits:
                entries.extend(module_entries(view))
    return add_entries(live, entries)


def planned_minutes(live: LiveSession) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(AgendaStep.planned_minutes), 0)).where(
                AgendaStep.session_id == live.id
            )
        )
    )
