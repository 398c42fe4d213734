"""Live sessions: join codes, opening and closing, moderation mode."""

import secrets

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..dbtypes import utcnow
from ..extensions import db
from .models import MODERATION_MODES, LiveSession

# No look-alikes: 0/O, 1/I/L are left out, so a code read off a projector
# at the back of a room cannot be mistyped into another one.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
_CODE_ATTEMPTS = 20


class LiveError(ValueError):
    """A rule was broken; the message is already translated."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed (spaces, dashes, lower case) as a canonical code."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())[: CODE_LENGTH + 2]


def find_open_session(code: str) -> LiveSession | None:
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(
        select(LiveSession).where(LiveSession.code == code, LiveSession.closed_at.is_(None))
    )


def get_session_of(training, session_id: int) -> LiveSession | None:
    live = db.session.get(LiveSession, session_id)
    return live if live is not None and live.training_id == training.id else None


def open_session(training, title: str = "", moderation: str = "open") -> LiveSession:
    """Open a session with a code no other open session has."""
    if moderation not in MODERATION_MODES:
        raise LiveError(_("Unknown moderation setting."))
    for _attempt in range(_CODE_ATTEMPTS):
        code = new_code()
        if find_open_session(code) is not None:
            continue
        live = LiveSession(
            training_id=training.id, code=code, title=title.strip()[:200], moderation=moderation
        )
        try:
            # The partial unique index settles a race with another process.
            with db.session.begin_nested():
                db.session.add(live)
                db.session.flush()
        except IntegrityError:
            continue
        return live
    raise LiveError(_("Could not find a free join code. Try again."))


def close_session(live: LiveSession) -> None:
    if live.closed_at is None:
        live.closed_at = utcnow()


def set_moderation(live: LiveSession, mode: str) -> None:
    if mode not in MODERATION_MODES:
        raise LiveError(_("Unknown moderation setting."))
    live.moderation = mode


def in_session(model, live: LiveSession, raw_id):
    """A row of ``model`` by an id from a form or payload, if it belongs to
    this session; None for a malformed id, a missing row or another session's."""
    try:
        row_id = int(raw_id)
    except (TypeError, ValueError):
        return None
    row = db.session.get(model, row_id)
    return row if row is not None and row.session_id == live.id else None
