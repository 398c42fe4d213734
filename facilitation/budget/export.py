"""The budget as a spreadsheet: CSV for Finnish Excel, XLSX with real numbers.

Both are built from the same tables, in the language of the request: the
cost lines (speakers' fees and travel included, as the budget page shows
them) with each partner's part, a total row, and each partner's totals.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal
from flask import get_template_attribute
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import services

EURO_FORMAT = "#,##0.00 €"
HEADER_WIDTH = 22
# A cell starting with one of these is a formula to a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Cents(int):
    """An amount of money in a table cell; written out as euros."""


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]  # str, Cents or None (empty); the last row is the total


def _said(macro: str, *args) -> str:
    """Plain text from a macro of templates/_macros/budget.html."""
    html = get_template_attribute("_macros/budget.html", macro)(*args)
    return " ".join(Markup(html).unescape().split())


def _cents(amount: int | None) -> Cents | None:
    return None if amount is None else Cents(amount)


def _partner_cells(partners, estimated: dict, actual: dict) -> list:
    """Estimated and actual part of each partner; empty where they do not share."""
    cells = []
    for partner in partners:
        cells += [_cents(estimated.get(partner.id)), _cents(actual.get(partner.id))]
    return cells


def tables(training) -> list[Table]:
    partners = training.partners
    header = [_("Category"), _("Description"), _("Sharing"), _("Estimated (€)"), _("Actual (€)")]
    for partner in partners:
        header += [
            _("%(partner)s: estimated (€)", partner=partner.name),
            _("%(partner)s: actual (€)", partner=partner.name),
        ]
    rows = []
    for line in services.lines_of(training):
        actual = line.actual_cents
        rows.append(
            [
                _said("category_label", line.category),
                line.description,
                _said("line_sharing", line),
                Cents(line.estimated_cents),
                _cents(actual),
                *_partner_cells(
                    partners,
                    services.parts(line, line.estimated_cents),
                    services.parts(line, actual) if actual is not None else {},
                ),
            ]
        )
    for speaker, category, cents in services.speaker_costs(training):
        rows.append(
            [
                _said("category_label", category),
                speaker.name,
                _said("speaker_sharing", speaker, partners),
                Cents(cents),
                None,
                *_partner_cells(partners, services.speaker_parts(training, speaker, cents), {}),
            ]
        )
    totals = services.totals(training)
    overall, per_partner = totals["overall"], totals["partners"]

    def partner_total(partner, key: str) -> Cents:
        return Cents(per_partner.get(partner.id, {}).get(key, 0))

    rows.append(
        [
            _("Total"),
            "",
            "",
            Cents(overall["estimated"]),
            Cents(overall["actual"]),
            *[partner_total(p, key) for p in partners for key in ("estimated", "actual")],
        ]
    )
    shares = Table(
        _("Partners"),
        [_("Partner"), _("Estimated (€)"), _("Actual (€)")],
        [[p.name, partner_total(p, "estimated"), partner_total(p, "actual")] for p in partners]
        + [[_("Total"), Cents(overall["estimated"]), Cents(overall["actual"])]],
    )
    return [Table(_("Budget"), header, rows), shares]


# --- CSV ---------------------------------------------------------------------


def _csv_cell(value, locale: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Cents):
        return format_decimal(
            Decimal(value) / 100, format="#,##0.00", locale=locale, group_separator=False
        )
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(training) -> bytes:
    """UTF-8 with a BOM and ";" between fields, as Excel opens it in Finland;
    decimal comma in Finnish and Swedish."""
    locale = str(get_locale())
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for index, table in enumerate(tables(training)):
        if index:
            writer.writerow([])
        for row in [table.header, *table.rows]:
            writer.writerow([_csv_cell(value, locale) for value in row])
    return out.getvalue().encode("utf-8-sig")


# --- XLSX --------------------------------------------------------------------


def _xlsx_sheet(workbook: Workbook, table: Table) -> None:
    sheet = workbook.create_sheet(table.title[:31])
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    for col_index, title in enumerate(table.header, start=1):
        cell = sheet.cell(row=1, column=col_index, value=title)
        cell.data_type = "s"
        cell.font = bold
        # Long headers ("Partner name: estimated (€)") wrap instead of widening.
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths[col_index] = min(len(title), HEADER_WIDTH)
    for row_index, row in enumerate(table.rows, start=2):
        is_total = row_index == len(table.rows) + 1
        for col_index, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=row_index, column=col_index)
            if isinstance(value, Cents):
                cell.value = Decimal(value) / 100
                cell.number_format = EURO_FORMAT
                width = len(f"{value / 100:,.2f} €")
            else:
                cell.value = value
                # Text stays text, even when it starts with "=".
                cell.data_type = "s"
                width = len(value)
            if is_total:
                cell.font = bold
            widths[col_index] = max(widths.get(col_index, 0), width)
    for col_index, width in widths.items():
        sheet.column_dimensions[get_column_letter(col_index)].width = min(max(width + 2, 10), 50)
    sheet.freeze_panes = "A2"


def to_xlsx(training) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables(training):
        _xlsx_sheet(workbook, table)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
