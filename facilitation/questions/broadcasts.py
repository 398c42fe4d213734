"""What each audience sees of the questions, as swap pieces."""

from ..extensions import db
from ..live.models import LiveSession
from ..realtime import coalesce, push, swap
from . import services

LIST = "#question-list"
# The projector is read from the back of a room: the top questions fit, the
# rest is a count. Also keeps each push small however long the session runs.
PROJECTOR_LIMIT = 8


def participant_pieces(live, questions=None) -> list[dict]:
    questions = services.visible_questions(live) if questions is None else questions
    return [
        swap(LIST, "questions/_list.html", live=live, questions=questions, audience="participant")
    ]


def projector_pieces(live, questions=None, pinned=None) -> list[dict]:
    questions = services.visible_questions(live) if questions is None else questions
    pinned = services.pinned_question(live) if pinned is None else pinned
    shown, more = services.for_projector(questions, PROJECTOR_LIMIT)
    return [
        swap(
            LIST,
            "questions/_list.html",
            live=live,
            questions=shown,
            more=more,
            audience="projector",
        ),
        swap("#pinned-question", "questions/_pinned.html", live=live, question=pinned),
    ]


def moderator_pieces(live, moderated=None, pending=None) -> list[dict]:
    moderated = services.moderated_questions(live) if moderated is None else moderated
    pending = services.pending_questions(live) if pending is None else pending
    return [
        swap(LIST, "questions/_list.html", live=live, questions=moderated, audience="moderator"),
        swap("#pending-queue", "questions/_pending.html", live=live, pending=pending),
    ]


def push_questions(live, public: bool = True) -> None:
    """After a committed change: every audience gets its fresh lists (coalesced).

    ``public=False`` (a question waiting for approval) changes only what
    trainers see.
    """
    live_id = live.id
    coalesce(
        f"questions:{live_id}:{'all' if public else 'moderators'}",
        lambda: _push_questions_now(db.session.get(LiveSession, live_id), public),
    )


def _push_questions_now(live, public: bool) -> None:
    """The data is read once; only rendering repeats per language."""
    if public:
        visible = services.visible_questions(live)
        pinned = services.pinned_question(live)
        push(live.code, "participants", lambda: participant_pieces(live, visible))
        push(live.code, "projector", lambda: projector_pieces(live, visible, pinned))
    moderated = services.moderated_questions(live)
    pending = services.pending_questions(live)
    push(live.code, "moderators", lambda: moderator_pieces(live, moderated, pending))
