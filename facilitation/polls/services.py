"""Polls: creating them on agenda steps, answering, closing, results.

No request, no emit.
"""

import re
from collections import Counter

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..dbtypes import utcnow
from ..extensions import db
from ..live.services import in_session
from .models import KINDS, Poll, PollAnswer

MAX_OPTIONS = 10
OPTION_MAX = 120
QUESTION_MAX = 500
WORD_MAX = 30
WORDS_MAX = 3
FREE_MAX = 500


class PollError(ValueError):
    """Bad input or an action that no longer fits; the message is translated."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


# --- setting up ------------------------------------------------------------


def _clean(kind, question, options_text="", scale_low="", scale_high="") -> dict:
    if kind not in KINDS:
        raise PollError(_("Choose the kind of poll."))
    question = (question or "").strip()
    if not question:
        raise PollError(_("Write the poll question."))
    if len(question) > QUESTION_MAX:
        raise PollError(_("A text can be at most %(n)d characters long.", n=QUESTION_MAX))
    options = []
    if kind in ("single", "multiple"):
        options = [line.strip() for line in (options_text or "").splitlines() if line.strip()]
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise PollError(_("Give between 2 and %(max)d options, one per line.", max=MAX_OPTIONS))
        if any(len(option) > OPTION_MAX for option in options):
            raise PollError(_("An option can be at most %(n)d characters long.", n=OPTION_MAX))
    return {
        "kind": kind,
        "question": question,
        "options": options,
        "scale_low": (scale_low or "").strip()[:80],
        "scale_high": (scale_high or "").strip()[:80],
    }


def poll_for_step(step) -> Poll | None:
    return db.session.scalar(select(Poll).where(Poll.step_id == step.id))


def save_poll(live, step, hide_results=True, **fields) -> Poll:
    """Create or replace the poll of a step. Changing a poll with answers
    would misrepresent them, so it is refused."""
    values = _clean(**fields)
    poll = poll_for_step(step)
    if poll is None:
        poll = Poll(session_id=live.id, step_id=step.id, **values)
        db.session.add(poll)
    else:
        if answer_count(poll) and (values["kind"], values["options"]) != (poll.kind, poll.options):
            raise PollError(_("The poll already has answers: its kind and options cannot change."))
        for key, value in values.items():
            setattr(poll, key, value)
    poll.hide_results = bool(hide_results)
    db.session.flush()
    return poll


def get_poll(live, poll_id) -> Poll:
    row = in_session(Poll, live, poll_id)
    if row is None:
        raise PollError(_("That poll no longer exists."), "not_found")
    return row


def close(live, poll_id) -> Poll:
    poll = get_poll(live, poll_id)
    if poll.closed_at is None:
        poll.closed_at = utcnow()
    return poll


def reopen(live, poll_id) -> Poll:
    poll = get_poll(live, poll_id)
    poll.closed_at = None
    return poll


# --- answering -------------------------------------------------------------


def _words(value) -> list[str]:
    text = value if isinstance(value, str) else ""
    words = [w.strip(".,;:!?\"'()").lower() for w in re.split(r"[\s,;]+", text) if w.strip()]
    words = [w for w in words if w]
    if not words:
        raise PollError(_("Write a word or two."), "empty")
    if len(words) > WORDS_MAX or any(len(w) > WORD_MAX for w in words):
        raise PollError(_("At most %(n)d short words, please.", n=WORDS_MAX), "too_long")
    return words


def _indices(value, count: int, many: bool) -> list[int]:
    raw = value if isinstance(value, list) else [value]
    try:
        picked = sorted({int(v) for v in raw if v not in (None, "")})
    except (TypeError, ValueError):
        picked = []
    if not picked or any(not 0 <= i < count for i in picked) or (not many and len(picked) > 1):
        raise PollError(_("Choose an option."), "empty")
    return picked


def clean_value(poll: Poll, value):
    if poll.kind == "single":
        return _indices(value, len(poll.options), many=False)
    if poll.kind == "multiple":
        return _indices(value, len(poll.options), many=True)
    if poll.kind == "scale":
        try:
            number = int(value[0] if isinstance(value, list) else value)
        except (TypeError, ValueError, IndexError):
            number = 0
        if not 1 <= number <= 5:
            raise PollError(_("Choose a number from 1 to 5."), "empty")
        return number
    if poll.kind == "words":
        return _words(value)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise PollError(_("Write your answer first."), "empty")
    if len(text) > FREE_MAX:
        raise PollError(
            _(
                "Too long: %(length)d characters, at most %(limit)d.",
                length=len(text),
                limit=FREE_MAX,
            ),
            "too_long",
        )
    return text


def answer(live, poll_id, voter_hash: str, value) -> PollAnswer:
    """One answer per participant per poll; answering again replaces it."""
    poll = get_poll(live, poll_id)
    if not live.is_open:
        raise PollError(_("This session has ended."), "closed")
    if not poll.is_open:
        raise PollError(_("The poll is closed. Your answer was not saved."), "closed")
    if poll.step_id != live.current_step_id:
        # A phone that missed the step change answers a poll that is not on now.
        raise PollError(
            _("This poll is not running now. Your answer was not saved."), "not_current"
        )
    cleaned = clean_value(poll, value)
    flags = []
    status = "approved"
    if poll.kind == "free":
        from ..cases import guard

        flags = [{"kind": f.kind, "text": f.text} for f in guard.scan(cleaned)]
        status = "pending"
    existing = db.session.scalar(
        select(PollAnswer).where(PollAnswer.poll_id == poll.id, PollAnswer.voter_hash == voter_hash)
    )
    if existing is None:
        existing = PollAnswer(poll_id=poll.id, voter_hash=voter_hash, value=cleaned)
        try:
            with db.session.begin_nested():
                db.session.add(existing)
                db.session.flush()
        except IntegrityError:
            existing = db.session.scalar(
                select(PollAnswer).where(
                    PollAnswer.poll_id == poll.id, PollAnswer.voter_hash == voter_hash
                )
            )
    existing.value = cleaned
    existing.status = status
    existing.flags = flags
    existing.updated_at = utcnow()
    return existing


def my_answer(poll: Poll, voter_hash: str):
    row = db.session.scalar(
        select(PollAnswer.value).where(
            PollAnswer.poll_id == poll.id, PollAnswer.voter_hash == voter_hash
        )
    )
    return row


def moderate_answer(live, answer_id, approve: bool) -> PollAnswer:
    try:
        aid = int(answer_id)
    except (TypeError, ValueError):
        aid = None
    row = db.session.get(PollAnswer, aid) if aid is not None else None
    if row is None or get_poll(live, row.poll_id).kind != "free":
        # Only free answers are moderated; a vote in a chart is not.
        raise PollError(_("That answer no longer exists."), "not_found")
    row.status = "approved" if approve else "rejected"
    return row


# --- results ---------------------------------------------------------------


def answer_count(poll: Poll) -> int:
    """All answers, moderated or not."""
    return len(_values(poll, status=None))


def _values(poll: Poll, status: str | None = "approved") -> list:
    query = select(PollAnswer.value).where(PollAnswer.poll_id == poll.id)
    if status:
        query = query.where(PollAnswer.status == status)
    return list(db.session.scalars(query))


def results(poll: Poll) -> dict:
    """Counts for charts: {"count", "items" | "scale" | "words" | "answers"}."""
    values = _values(poll)
    result = {"count": answer_count(poll)}
    if poll.kind in ("single", "multiple"):
        counts = Counter(i for picked in values for i in picked)
        result["items"] = [(option, counts.get(i, 0)) for i, option in enumerate(poll.options)]
    elif poll.kind == "scale":
        counts = Counter(values)
        result["scale"] = {n: counts.get(n, 0) for n in range(1, 6)}
    elif poll.kind == "words":
        # Counted case-insensitively: the words are stored in lower case.
        result["words"] = dict(Counter(w for words in values for w in words))
    else:
        result["answers"] = list(
            db.session.scalars(
                select(PollAnswer)
                .where(PollAnswer.poll_id == poll.id, PollAnswer.status == "approved")
                .order_by(PollAnswer.updated_at)
            )
        )
    return result


def pending_answers(poll: Poll) -> list[PollAnswer]:
    return list(
        db.session.scalars(
            select(PollAnswer)
            .where(PollAnswer.poll_id == poll.id, PollAnswer.status == "pending")
            .order_by(PollAnswer.updated_at)
        )
    )


def polls_of(live) -> list[Poll]:
    return list(db.session.scalars(select(Poll).where(Poll.session_id == live.id)))
