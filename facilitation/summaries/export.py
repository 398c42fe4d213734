"""The organisers' raw export of a session: every question, story and answer.

Unlike the summary, this holds hidden, pending and rejected posts too, with a
status column saying which is which. Three tables (questions, stories,
answers): one sheet each in XLSX, one CSV file each (UTF-8 with a BOM and
";" between fields, as Excel opens it in Finland). Texts are in the
training's language. No participant identifier is exported, not even the
per-session hash.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale, to_user_timezone
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from ..agenda.models import AgendaStep
from ..assessments.models import AssessmentAnswer, FeedbackAnswer
from ..cases.models import CaseStory
from ..extensions import db
from ..polls.models import Poll, PollAnswer
from ..questions.models import Question

TABLES = ("questions", "stories", "answers")
# A cell starting with one of these is a formula to a spreadsheet program:
# a participant's text must never run as one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass
class Sheet:
    key: str
    title: str
    header: list[str]
    rows: list[list]  # str, int, datetime (aware UTC) or None


def _status(status: str) -> str:
    return {
        "visible": _("Visible"),
        "hidden": _("Hidden"),
        "pending": _("Waiting for approval"),
        "approved": _("Approved"),
        "rejected": _("Rejected"),
    }.get(status, status)


def _poll_answer(poll: Poll, value) -> str:
    if poll.kind in ("single", "multiple") and isinstance(value, list):
        options = poll.options or []
        return ", ".join(options[i] if 0 <= i < len(options) else str(i) for i in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _in_order(model, live):
    """A session's rows of ``model`` in the order they were posted."""
    return db.session.scalars(
        select(model).where(model.session_id == live.id).order_by(model.created_at, model.id)
    )


def sheets(live) -> list[Sheet]:
    """The three tables of a session, in the current locale."""
    steps = {
        s.id: s.title
        for s in db.session.scalars(select(AgendaStep).where(AgendaStep.session_id == live.id))
    }
    questions = _in_order(Question, live)
    stories = _in_order(CaseStory, live)
    polls = {p.id: p for p in db.session.scalars(select(Poll).where(Poll.session_id == live.id))}
    poll_answers = db.session.scalars(
        select(PollAnswer)
        .join(Poll, Poll.id == PollAnswer.poll_id)
        .where(Poll.session_id == live.id)
        .order_by(PollAnswer.updated_at, PollAnswer.id)
    )
    assessments = _in_order(AssessmentAnswer, live)
    feedback = _in_order(FeedbackAnswer, live)
    yes, no = _("yes"), _("no")

    question_rows = [
        [
            q.id,
            steps.get(q.step_id, ""),
            q.created_at,
            q.body,
            q.vote_count,
            _status(q.status),
            q.answered_at,
            q.followup_answer,
            q.followup_answered_at,
        ]
        for q in questions
    ]
    story_rows = [
        [
            s.id,
            steps.get(s.step_id, ""),
            s.created_at,
            s.situation,
            s.action,
            s.discussion,
            s.vote_count,
            _status(s.status),
            ", ".join(sorted({flag.get("kind", "") for flag in s.flags or []})),
            yes if s.posted_anyway else no,
            s.edited_at,
        ]
        for s in stories
    ]
    answer_rows = []
    poll_type, assessment_type, feedback_type = _("Poll"), _("Self-assessment"), _("Feedback")
    for a in poll_answers:
        poll = polls[a.poll_id]
        answer_rows.append(
            [
                poll_type,
                steps.get(poll.step_id, ""),
                a.updated_at,
                poll.question,
                _poll_answer(poll, a.value),
                _status(a.status),
            ]
        )
    for a in assessments:
        for statement, rating in (a.ratings or {}).items():
            answer_rows.append(
                [assessment_type, steps.get(a.step_id, ""), a.created_at, statement, rating, ""]
            )
    for a in feedback:
        parts = [
            (_("Overall rating"), a.rating),
            (_("Most useful"), a.most_useful),
            (_("To improve"), a.to_improve),
        ]
        for label, value in parts:
            if value not in (None, ""):
                answer_rows.append(
                    [
                        feedback_type,
                        steps.get(a.step_id, ""),
                        a.created_at,
                        label,
                        value,
                        _status(a.status),
                    ]
                )

    return [
        Sheet(
            "questions",
            _("Questions"),
            [
                _("Id"),
                _("Step"),
                _("Asked at"),
                _("Question"),
                _("Votes"),
                _("Status"),
                _("Answered in the session at"),
                _("Organisers' answer"),
                _("Answered afterwards at"),
            ],
            question_rows,
        ),
        Sheet(
            "stories",
            _("Case stories"),
            [
                _("Id"),
                _("Step"),
                _("Posted at"),
                _("What happened?"),
                _("What did you do?"),
                _("What would you like to discuss?"),
                _("Votes"),
                _("Status"),
                _("Personal-data guard found"),
                _("Posted anyway"),
                _("Edited at"),
            ],
            story_rows,
        ),
        Sheet(
            "answers",
            _("Answers"),
            [_("Type"), _("Step"), _("Answered at"), _("Question"), _("Answer"), _("Status")],
            answer_rows,
        ),
    ]


def _local(value: datetime) -> datetime:
    """Helsinki wall-clock time without a zone: what a spreadsheet can hold."""
    return to_user_timezone(value).replace(tzinfo=None)


# --- CSV -----------------------------------------------------------------------


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    return str(value)


def to_csv(live, table: str, language: str) -> bytes:
    """One table as CSV for Finnish Excel."""
    with force_locale(language):
        sheet = next(s for s in sheets(live) if s.key == table)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        for row in [sheet.header, *sheet.rows]:
            writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def table_name(table: str, language: str) -> str:
    with force_locale(language):
        return {"questions": _("questions"), "stories": _("stories"), "answers": _("answers")}[
            table
        ]


# --- XLSX ----------------------------------------------------------------------


def to_xlsx(live, language: str) -> bytes:
    """The three tables as sheets of one workbook, dates as real dates."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    with force_locale(language):
        tables = sheets(live)
    for table in tables:
        sheet = workbook.create_sheet(table.title[:31])
        widths = {}
        for col, title in enumerate(table.header, start=1):
            cell = sheet.cell(row=1, column=col, value=title)
            cell.font = bold
            widths[col] = len(title)
        for row_index, row in enumerate(table.rows, start=2):
            for col, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = sheet.cell(row=row_index, column=col)
                if isinstance(value, datetime):
                    cell.value = _local(value)
                    cell.number_format = DATETIME_FORMAT
                    width = 16
                elif isinstance(value, str):
                    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    cell.data_type = "s"  # text stays text, even when it starts with "="
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    width = len(value)
                else:
                    cell.value = value
                    width = len(str(value))
                widths[col] = max(widths[col], width)
        for col, width in widths.items():
            sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
