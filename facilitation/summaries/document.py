"""The summary as a document outline: headings, facts, tables, lists, charts.

``outline(summary)`` turns the plain data of ``services.build_summary`` into
blocks of translated, formatted text in the current locale (the renderers
call it inside ``force_locale(training language)``). HTML/PDF, DOCX and
Markdown all walk the same blocks, so their headings and figures are the same
text in every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from types import SimpleNamespace

from flask import get_template_attribute
from flask_babel import format_date, format_decimal, format_time, get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from ..polls import presentation
from . import charts

KINDS_WITH_CHART = ("single", "multiple", "scale", "words")


# --- blocks --------------------------------------------------------------------


@dataclass
class Heading:
    level: int  # 1 the document's title, 2 a section, 3 and 4 parts of it
    text: str
    anchor: str = ""
    kind: str = "heading"


@dataclass
class Facts:
    rows: list[tuple[str, str]]
    kind: str = "facts"


@dataclass
class Para:
    text: str
    style: str = ""  # "", "meta" (the small line under a heading) or "note"
    kind: str = "para"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()  # columns aligned right
    kind: str = "table"


@dataclass
class Entry:
    """A question, a story or a free-text answer."""

    text: str = ""
    meta: str = ""
    state: str = ""  # "answered" or "open" for questions
    fields: list[tuple[str, str]] = field(default_factory=list)  # a story's parts
    answer: str = ""  # the organisers' answer to a question


@dataclass
class Entries:
    items: list[Entry]
    kind: str = "entries"


@dataclass
class Chart:
    """A chart as SVG for HTML and PDF; ``table`` holds its numbers for the
    formats that do not draw it (DOCX, Markdown), None when a table next to
    it already shows them."""

    draw: object  # () -> Markup, called only when the SVG is wanted
    table: Table | None
    kind: str = "chart"

    @cached_property
    def svg(self) -> Markup:
        return self.draw()


def table_of(block) -> Table | None:
    """The table to print for a block in formats without charts (DOCX, Markdown)."""
    if block.kind == "table":
        return block
    if block.kind == "chart":
        return block.table
    return None


@dataclass
class Links:
    items: list[tuple[str, str]]
    kind: str = "links"


@dataclass
class Document:
    language: str
    title: str
    blocks: list
    footer: str  # training title and session, for the PDF's page footer

    @property
    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "heading"]


# --- formatting ----------------------------------------------------------------


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _number(n) -> str:
    return format_decimal(n)


def _one_decimal(x: float) -> str:
    return format_decimal(x, "0.0")


def _signed(x: float) -> str:
    return format_decimal(x, "+0.0;-0.0")


def _minutes(n: float) -> str:
    return _("%(n)s min", n=_number(round(n)))


def _day(value: datetime) -> str:
    return format_date(value, "medium")


def _clock(value: datetime) -> str:
    return format_time(value, "short")


def _span(start: datetime | None, end: datetime | None) -> str:
    """ "12.3.2026 9.00–12.00", over two days "12.3.2026 9.00 – 13.3.2026 16.00"."""
    if start is None:
        return ""
    text = f"{_day(start)} {_clock(start)}"
    if end is None:
        return text
    if _day(end) == _day(start):
        return f"{text}\u2013{_clock(end)}"
    return f"{text} \u2013 {_day(end)} {_clock(end)}"


def _said(template: str, macro: str, *args) -> str:
    """Plain text of a label macro, as the pages show it."""
    html = get_template_attribute(template, macro)(*args)
    return " ".join(Markup(html).unescape().split())


def kind_label(kind: str) -> str:
    label = _said("_macros/agenda.html", "kind_label", kind)
    if label == kind and kind == "self_assessment":
        return _("Self-assessment")
    return label


def session_label(summary: dict) -> str:
    session = summary["session"]
    if session["title"]:
        return _("%(title)s (code %(code)s)", title=session["title"], code=session["code"])
    return _("code %(code)s", code=session["code"])


def step_heading(number: int | None, step: dict) -> str:
    return f"{number}. {step['title']}" if number else step["title"]


# --- the outline -------------------------------------------------------------------


def outline(summary: dict) -> Document:
    """The blocks of the summary document, in the current locale."""
    blocks: list = []
    training = summary["training"]
    title = training["title"]
    blocks.append(Heading(1, title, "summary"))
    blocks.append(Facts(_header_facts(summary)))

    blocks += _participation(summary)

    ran = [s for s in summary["steps"] if s["run"]]
    never = [s for s in summary["steps"] if not s["run"]]
    with_content = [s for s in never if _has_content(s)]
    numbers = {s["id"]: i for i, s in enumerate(ran + with_content, start=1)}
    if summary["steps"]:
        blocks += _agenda_table(summary["steps"], numbers)
    for step in ran + with_content:
        blocks += _step(summary, step, numbers)
    if never:
        blocks.append(Heading(2, _("Steps not run"), "not-run"))
        blocks.append(Entries([Entry(text=s["title"], meta=_step_meta(s)) for s in never]))
    outside = summary["outside"]
    if outside["questions"] or outside["stories"]:
        blocks.append(Heading(2, _("Outside the agenda steps"), "outside"))
        blocks += _questions(outside["questions"])
        blocks += _stories(outside["stories"])

    blocks.append(Heading(2, _("Open questions for follow-up"), "open-questions"))
    if summary["open_questions"]:
        blocks += _listed(
            [
                Entry(
                    text=q["body"],
                    meta=_votes(q["votes"]) + (f" \u00b7 {q['step']}" if q["step"] else ""),
                    state="open",
                )
                for q in summary["open_questions"]
            ],
        )
    else:
        blocks.append(Para(_("Every question was answered."), "note"))

    blocks.append(Heading(2, _("Toolkit links"), "links"))
    if summary["links"]:
        blocks.append(Links([(link["title"], link["url"]) for link in summary["links"]]))
    else:
        blocks.append(Para(_("The agenda steps have no links."), "note"))

    footer = f"{title} \u00b7 {session_label(summary)}"
    return Document(str(get_locale()), title, blocks, footer)


def _header_facts(summary: dict) -> list[tuple[str, str]]:
    training, session = summary["training"], summary["session"]
    rows = [(_("Session summary"), session_label(summary))]
    starts, ends = _when(training["starts_at"]), _when(training["ends_at"])
    if starts:
        rows.append((_("Date"), _span(starts, ends)))
    held = _span(_when(session["started_at"]), _when(session["ended_at"]))
    if held:
        rows.append((_("Session held"), held))
    elif not starts:
        rows.append((_("Session opened"), _span(_when(session["opened_at"]), None)))
    venue = ", ".join(p for p in (training["venue_name"], training["venue_address"]) if p)
    if venue:
        rows.append((_("Venue"), venue))
    if training["organisers"]:
        rows.append((_("Organisers"), ", ".join(training["organisers"])))
    return rows


def _participation(summary: dict) -> list:
    p = summary["participation"]
    posts = p["posts"]
    return [
        Heading(2, _("Participation"), "participation"),
        Table(
            [_("What"), _("Number")],
            [
                [_("Registered (confirmed places)"), _number(p["registered"])],
                [_("On the waiting list"), _number(p["waitlisted"])],
                [_("Phones connected at the same time, at most"), _number(p["peak_participants"])],
                [_("Questions"), _number(posts["questions"])],
                [_("Case stories"), _number(posts["stories"])],
                [_("Poll answers"), _number(posts["poll_answers"])],
                [_("Self-assessment answers"), _number(posts["assessment_answers"])],
                [_("Feedback answers"), _number(posts["feedback"])],
            ],
            numeric=(1,),
        ),
    ]


def _has_content(step: dict) -> bool:
    return bool(
        step["questions"]
        or step["stories"]
        or (step["poll"] and step["poll"]["answers"])
        or (step["assessment"] and step["assessment"]["answers"])
        or (step["feedback"] and step["feedback"]["answers"])
    )


def _actual(step: dict) -> str:
    if step["actual_seconds"] is None:
        return _("running") if step["running"] else _("not run")
    return _minutes(step["actual_seconds"] / 60)


def _times(step: dict) -> str:
    spans = []
    for run in step["runs"]:
        start, end = _when(run["started_at"]), _when(run["ended_at"])
        spans.append(
            f"{_clock(start)}\u2013{_clock(end)}" if end else _("%(t)s\u2013", t=_clock(start))
        )
    return ", ".join(spans)


def _step_meta(step: dict) -> str:
    parts = [kind_label(step["kind"]), _("planned %(m)s", m=_minutes(step["planned_minutes"]))]
    if step["run"]:
        parts.append(_("actual %(m)s", m=_actual(step)))
        parts.append(_times(step))
    else:
        parts.append(_("not run"))
    return " \u00b7 ".join(parts)


def _agenda_table(steps: list[dict], numbers: dict) -> list:
    rows = []
    for step in steps:
        number = numbers.get(step["id"])
        rows.append(
            [
                _number(number) if number else "",
                step["title"],
                kind_label(step["kind"]),
                _minutes(step["planned_minutes"]),
                _actual(step),
                _times(step),
            ]
        )
    return [
        Heading(2, _("Agenda as run"), "agenda"),
        Table(
            ["#", _("Step"), _("Kind"), _("Planned"), _("Actual"), _("Time")],
            rows,
            numeric=(0, 3, 4),
        ),
    ]


def _votes(n: int) -> str:
    return ngettext("%(num)d vote", "%(num)d votes", n)


def _questions(questions: list[dict]) -> list:
    if not questions:
        return []
    answered = sum(q["answered"] for q in questions)
    return [
        Heading(3, _("Questions")),
        Para(
            ngettext(
                "%(num)d question, %(answered)s of them answered.",
                "%(num)d questions, %(answered)s of them answered.",
                len(questions),
                answered=_number(answered),
            ),
            "note",
        ),
        *_listed(
            [
                Entry(
                    text=q["body"],
                    meta=_votes(q["votes"])
                    + " \u00b7 "
                    + (_("answered") if q["answered"] else _("open")),
                    state="answered" if q["answered"] else "open",
                    answer=q["answer"],
                )
                for q in questions
            ],
        ),
    ]


def _stories(stories: list[dict]) -> list:
    if not stories:
        return []
    labels = {
        name: _said("_macros/cases.html", "field_label", name)
        for name in ("situation", "action", "discussion")
    }
    return [
        Heading(3, _("Case stories")),
        *_listed(
            [
                Entry(fields=[(labels[n], s[n]) for n in labels if s[n]], meta=_votes(s["votes"]))
                for s in stories
            ],
        ),
    ]


def _listed(entries: list[Entry]) -> list:
    """Every entry: an organiser's summary holds every visible question,
    approved story and approved answer (the PDF is fast enough for 1,000 of
    them; see docs/performance.md)."""
    return [Entries(entries)]


def _poll(step: dict) -> list:
    poll = step["poll"]
    heading = _("Practical situation") if step["kind"] == "practical_situation" else _("Poll")
    kind = poll["kind"]
    if kind in KINDS_WITH_CHART:
        count = ngettext("%(num)d answer", "%(num)d answers", poll["answers"])
    else:
        count = ngettext(
            "%(num)d answer, %(shown)s of them approved and shown here.",
            "%(num)d answers, %(shown)s of them approved and shown here.",
            poll["answers"],
            shown=_number(len(poll["texts"])),
        )
    blocks = [Heading(3, heading), Para(poll["question"]), Para(count, "note")]
    shape = SimpleNamespace(
        kind=kind,
        question=poll["question"],
        scale_low=poll.get("scale_low", ""),
        scale_high=poll.get("scale_high", ""),
    )
    if kind in ("single", "multiple"):
        items = [(o["label"], o["count"]) for o in poll["options"]]
        result = {"items": items, "count": poll["answers"]}
        table = Table([_("Option"), _("Answers")], [[a, _number(b)] for a, b in items], (1,))
        blocks.append(Chart(lambda: presentation.chart(shape, result), table))
    elif kind == "scale":
        counts = dict(zip(range(1, 6), poll["scale"], strict=True))
        table = Table(
            [_("Answer"), _("Answers")], [[str(k), _number(v)] for k, v in counts.items()], (1,)
        )
        blocks.append(Chart(lambda: presentation.chart(shape, {"scale": counts}), table))
        if poll["average"] is not None:
            blocks.append(Para(_("Average %(avg)s", avg=_one_decimal(poll["average"])), "note"))
    elif kind == "words":
        words = {w: n for w, n in poll["words"]}
        table = Table([_("Word"), _("Times")], [[w, _number(n)] for w, n in poll["words"]], (1,))
        if words:
            blocks.append(Chart(lambda: presentation.chart(shape, {"words": words}), table))
    else:
        if poll["texts"]:
            blocks += _listed([Entry(text=t) for t in poll["texts"]])
        else:
            blocks.append(Para(_("No approved answers."), "note"))
    return blocks


def _assessment(summary: dict, step: dict, numbers: dict) -> list:
    data = summary["self_assessment"]
    role = step["assessment"]["role"]
    answers = step["assessment"]["answers"]
    count = ngettext("%(num)d answer", "%(num)d answers", answers)
    if data is None or role is None:
        return [Heading(3, _("Self-assessment")), Para(count, "note")]
    if role in ("start", "middle"):
        end = next(s for s in summary["steps"] if s["id"] == data["end_step_id"])
        where = step_heading(numbers.get(end["id"]), end)
        if role == "start":
            text = _(
                "%(count)s. The change from the start to the end is shown under «%(step)s».",
                count=count,
                step=where,
            )
        else:
            text = _(
                "%(count)s. Only the first and the last self-assessment are compared.", count=count
            )
        return [Heading(3, _("Self-assessment")), Para(text, "note")]

    rows = data["statements"]
    if role == "only":
        blocks = [
            Heading(3, _("Self-assessment")),
            Para(
                _("%(count)s. Averages on a scale from 1 to 5.", count=count),
                "note",
            ),
            Table(
                [_("Statement"), _("Average"), _("Answers")],
                [[r["statement"], _maybe(r["start"]), _number(r["n"])] for r in rows],
                (1, 2),
            ),
        ]
        start_label, end_label = _("Average"), None
    else:
        blocks = [
            Heading(3, _("Self-assessment: change from the start to the end")),
            Para(
                _(
                    "Averages on a scale from 1 to 5 of the participants who answered a "
                    "statement both at the start and at the end (n). Answers at the start: "
                    "%(start)s, at the end: %(end)s, of the same participants: %(paired)s.",
                    start=_number(data["start_answers"]),
                    end=_number(data["end_answers"]),
                    paired=_number(data["paired"]),
                ),
                "note",
            ),
            Table(
                [_("Statement"), _("At the start"), _("At the end"), _("Change"), "n"],
                [
                    [
                        r["statement"],
                        _maybe(r["start"]),
                        _maybe(r["end"]),
                        _maybe(r["change"], _signed),
                        _number(r["n"]),
                    ]
                    for r in rows
                ],
                (1, 2, 3, 4),
            ),
        ]
        start_label, end_label = _("At the start"), _("At the end")
    if any(r["start"] is None for r in rows):
        blocks.append(
            Para(
                _(
                    "Averages of fewer than %(n)s participants are not shown.",
                    n=_number(data["min_group"]),
                ),
                "note",
            )
        )
    if any(r["start"] is not None for r in rows):
        title = blocks[0].text
        blocks.append(
            Chart(
                lambda: charts.change_chart(
                    rows,
                    title=title,
                    start_label=start_label,
                    end_label=end_label,
                    number_format=_one_decimal,
                    change_format=_signed,
                ),
                None,
            )
        )
    return blocks


def _maybe(value, fmt=_one_decimal) -> str:
    return "\u2013" if value is None else fmt(value)


def _feedback(step: dict) -> list:
    data = step["feedback"]
    blocks = [Heading(3, _("Feedback"))]
    if not data["answers"]:
        return blocks + [Para(_("No approved feedback."), "note")]
    counts = dict(zip(range(1, 6), data["distribution"], strict=True))
    table = Table(
        [_("Rating"), _("Answers")], [[str(k), _number(v)] for k, v in counts.items()], (1,)
    )
    blocks.append(
        Para(ngettext("%(num)d answer", "%(num)d answers", data["answers"]), "note"),
    )
    if data["average"] is not None:
        shape = SimpleNamespace(
            kind="scale", question=_("Overall rating"), scale_low="", scale_high=""
        )
        blocks.append(Chart(lambda: presentation.chart(shape, {"scale": counts}), table))
        blocks.append(Para(_("Average %(avg)s", avg=_one_decimal(data["average"])), "note"))
    for key, label in (("most_useful", _("Most useful")), ("to_improve", _("To improve"))):
        if data[key]:
            blocks.append(Heading(4, label))
            blocks += _listed([Entry(text=t) for t in data[key]])
    return blocks


def _step(summary: dict, step: dict, numbers: dict) -> list:
    blocks = [
        Heading(2, step_heading(numbers[step["id"]], step), f"step-{step['id']}"),
        Para(_step_meta(step), "meta"),
    ]
    before = len(blocks)
    blocks += _questions(step["questions"])
    blocks += _stories(step["stories"])
    if step["poll"]:
        blocks += _poll(step)
    if step["assessment"]:
        blocks += _assessment(summary, step, numbers)
    if step["feedback"]:
        blocks += _feedback(step)
    if len(blocks) == before:
        blocks.append(Para(_("No questions, stories or answers in this step."), "note"))
    return blocks
