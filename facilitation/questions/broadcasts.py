"""What each audience sees of the questions, as swap pieces.

A page load and a resync (``live:sync``) get whole lists. A change pushes
only what changed: the changed questions, each rendered alone by its stable
id (``#question-N``, upserted into its list or deleted from it), or a vote
count alone (``#question-N-votes``); realtime.js keeps the lists in order.
Changes are collected per session and pushed once per LIVE_PUSH_DELAY.
"""

import threading

from sqlalchemy import func, select

from ..extensions import db
from ..live.models import LiveSession
from ..realtime import coalesce, delete, push, swap, upsert
from . import services
from .models import Question

LIST = "#question-list"
PENDING = "#pending-queue"
PIECE = "questions/_piece.html"
# The projector is read from the back of a room: the top questions fit, the
# rest is a count (the page holds them all; realtime.js shows the top).
PROJECTOR_LIMIT = 8

VOTES, FULL = "votes", "full"


# --- whole lists: the page, htmx responses, the resync --------------------------


def projector_list(live, visible=None) -> dict:
    """The projector's list context: every visible question, those beyond
    the top marked off screen, and how many that is."""
    visible = services.visible_questions(live) if visible is None else visible
    shown, more = services.for_projector(visible, PROJECTOR_LIMIT)
    shown_ids = {q.id for q in shown}
    return {
        "questions": visible,
        "off_screen": {q.id for q in visible if q.id not in shown_ids},
        "more": more,
        "limit": PROJECTOR_LIMIT,
    }


def participant_pieces(live) -> list[dict]:
    questions = services.visible_questions(live)
    return [
        swap(LIST, "questions/_list.html", live=live, questions=questions, audience="participant")
    ]


def projector_pieces(live) -> list[dict]:
    return [
        swap(LIST, "questions/_list.html", live=live, audience="projector", **projector_list(live)),
        _pinned_piece(live, services.pinned_question(live)),
    ]


def moderator_pieces(live) -> list[dict]:
    return [
        swap(
            LIST,
            "questions/_list.html",
            live=live,
            questions=services.moderated_questions(live),
            audience="moderator",
        ),
        swap(
            PENDING, "questions/_pending.html", live=live, pending=services.pending_questions(live)
        ),
    ]


def _pinned_piece(live, pinned) -> dict:
    return swap("#pinned-question", "questions/_pinned.html", live=live, question=pinned)


# --- changes: one question at a time ----------------------------------------------

# Which questions changed since the last push, per session, in this process:
# {live_id: {question_id: "votes" | "full"}}. What is pushed is read from the
# database when the push runs; this only says which rows to read.
_changed: dict[int, dict[int, str]] = {}
_changed_lock = threading.Lock()


def push_questions(live, *question_ids, votes_only: bool = False) -> None:
    """After a committed change to these questions: push them to every
    audience that lists them (coalesced per session). ``votes_only``: only
    their vote counts changed."""
    kind = VOTES if votes_only else FULL
    with _changed_lock:
        changes = _changed.setdefault(live.id, {})
        for question_id in question_ids:
            if question_id is not None and changes.get(int(question_id)) != FULL:
                changes[int(question_id)] = kind
    live_id = live.id
    coalesce(f"questions:{live_id}", lambda: _push_changes(live_id))


def _push_changes(live_id: int) -> None:
    with _changed_lock:
        changes = _changed.pop(live_id, {})
    live = db.session.get(LiveSession, live_id)
    if not changes or live is None:
        return
    questions = list(
        db.session.scalars(
            select(Question).where(Question.id.in_(changes), Question.session_id == live_id)
        )
    )
    full = [q for q in questions if changes[q.id] == FULL]
    votes = [q for q in questions if changes[q.id] == VOTES]
    public_full = [q for q in full if q.status != "pending"]
    public_votes = [q for q in votes if q.status == "visible"]
    pinned = services.pinned_question(live)

    if public_full or public_votes:
        push(
            live.code,
            "participants",
            lambda: _changed_pieces(live, "participant", public_full, public_votes),
        )

        more = _projector_more(live) if public_full else None
        show_pinned = bool(public_full) or (pinned is not None and pinned in public_votes)

        def projector() -> list[dict]:
            pieces = _changed_pieces(live, "projector", public_full, public_votes)
            if more is not None:
                pieces.append(swap("#questions-more", PIECE, kind="more", more=more))
            if show_pinned:
                pieces.append(_pinned_piece(live, pinned))
            return pieces

        push(live.code, "projector", projector)

    push(live.code, "moderators", lambda: _moderator_pieces(live, full, votes))


def _changed_pieces(live, audience: str, full, votes) -> list[dict]:
    """Phones and the projector: visible questions upserted, others removed."""
    pieces = []
    for q in full:
        if q.status == "visible":
            pieces.append(upsert(f"#{q.dom_id}", LIST, PIECE, live=live, q=q, audience=audience))
        else:
            pieces.append(delete(f"#{q.dom_id}"))
    for q in votes:
        pieces.append(swap(f"#{q.dom_id}-votes", PIECE, kind="votes", q=q, audience=audience))
    return pieces


def _moderator_pieces(live, full, votes) -> list[dict]:
    """Trainers: a pending question in the queue, every other in the list."""
    pieces = []
    for q in full:
        if q.status == "pending":
            pieces.append(
                upsert(f"#pending-{q.id}", PENDING, PIECE, kind="pending", live=live, q=q)
            )
        else:
            pieces.append(delete(f"#pending-{q.id}"))
            pieces.append(upsert(f"#{q.dom_id}", LIST, PIECE, live=live, q=q, audience="moderator"))
    for q in votes:
        pieces.append(swap(f"#{q.dom_id}-votes", PIECE, kind="votes", q=q, audience="moderator"))
    return pieces


def _projector_more(live) -> int:
    """How many visible questions the projector does not show."""
    count = db.session.scalar(
        select(func.count()).where(Question.session_id == live.id, Question.status == "visible")
    )
    return max(0, (count or 0) - PROJECTOR_LIMIT)
