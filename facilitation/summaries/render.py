"""The summary dict as documents: HTML, PDF, DOCX, Markdown and JSON.

Every renderer takes the plain data of ``services.build_summary`` (or the
snapshot kept after the raw rows were deleted) and nothing else, and writes
in the training's language whatever the reader's UI language is.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from functools import cache
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale, to_user_timezone
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.utils import secure_filename

from . import document, typeset
from .document import Document

CSS_FILE = Path("css") / "summary.css"
TYPST_TEMPLATE = "summary.typ"
PDF_TIMEOUT = 120  # seconds: a child that hangs is ended

MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def language_of(summary: dict, language: str | None = None) -> str:
    return language or summary["training"]["language"] or "fi"


def outline(summary: dict, language: str | None = None) -> Document:
    with force_locale(language_of(summary, language)):
        return document.outline(summary)


# --- HTML --------------------------------------------------------------


def document_html(summary: dict, language: str | None = None) -> Markup:
    """The document itself (an ``<article>``), for the preview page."""
    with force_locale(language_of(summary, language)):
        doc = document.outline(summary)
        return Markup(render_template("summaries/document.html", doc=doc))


@cache
def _stylesheet(static_folder: str) -> str:
    return (Path(static_folder) / CSS_FILE).read_text(encoding="utf-8")


def _css_string(text: str) -> str:
    cleaned = re.sub(r"\s+", " ", text).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{cleaned}"'


def _page_counter() -> str:
    """CSS ``content`` for "page 3 / 12" in the current language."""
    text = _("page %(page)s / %(pages)s", page="\0", pages="\1")
    parts = []
    for piece in re.split("([\0\1])", text):
        if piece == "\0":
            parts.append("counter(page)")
        elif piece == "\1":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def to_html(summary: dict, language: str | None = None) -> str:
    """A standalone HTML document with its styles inline, for a browser's
    print (the PDF is typeset by Typst from the same outline: ``to_pdf``)."""
    with force_locale(language_of(summary, language)):
        doc = document.outline(summary)
        return render_template(
            "summaries/print.html",
            doc=doc,
            stylesheet=Markup(_stylesheet(current_app.static_folder)),
            page_counter=Markup(_page_counter()),
            page_footer=Markup(_css_string(doc.footer)),
        )


# --- PDF ---------------------------------------------------------------------


def _page_pieces() -> list:
    """ "page 3 / 12" in the current language, for the Typst template: the
    texts around 0 (this page's number) and 1 (the number of pages)."""
    text = _("page %(page)s / %(pages)s", page="\0", pages="\1")
    pieces: list = []
    for piece in re.split("([\0\1])", text):
        if piece in ("\0", "\1"):
            pieces.append(ord(piece))
        elif piece:
            pieces.append(piece)
    return pieces


def _svg_alt(svg: str) -> str:
    """A chart's text alternative: its SVG title and description."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return ""
    ns = "{http://www.w3.org/2000/svg}"
    parts = [" ".join((root.findtext(f"{ns}{tag}") or "").split()) for tag in ("title", "desc")]
    return ": ".join(p for p in parts if p)


# A word longer than this gets break opportunities (a zero-width space after
# every so many characters): Typst breaks lines only where Unicode allows,
# and a pasted link or a run of letters would run past the page's edge.
_LONG_WORD = re.compile(r"\S{40,}")


def _breakable(text: str) -> str:
    text = _XML_INVALID.sub("", text)
    return _LONG_WORD.sub(lambda m: "\u200b".join(re.findall(r".{1,30}", m.group())), text)


def _pdf_block(block) -> dict:
    if block.kind == "heading":
        return {"kind": "heading", "level": block.level, "text": block.text}
    if block.kind == "facts":
        return {"kind": "facts", "rows": [[a, _breakable(b)] for a, b in block.rows]}
    if block.kind == "para":
        return {"kind": "para", "text": _breakable(block.text), "style": block.style}
    if block.kind == "table":
        return {
            "kind": "table",
            "header": block.header,
            "rows": [[_breakable(c) for c in row] for row in block.rows],
            "numeric": list(block.numeric),
        }
    if block.kind == "chart":
        svg = str(block.svg)
        return {"kind": "chart", "svg": svg, "alt": _svg_alt(svg)}
    if block.kind == "entries":
        return {
            "kind": "entries",
            "items": [
                {
                    "text": _breakable(e.text),
                    "meta": e.meta,
                    "state": e.state,
                    "fields": [[label, _breakable(text)] for label, text in e.fields],
                    "answer": _breakable(e.answer),
                }
                for e in block.items
            ],
        }
    if block.kind == "links":
        return {"kind": "links", "items": [[_breakable(t), u] for t, u in block.items]}
    raise ValueError(f"unknown block {block.kind!r}")


def pdf_document(summary: dict, language: str | None = None) -> dict:
    """The outline as the Typst template reads it (``sys.inputs.doc``)."""
    with force_locale(language_of(summary, language)):
        doc = document.outline(summary)
        return {
            "lang": doc.language,
            "title": doc.title,
            "authors": summary["training"]["organisers"],
            "footer": doc.footer,
            "page": _page_pieces(),
            "answer-label": _("Answer:"),
            "blocks": _pdf_blocks(doc.blocks),
        }


def _pdf_blocks(blocks: list) -> list[dict]:
    out, heading = [], ""
    for block in blocks:
        data = _pdf_block(block)
        if block.kind == "heading":
            heading = block.text
        elif block.kind == "chart" and not data["alt"]:
            data["alt"] = heading  # PDF/UA: every chart has a text alternative
        out.append(data)
    return out


def _template() -> Path:
    return Path(current_app.template_folder) / "summaries" / TYPST_TEMPLATE


def to_pdf(summary: dict, language: str | None = None) -> bytes:
    """The summary as a tagged PDF (PDF/UA-1), typeset by Typst in a child process
    (``typeset.py``: why a process of its own is told there)."""
    payload = json.dumps(pdf_document(summary, language), ensure_ascii=False).encode("utf-8")
    done = subprocess.run(
        [sys.executable, "-P", str(Path(typeset.__file__)), str(_template())],
        input=payload,
        capture_output=True,
        timeout=PDF_TIMEOUT,
        check=False,
    )
    said = done.stderr.decode("utf-8", "replace").strip()[-2000:]
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise RuntimeError("typesetting the summary PDF failed: " + said)
    if said:
        current_app.logger.warning("summary PDF: %s", said)
    return done.stdout


# --- DOCX ----------------------------------------------------------------------


def to_docx(summary: dict, language: str | None = None) -> bytes:
    """Word: the same headings as the PDF, tables for the figures, charts as
    tables of their numbers."""
    from docx import Document as Word
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    muted = RGBColor(0x4A, 0x55, 0x62)
    doc = outline(summary, language)
    word = Word()
    word.core_properties.title = doc.title
    word.core_properties.language = doc.language

    # python-docx looks a style up by name on every paragraph (a scan of all
    # styles): with hundreds of entries that was most of the time. Look each
    # up once and set the paragraph's style id directly.
    style_ids = {name: word.styles[name].style_id for name in ("List Bullet", "List Continue")}

    def styled(name: str):
        paragraph = word.add_paragraph()
        paragraph._p.style = style_ids[name]
        return paragraph

    def table(block: document.Table) -> None:
        grid = word.add_table(rows=1, cols=len(block.header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, block.header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for row in block.rows:
            cells = grid.add_row().cells
            for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
                cell.text = _docx_text(text)
                if index in block.numeric:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        word.add_paragraph()

    for block in doc.blocks:
        if block.kind == "heading":
            word.add_heading(block.text, level=block.level)
        elif block.kind == "facts":
            for label, value in block.rows:
                paragraph = word.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
        elif block.kind == "para":
            run = word.add_paragraph().add_run(_docx_text(block.text))
            if block.style in ("meta", "note"):
                run.font.color.rgb = muted
                run.italic = block.style == "note"
        elif (tabular := document.table_of(block)) is not None:
            table(tabular)
        elif block.kind == "entries":
            for entry in block.items:
                paragraph = styled("List Bullet")
                if entry.text:
                    paragraph.add_run(_docx_text(entry.text))
                for index, (label, text) in enumerate(entry.fields):
                    if index:
                        paragraph.add_run().add_break()
                    paragraph.add_run(f"{label} ").bold = True
                    paragraph.add_run(_docx_text(text))
                if entry.meta:
                    paragraph.add_run().add_break()
                    meta = paragraph.add_run(entry.meta)
                    meta.font.color.rgb = muted
                    meta.font.size = Pt(9)
                if entry.answer:
                    answer = styled("List Continue")
                    answer.add_run(_("Answer:") + " ").bold = True
                    answer.add_run(_docx_text(entry.answer))
        elif block.kind == "links":
            for title, url in block.items:
                paragraph = styled("List Bullet")
                paragraph.add_run(title)
                if title != url:
                    paragraph.add_run(f" \u2013 {url}").font.color.rgb = muted
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _docx_text(text: str) -> str:
    """Word's XML cannot carry control characters a phone may have sent."""
    return _XML_INVALID.sub("", text)


# --- Markdown and JSON ---------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")
_MD_BULLET = re.compile(r"^(\s*)([-+])(\s)", re.MULTILINE)
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])(\s)", re.MULTILINE)


