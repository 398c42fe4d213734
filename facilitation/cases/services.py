"""Case stories: posting behind the personal-data guard, moderation, votes.

No request, no emit. The guard runs here again even though the phone ran it:
a phone without JavaScript, or an old page, must not slip personal data past.
"""

import re

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import voting
from ..dbtypes import utcnow
from ..extensions import db
from ..live.models import LiveSession
from ..live.services import in_session
from . import guard
from .models import FIELDS, CaseStory, StoryVote

CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
LIMITS = {"situation": 1000, "action": 1000, "discussion": 500}


class StoryError(ValueError):
    """Bad input or a forbidden change; the message is already translated."""

    def __init__(self, message: str, code: str = "invalid", field_name: str | None = None):
        super().__init__(message)
        self.code = code
        self.field = field_name


class GuardStop(Exception):
    """The guard found likely personal data and the writer has not confirmed."""

    code = "personal_data"

    def __init__(self, texts: dict, findings: dict):
        super().__init__("personal data found")
        self.texts = texts
        self.findings = findings  # field -> [guard.Finding]


def clean_texts(data: dict) -> dict:
    texts = {}
    for name in FIELDS:
        value = data.get(name)
        value = value.strip() if isinstance(value, str) else ""
        if len(value) > LIMITS[name]:
            raise StoryError(
                _(
                    "Too long: %(length)d characters, at most %(limit)d.",
                    length=len(value),
                    limit=LIMITS[name],
                ),
                "too_long",
                name,
            )
        texts[name] = value
    if not texts["situation"]:
        raise StoryError(_("Tell first what happened."), "empty", "situation")
    return texts


def scan_texts(texts: dict) -> dict:
    """Guard findings per field (only fields with findings)."""
    found = {}
    for name in FIELDS:
        hits = guard.scan(texts.get(name, ""))
        if hits:
            found[name] = hits
    return found


def _flags(findings: dict) -> list[dict]:
    return [
        {"field": name, "kind": hit.kind, "text": hit.text}
        for name, hits in findings.items()
        for hit in hits
    ]


def post(live: LiveSession, data: dict, client_id, confirmed: bool = False):
    """Store a story once per client_id. Raises GuardStop when the guard finds
    something and the writer has not confirmed; returns (story, created)."""
    if not live.is_open:
        raise StoryError(_("This session has ended."), "closed")
    if not isinstance(client_id, str) or not CLIENT_ID_RE.match(client_id):
        raise StoryError(_("The form was out of date. Reload the page and try again."), "client_id")
    existing = _by_client_id(live, client_id)
    if existing is not None:
        return existing, False
    texts = clean_texts(data)
    findings = scan_texts(texts)
    if findings and not confirmed:
        raise GuardStop(texts, findings)
    story = CaseStory(
        session_id=live.id,
        step_id=live.current_step_id,
        client_id=client_id,
        flags=_flags(findings),
        posted_anyway=bool(findings),
        **texts,
    )
    try:
        with db.session.begin_nested():
            db.session.add(story)
            db.session.flush()
    except IntegrityError:
        return _by_client_id(live, client_id), False
    return story, True


def _by_client_id(live, client_id) -> CaseStory | None:
    return db.session.scalar(
        select(CaseStory).where(CaseStory.session_id == live.id, CaseStory.client_id == client_id)
    )


def get_story(live, story_id) -> CaseStory:
    row = in_session(CaseStory, live, story_id)
    if row is None:
        raise StoryError(_("That story no longer exists."), "not_found")
    return row


# --- trainer actions -------------------------------------------------------


def approve(live, story_id) -> CaseStory:
    story = get_story(live, story_id)
    story.status = "approved"
    return story


def reject(live, story_id) -> CaseStory:
    story = get_story(live, story_id)
    story.status = "rejected"
    story.on_screen = False
    return story


def edit(live, story_id, data: dict) -> CaseStory:
    """Replace the texts (the original is not kept) and scan them again."""
    story = get_story(live, story_id)
    texts = clean_texts(data)
    for name, value in texts.items():
        setattr(story, name, value)
    story.flags = _flags(scan_texts(texts))
    story.edited_at = utcnow()
    return story


def set_on_screen(live, story_id, value: bool | None = None) -> CaseStory:
    """Show one approved story on the projector (None toggles); others leave it."""
    story = get_story(live, story_id)
    show = not story.on_screen if value is None else value
    if show and story.status != "approved":
        raise StoryError(_("Only an approved story can be shown on the projector."), "not_approved")
    if show:
        db.session.execute(
            update(CaseStory)
            .where(CaseStory.session_id == live.id, CaseStory.on_screen.is_(True))
            .values(on_screen=False)
        )
    story.on_screen = show
    db.session.flush()
    return story


_FLAGS = {True: True, False: False, "1": True, "0": False, "true": True, "false": False}


def _screen(live, story_id, data):
    value = data.get("value")
    if value in (None, ""):
        return set_on_screen(live, story_id)
    if value not in _FLAGS:
        raise StoryError(_("Unknown action."), "invalid")
    return set_on_screen(live, story_id, _FLAGS[value])


MODERATION_ACTIONS = {
    "approve": lambda live, sid, _data: approve(live, sid),
    "reject": lambda live, sid, _data: reject(live, sid),
    "edit": edit,
    "screen": _screen,
}


def moderate(live, action: str, story_id, data: dict) -> CaseStory:
    """Apply one trainer action by name (shared by HTTP and socket)."""
    try:
        apply = MODERATION_ACTIONS[action]
    except KeyError:
        raise StoryError(_("Unknown action."), "invalid") from None
    return apply(live, story_id, data)


def toggle_vote(live, story_id, voter_hash: str) -> bool:
    """ "We should discuss this" on an approved story, or take it back."""
    if not live.is_open:
        raise StoryError(_("This session has ended."), "closed")
    story = get_story(live, story_id)
    if story.status != "approved":
        raise StoryError(_("That story no longer exists."), "not_found")
    return voting.toggle(StoryVote, "story_id", story, voter_hash)


# --- reads -----------------------------------------------------------------


def approved_stories(live) -> list[CaseStory]:
    return list(
        db.session.scalars(
            select(CaseStory)
            .where(CaseStory.session_id == live.id, CaseStory.status == "approved")
            .order_by(CaseStory.vote_count.desc(), CaseStory.created_at, CaseStory.id)
        )
    )


def pending_stories(live) -> list[CaseStory]:
    return list(
        db.session.scalars(
            select(CaseStory)
            .where(CaseStory.session_id == live.id, CaseStory.status == "pending")
            .order_by(CaseStory.created_at, CaseStory.id)
        )
    )


def shown_story(live) -> CaseStory | None:
    return db.session.scalar(
        select(CaseStory).where(
            CaseStory.session_id == live.id,
            CaseStory.on_screen.is_(True),
            CaseStory.status == "approved",
        )
    )


def voted_ids(live, voter_hash: str) -> set[int]:
    return set(
        db.session.scalars(
            select(StoryVote.story_id)
            .join(CaseStory)
            .where(CaseStory.session_id == live.id, StoryVote.voter_hash == voter_hash)
        )
    )
