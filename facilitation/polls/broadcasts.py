"""What each audience sees of the polls, as swap pieces."""

from ..extensions import db
from ..live.models import LiveSession
from ..realtime import coalesce, push, swap
from . import services
from .models import Poll


def results_context(poll) -> dict:
    return {"poll": poll, "result": services.results(poll)}


def projector_pieces(live, poll) -> list[dict]:
    return [
        swap(
            f"#poll-results-{poll.id}", "polls/_results.html", theme="dark", **results_context(poll)
        )
    ]


def moderator_pieces(live, poll) -> list[dict]:
    return [
        swap(
            f"#poll-control-{poll.id}",
            "polls/_control.html",
            live=live,
            pending_answers=services.pending_answers(poll),
            **results_context(poll),
        )
    ]


def participant_pieces(live, poll) -> list[dict]:
    """Phones get the form's state (open/closed) and, when visible, the results."""
    return [
        swap(f"#poll-{poll.id}", "polls/_phone.html", live=live, **results_context(poll)),
    ]


def push_poll(live, poll, phones: bool = False) -> None:
    """After a committed change: results to the projector and trainers; the
    phones only when the poll opened/closed (phones=True), so an answer in
    progress is not swapped away on every vote."""
    live_id, poll_id = live.id, poll.id

    def job() -> None:
        current = db.session.get(LiveSession, live_id)
        current_poll = db.session.get(Poll, poll_id)
        if current_poll is None:
            return
        push(current.code, "projector", lambda: projector_pieces(current, current_poll))
        push(current.code, "moderators", lambda: moderator_pieces(current, current_poll))
        if phones:
            push(current.code, "participants", lambda: participant_pieces(current, current_poll))

    coalesce(f"poll:{poll_id}:{'all' if phones else 'screens'}", job)
