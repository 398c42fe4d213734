"""Questions: asking, voting, moderating. No request, no emit."""

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError

from .. import voting
from ..dbtypes import utcnow
from ..extensions import db
from ..live.models import LiveSession
from ..live.services import in_session
from .models import Question, QuestionVote

CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class QuestionError(ValueError):
    """Bad input or a forbidden change; the message is already translated."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


@dataclass
class AskResult:
    question: Question
    created: bool  # False when the same client_id was already stored


def ask(live: LiveSession, body: str, client_id: str) -> AskResult:
    """Store a participant's question once per client_id."""
    if not live.is_open:
        raise QuestionError(_("This session has ended."), "closed")
    if not isinstance(client_id, str) or not CLIENT_ID_RE.match(client_id):
        raise QuestionError(
            _("The form was out of date. Reload the page and try again."), "client_id"
        )
    existing = _by_client_id(live, client_id)
    if existing is not None:
        return AskResult(existing, created=False)
    text = clean_body(body)
    question = Question(
        session_id=live.id,
        step_id=live.current_step_id,
        client_id=client_id,
        body=text,
        status="pending" if live.moderation == "approve" else "visible",
    )
    try:
        with db.session.begin_nested():
            db.session.add(question)
            db.session.flush()
    except IntegrityError:
        # The same post arrived twice at once (two workers); keep the first.
        return AskResult(_by_client_id(live, client_id), created=False)
    return AskResult(question, created=True)


def clean_body(body) -> str:
    limit = current_app.config["QUESTION_MAX_LENGTH"]
    if not isinstance(body, str) or not body.strip():
        raise QuestionError(_("Write a question first."), "empty")
    text = body.strip()
    if len(text) > limit:
        raise QuestionError(
            _(
                "The question is too long: %(length)d characters, at most %(limit)d.",
                length=len(text),
                limit=limit,
            ),
            "too_long",
        )
    return text


def _by_client_id(live: LiveSession, client_id: str) -> Question | None:
    return db.session.scalar(
        select(Question).where(Question.session_id == live.id, Question.client_id == client_id)
    )


def get_question(live: LiveSession, question_id) -> Question:
    row = in_session(Question, live, question_id)
    if row is None:
        raise QuestionError(_("That question no longer exists."), "not_found")
    return row


def toggle_vote(live: LiveSession, question_id, voter_hash: str) -> bool:
    """Vote for a visible question, or take the vote back. Returns True if now voted."""
    if not live.is_open:
        raise QuestionError(_("This session has ended."), "closed")
    question = get_question(live, question_id)
    if question.status != "visible":
        raise QuestionError(_("That question no longer exists."), "not_found")
    return voting.toggle(QuestionVote, "question_id", question, voter_hash)


def voted_ids(live: LiveSession, voter_hash: str) -> set[int]:
    return set(
        db.session.scalars(
            select(QuestionVote.question_id)
            .join(Question)
            .where(Question.session_id == live.id, QuestionVote.voter_hash == voter_hash)
        )
    )


# --- trainer actions -------------------------------------------------------


def hide(live: LiveSession, question_id) -> Question:
    question = get_question(live, question_id)
    question.status = "hidden"
    question.pinned = False
    return question


def show(live: LiveSession, question_id) -> Question:
    """Approve a pending question or bring a hidden one back."""
    question = get_question(live, question_id)
    question.status = "visible"
    return question


def set_answered(live: LiveSession, question_id, value: bool | None = None) -> Question:
    """Mark answered or open again; ``None`` toggles."""
    question = get_question(live, question_id)
    answered = not question.answered if value is None else value
    if answered and question.answered_at is None:
        question.answered_at = utcnow()
    elif not answered:
        question.answered_at = None
    return question


def set_pinned(live: LiveSession, question_id, value: bool | None = None) -> Question:
    """Pin one question to the projector (``None`` toggles); pinning another unpins the first."""
    question = get_question(live, question_id)
    pin = not question.pinned if value is None else value
    if pin and question.status != "visible":
        raise QuestionError(
            _("Only a visible question can be shown on the projector."), "not_visible"
        )
    if pin:
        db.session.execute(
            update(Question)
            .where(Question.session_id == live.id, Question.pinned.is_(True))
            .values(pinned=False)
        )
    question.pinned = pin
    db.session.flush()
    return question


# --- reads -----------------------------------------------------------------

_ORDER = (Question.vote_count.desc(), Question.created_at, Question.id)


def visible_questions(live: LiveSession) -> list[Question]:
    """What phones and the projector list: approved, not hidden; most votes first."""
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.session_id == live.id, Question.status == "visible")
            .order_by(*_ORDER)
        )
    )


def for_projector(visible: list[Question], limit: int) -> tuple[list[Question], int]:
    """The projector's list: the top ``limit`` by votes, but the newest question
    always among them (a just-asked question has no votes yet and would
    otherwise never be seen). Returns (shown, how many more there are)."""
    shown = visible[:limit]
    if len(visible) > limit:
        newest = max(visible, key=lambda q: (q.created_at, q.id))
        if newest not in shown:
            shown = shown[: limit - 1] + [newest]
    return shown, len(visible) - len(shown)


def moderated_questions(live: LiveSession) -> list[Question]:
    """What the trainer lists: visible first, hidden after, each by votes then time."""
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.session_id == live.id, Question.status != "pending")
            .order_by(case((Question.status == "hidden", 1), else_=0), *_ORDER)
        )
    )


def pending_questions(live: LiveSession) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.session_id == live.id, Question.status == "pending")
            .order_by(Question.created_at, Question.id)
        )
    )


def pinned_question(live: LiveSession) -> Question | None:
    return db.session.scalar(
        select(Question).where(
            Question.session_id == live.id, Question.pinned.is_(True), Question.status == "visible"
        )
    )


MODERATION_ACTIONS = {
    "hide": lambda live, qid, _value: hide(live, qid),
    "show": lambda live, qid, _value: show(live, qid),
    "answer": set_answered,
    "pin": set_pinned,
}
_FLAGS = {True: True, False: False, "1": True, "0": False, "true": True, "false": False}


def moderate(live: LiveSession, action: str, question_id, value=None) -> list[Question]:
    """Apply one trainer action by name (shared by HTTP and socket); returns
    the questions it changed, the acted-on one first (pinning one unpins
    another).

    ``value`` makes answer/pin idempotent (a retried request sets the same
    state instead of toggling it back); without it they toggle.
    """
    try:
        apply = MODERATION_ACTIONS[action]
        flag = None if value in (None, "") else _FLAGS[value]
    except (KeyError, TypeError):
        raise QuestionError(_("Unknown action."), "invalid") from None
    before = pinned_question(live) if action == "pin" else None
    question = apply(live, question_id, flag)
    return [question] + ([before] if before is not None and before is not question else [])
