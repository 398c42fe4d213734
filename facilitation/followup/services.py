"""The follow-up page of a session: organisers' answers, intro, materials,
publishing. No request, no emit.

After the raw participant data is deleted (retention), questions and stories
are read from the session's stored summary (``summaries.build_summary``
returns it then): it holds every visible question with the organisers'
answer and every approved story.
"""

import io
import secrets
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

import markdown
import nh3
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from ..agenda.models import AgendaStep, StepRun
from ..agenda.services import steps_of
from ..cases import services as case_services
from ..cases.models import FIELDS
from ..dbtypes import utcnow
from ..extensions import db
from ..live.models import LiveSession
from ..live.services import in_session
from ..questions import services as question_services
from ..questions.models import Question
from .models import Material

ANSWER_MAX = 20000
INTRO_MAX = 20000
TITLE_MAX = 200


class FollowupError(ValueError):
    """Bad input or a forbidden change; the message is already translated."""


# --- Markdown --------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "ul", "ol", "li", "strong", "em", "a", "code", "pre", "blockquote", "br", "h3", "h4",
}  # fmt: skip


def render_markdown(text: str) -> Markup:
    """Organisers' Markdown as HTML that is safe to show to anyone.

    Markdown passes raw HTML through, so everything it produces is cleaned
    with an allow-list: no scripts, no event handlers, no styles, links
    only to http(s) and mailto.
    """
    if not text or not text.strip():
        return Markup("")
    html = markdown.markdown(text, extensions=["sane_lists"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


# --- reads -----------------------------------------------------------------


@dataclass
class FollowupQuestion:
    """A question as the follow-up page shows it, from the rows or the snapshot."""

    id: int | None
    body: str
    votes: int
    answer: str
    answered_at: datetime | None

    @property
    def answered(self) -> bool:
        return bool(self.answer.strip())


def published_session(followup_id: str) -> LiveSession | None:
    """The session whose follow-up page /f/<followup_id> is published."""
    if not followup_id or len(followup_id) > 16:
        return None
    return db.session.scalar(
        select(LiveSession).where(
            LiveSession.followup_id == followup_id,
            LiveSession.followup_published_at.is_not(None),
        )
    )


def _summary(live: LiveSession) -> dict:
    """The stored summary of a session whose raw data is gone; it holds every
    visible question with the organisers' answer, and the approved stories."""
    from ..summaries.services import build_summary

    return build_summary(live)


def _summary_items(summary: dict, key: str) -> list[dict]:
    parts = [step.get(key, []) for step in summary.get("steps", [])]
    parts.append(summary.get("outside", {}).get(key, []))
    return [item for part in parts for item in part]


def questions_of(live: LiveSession) -> list[FollowupQuestion]:
    """The session's visible questions, most votes first; never hidden or
    pending ones (nobody but the trainers ever saw those)."""
    if live.raw_deleted_at is not None:
        items = sorted(_summary_items(_summary(live), "questions"), key=lambda q: -q["votes"])
        return [
            FollowupQuestion(None, item["body"], item["votes"], item.get("answer", ""), None)
            for item in items
        ]
    return [
        FollowupQuestion(q.id, q.body, q.vote_count, q.followup_answer, q.followup_answered_at)
        for q in question_services.visible_questions(live)
    ]


def answered_first(questions: list[FollowupQuestion]) -> tuple[list, list]:
    """(answered, not answered), each keeping its order by votes."""
    return [q for q in questions if q.answered], [q for q in questions if not q.answered]


def stories_of(live: LiveSession) -> list[dict]:
    """Approved case stories as {field: text}, if the organisers chose to show them."""
    if not live.followup_show_stories:
        return []
    if live.raw_deleted_at is not None:
        stories = sorted(_summary_items(_summary(live), "stories"), key=lambda s: -s["votes"])
    else:
        stories = [
            {field: getattr(story, field) for field in FIELDS}
            for story in case_services.approved_stories(live)
        ]
    return [{field: story.get(field, "") for field in FIELDS} for story in stories]


def toolkit_links(live: LiveSession) -> list[tuple[str, str]]:
    """Every agenda step's links in agenda order, each URL once."""
    seen: set[str] = set()
    links = []
    for step in steps_of(live):
        for title, url in step.link_list:
            if url not in seen:
                seen.add(url)
                links.append((title, url))
    return links


def materials_of(live: LiveSession) -> list[Material]:
    return list(
        db.session.scalars(
            select(Material)
            .where(Material.session_id == live.id)
            .order_by(Material.created_at, Material.id)
        )
    )


def get_material(live: LiveSession, material_id) -> Material:
    material = in_session(Material, live, material_id)
    if material is None:
        raise FollowupError(_("That file no longer exists."))
    return material


def session_date(live: LiveSession) -> datetime:
    """When the session ran: its first agenda step, else the training's
    date, else when it was opened (sessions are often opened weeks before,
    to build the agenda)."""
    first_run = db.session.scalar(
        select(StepRun.started_at)
        .where(StepRun.session_id == live.id)
        .order_by(StepRun.started_at)
        .limit(1)
    )
    return first_run or live.training.starts_at or live.created_at


def is_last_step(live: LiveSession, step: AgendaStep) -> bool:
    last = db.session.scalar(
        select(func.max(AgendaStep.position)).where(AgendaStep.session_id == live.id)
    )
    return step.position == last


# --- organisers' changes -----------------------------------------------------


def _raw_data_kept(live: LiveSession) -> None:
    if live.raw_deleted_at is not None:
        raise FollowupError(
            _("The session's raw data has been deleted: its questions can no longer be answered.")
        )


def save_answer(live: LiveSession, question_id, text: str) -> Question:
    """Save (or clear) the organisers' answer to one visible question."""
    _raw_data_kept(live)
    question = in_session(Question, live, question_id)
    if question is None or question.status != "visible":
        raise FollowupError(_("That question no longer exists."))
    text = (text or "").strip()
    if len(text) > ANSWER_MAX:
        raise FollowupError(_("The answer can be at most %(n)d characters long.", n=ANSWER_MAX))
    if text != question.followup_answer:
        question.followup_answer = text
        question.followup_answered_at = utcnow() if text else None
    return question


def save_settings(live: LiveSession, intro: str, show_stories: bool) -> None:
    intro = (intro or "").strip()
    if len(intro) > INTRO_MAX:
        raise FollowupError(
            _("The introduction can be at most %(n)d characters long.", n=INTRO_MAX)
        )
    live.followup_intro = intro
    live.followup_show_stories = bool(show_stories)


def publish(live: LiveSession) -> None:
    """Publish the page; its address is made once and kept, so a link handed
    out before an unpublish works again after publishing again."""
    if live.followup_id is None:
        while True:
            candidate = secrets.token_urlsafe(9)[:12]
            taken = db.session.scalar(
                select(LiveSession.id).where(LiveSession.followup_id == candidate)
            )
            if taken is None:
                break
        live.followup_id = candidate
    if live.followup_published_at is None:
        live.followup_published_at = utcnow()


def unpublish(live: LiveSession) -> None:
    live.followup_published_at = None


# --- materials ----------------------------------------------------------------

# Extension -> (content type, a check of the first bytes). Office files are
# ZIP archives: the check looks inside for the part that makes the format.
OOXML_PART = {"docx": "word/", "pptx": "ppt/", "xlsx": "xl/"}
ODF_TYPE = {
    "odt": "application/vnd.oasis.opendocument.text",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": ODF_TYPE["odt"],
    "odp": ODF_TYPE["odp"],
    "png": "image/png",
    "jpg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
}
EXTENSION_ALIASES = {"jpeg": "jpg"}


def allowed_extensions() -> str:
    return ", ".join(ext.upper() for ext in CONTENT_TYPES)


def _open_zip(data: bytes) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None


def content_matches(extension: str, data: bytes) -> bool:
    """Do the file's first bytes (or, for office files, its parts) match its
    extension? A web page or a program renamed to .pdf does not."""
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "jpg":
        return data.startswith(b"\xff\xd8\xff")
    if extension == "txt":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    if not data.startswith(b"PK\x03\x04"):
        return False
    archive = _open_zip(data)
    if archive is None:
        return False
    with archive:
        names = archive.namelist()
        if extension in OOXML_PART:
            return "[Content_Types].xml" in names and any(
                name.startswith(OOXML_PART[extension]) for name in names
            )
        if extension in ODF_TYPE:
            if "mimetype" not in names:
                return False
            return archive.read("mimetype").strip() == ODF_TYPE[extension].encode()
    return False


def clean_filename(raw: str) -> str:
    """The uploaded file's own name, without folders or control characters."""
    name = PurePath((raw or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"/\\').strip(" .")
    if len(name) > TITLE_MAX:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: TITLE_MAX - len(ext) - 1] + dot + ext) if dot else name[:TITLE_MAX]
    return name


def add_material(live: LiveSession, filename: str, data: bytes, title: str = "") -> Material:
    """Store an uploaded file after checking its type, content and size."""
    name = clean_filename(filename)
    if not name or not data:
        raise FollowupError(_("Choose a file to upload."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    extension = EXTENSION_ALIASES.get(extension, extension)
    if extension not in CONTENT_TYPES:
        raise FollowupError(
            _(
                "This type of file cannot be added. Allowed types: %(types)s.",
                types=allowed_extensions(),
            )
        )
    limit = current_app.config["FOLLOWUP_MAX_BYTES"]
    if len(data) > limit:
        raise FollowupError(_("The file is too large: at most %(mb)s MB.", mb=megabytes(limit)))
    if not content_matches(extension, data):
        raise FollowupError(
            _(
                "The file's content is not a %(type)s file, although its name says so. "
                "Save it again as %(type)s and upload that.",
                type=extension.upper(),
            )
        )
    title = (title or "").strip()[:TITLE_MAX] or name.rsplit(".", 1)[0]
    material = Material(
        session_id=live.id,
        title=title,
        filename=name,
        content_type=CONTENT_TYPES[extension],
        size=len(data),
        data=data,
    )
    db.session.add(material)
    db.session.flush()
    return material


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def rename_material(live: LiveSession, material_id, title: str) -> Material:
    material = get_material(live, material_id)
    title = (title or "").strip()
    if not title:
        raise FollowupError(_("Give the file a title."))
    material.title = title[:TITLE_MAX]
    return material


def remove_material(live: LiveSession, material_id) -> None:
    db.session.delete(get_material(live, material_id))