def _md(text: str) -> str:
    """Participants' text as plain Markdown text: nothing in it becomes markup."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_BULLET.sub(r"\1\\\2\3", text)
    return _MD_NUMBERED.sub(r"\1\\\2\3", text)


def _md_cell(text: str) -> str:
    return _md(" ".join(text.split()))


def to_markdown(summary: dict, language: str | None = None) -> str:
    doc = outline(summary, language)
    out: list[str] = []

    def table(block: document.Table) -> None:
        out.append("| " + " | ".join(_md_cell(h) for h in block.header) + " |")
        out.append(
            "|"
            + "|".join("---:" if i in block.numeric else "---" for i in range(len(block.header)))
            + "|"
        )
        for row in block.rows:
            out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
        out.append("")

    for block in doc.blocks:
        if block.kind == "heading":
            out += ["#" * block.level + " " + _MD_SPECIAL.sub(r"\\\1", block.text), ""]
        elif block.kind == "facts":
            out += [f"- **{_md(label)}:** {_md(value)}" for label, value in block.rows] + [""]
        elif block.kind == "para":
            text = _md(block.text)
            out += [f"*{text}*" if block.style in ("meta", "note") else text, ""]
        elif (tabular := document.table_of(block)) is not None:
            table(tabular)
        elif block.kind == "entries":
            for entry in block.items:
                lines = []
                if entry.text:
                    lines.append(_md(entry.text).strip())
                lines += [f"**{_md(label)}** {_md(text).strip()}" for label, text in entry.fields]
                if entry.meta:
                    lines.append(f"*{_md(entry.meta)}*")
                if entry.answer:
                    lines.append(f"**{_md(_('Answer:'))}** {_md(entry.answer).strip()}")
                body = "\n\n".join(lines)
                out.append("- " + "\n".join(_indent_rest(body.splitlines())))
            out.append("")
        elif block.kind == "links":
            out += [
                f"- [{_md(title)}](<{url}>)" if title != url else f"- <{url}>"
                for title, url in block.items
            ] + [""]
    return "\n".join(out).rstrip() + "\n"


def _indent_rest(lines: list[str]) -> list[str]:
    return lines[:1] + [("  " + line) if line else "" for line in lines[1:]]


def to_json(summary: dict) -> bytes:
    return json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8")


# --- file names ----------------------------------------------------------------


def filename(summary: dict, extension: str, part: str = "") -> str:
    """ "Kotoutumisen_perusteet_K7M2QX_2026-03-12.pdf": training, code, date."""
    session = summary["session"]
    when = session["started_at"] or session["opened_at"]
    return file_name(
        summary["training"]["title"],
        session["code"],
        datetime.fromisoformat(when) if when else None,
        extension,
        part,
    )


def file_name(title: str, code: str, when: datetime | None, extension: str, part: str = "") -> str:
    day = to_user_timezone(when).date().isoformat() if when else ""
    stem = "_".join(p for p in (title, code, day, part) if p)
    return (secure_filename(stem) or "summary") + "." + extension
