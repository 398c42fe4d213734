"""What each audience sees of the case stories, as swap pieces."""

from ..extensions import db
from ..live.models import LiveSession
from ..realtime import coalesce, push, swap
from . import services


def participant_pieces(live) -> list[dict]:
    return [
        swap(
            "#story-list",
            "cases/_list.html",
            live=live,
            stories=services.approved_stories(live),
            audience="participant",
        )
    ]


def projector_pieces(live) -> list[dict]:
    return [swap("#story-on-screen", "cases/_on_screen.html", story=services.shown_story(live))]


def moderator_pieces(live) -> list[dict]:
    return [
        swap(
            "#story-queue",
            "cases/_queue.html",
            live=live,
            pending=services.pending_stories(live),
            stories=services.approved_stories(live),
        )
    ]


def push_stories(live, public: bool = True) -> None:
    """After a committed change. A new story waits for moderation, so it
    changes only what trainers see (public=False)."""
    live_id = live.id

    def job() -> None:
        current = db.session.get(LiveSession, live_id)
        if public:
            push(current.code, "participants", lambda: participant_pieces(current))
            push(current.code, "projector", lambda: projector_pieces(current))
        push(current.code, "moderators", lambda: moderator_pieces(current))

    coalesce(f"stories:{live_id}:{'all' if public else 'moderators'}", job)
