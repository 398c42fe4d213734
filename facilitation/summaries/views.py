"""The session summary: a preview page and its downloads, for the training's members."""

from flask import Response, render_template
from flask_login import login_required

from ..trainings.access import session_or_404, training_or_404
from . import bp, export, render
from .services import build_summary, session_start

BASE = "/trainings/<int:training_id>/sessions/<int:session_id>"
DOCUMENTS = ("pdf", "docx", "md", "json", "xlsx")


def _session(training_id: int, session_id: int):
    training = training_or_404(training_id)
    return training, session_or_404(training, session_id)


def _private(response: Response) -> Response:
    """Participants' posts: kept out of shared caches."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _download(body: bytes, fmt: str, name: str) -> Response:
    response = Response(body, content_type=render.MIMETYPES[fmt])
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return _private(response)


@bp.get(f"{BASE}/summary")
@login_required
def manage_summary_show(training_id: int, session_id: int):
    """Organiser or trainer: the summary of a session, with its downloads."""
    training, live = _session(training_id, session_id)
    summary = build_summary(live)
    return _private(
        Response(
            render_template(
                "summaries/page.html",
                training=training,
                live=live,
                summary=summary,
                document=render.document_html(summary, training.language),
                tables=export.TABLES,
            )
        )
    )


@bp.get(f"{BASE}/summary.<any({', '.join(DOCUMENTS)}):fmt>")
@login_required
def manage_summary_download(training_id: int, session_id: int, fmt: str):
    """Organiser or trainer: the summary as PDF, Word, Markdown or JSON, or the
    raw questions, stories and answers as a workbook."""
    training, live = _session(training_id, session_id)
    language = training.language
    if fmt == "xlsx":
        name = render.file_name(training.title, live.code, session_start(live), fmt)
        return _download(export.to_xlsx(live, language), fmt, name)
    summary = build_summary(live)
    if fmt == "pdf":
        body = render.to_pdf(summary, language)
    elif fmt == "docx":
        body = render.to_docx(summary, language)
    elif fmt == "md":
        body = render.to_markdown(summary, language).encode("utf-8")
    else:
        body = render.to_json(summary)
    return _download(body, fmt, render.filename(summary, fmt))


@bp.get(f"{BASE}/summary-<any({', '.join(export.TABLES)}):table>.csv")
@login_required
def manage_summary_csv(training_id: int, session_id: int, table: str):
    """Organiser or trainer: one raw table (questions, stories or answers) as CSV."""
    training, live = _session(training_id, session_id)
    name = render.file_name(
        training.title,
        live.code,
        session_start(live),
        "csv",
        export.table_name(table, training.language),
    )
    return _download(export.to_csv(live, table, training.language), "csv", name)
