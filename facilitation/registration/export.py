"""Registrations as CSV (for Finnish Excel) and XLSX, in the UI language."""

import csv
import io

from flask import get_template_attribute
from flask_babel import format_datetime
from flask_babel import gettext as _
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from werkzeug.utils import secure_filename

from ..trainings.services import HELSINKI, today_in_helsinki

# A cell starting with one of these is a formula to a spreadsheet: text typed
# by the public must never run as one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _label(macro: str, key: str, template: str = "_macros/registration.html") -> str:
    """The same translated label the pages show, as plain text."""
    html = get_template_attribute(template, macro)(key)
    return Markup(html).unescape().strip()


def headers() -> list[str]:
    return [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Sector"),
        _("Diets"),
        _("Diet notes"),
        _("Accessibility needs"),
        _("Status"),
        _("Registered at"),
    ]


def rows(groups: dict) -> list[list]:
    """One row per registration: confirmed, waiting list, cancelled."""
    result = []
    for status in ("confirmed", "waitlisted", "cancelled"):
        for r in groups[status]:
            result.append(
                [
                    r.name,
                    r.email,
                    r.organisation,
                    _label("sector_label", r.sector),
                    ", ".join(
                        _label("diet_label", diet, "_macros/diets.html") for diet in r.diets or []
                    ),
                    r.diet_notes,
                    r.accessibility,
                    _label("registration_status_label", r.status),
                    r.created_at,
                ]
            )
    return result


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def to_csv(groups: dict) -> bytes:
    """UTF-8 with a BOM and semicolons: what Excel in Finland opens as columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for row in rows(groups):
        *texts, registered = row
        writer.writerow(
            [_safe(t) for t in texts] + [format_datetime(registered, "yyyy-MM-dd HH:mm")]
        )
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(groups: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Registrations")[:31]
    sheet.append(headers())
    for row in rows(groups):
        *texts, registered = row
        sheet.append([_safe(ILLEGAL_CHARACTERS_RE.sub("", t)) for t in texts])
        cell = sheet.cell(row=sheet.max_row, column=len(row))
        # Excel has no time zones: the Helsinki wall-clock time.
        cell.value = registered.astimezone(HELSINKI).replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    for column, width in zip("ABCDEFGHI", (24, 30, 24, 24, 24, 24, 30, 14, 17), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(title: str, extension: str) -> str:
    """ASCII from the training's title, and today's date."""
    stem = secure_filename(title) or "registrations"
    return f"{stem[:60]}_{today_in_helsinki().isoformat()}.{extension}"
