"""What each audience of a live session sees, as swap pieces."""

from ..questions import broadcasts as question_broadcasts
from ..realtime import AUDIENCES, push, swap

CATCH_UP = {
    "participants": question_broadcasts.participant_pieces,
    "projector": question_broadcasts.projector_pieces,
    "moderators": question_broadcasts.moderator_pieces,
}


def catch_up_pieces(live, audience: str) -> list[dict]:
    """Everything live on that audience's page: sent to a (re)connecting socket."""
    return CATCH_UP[audience](live)


def push_moderation(live) -> None:
    push(
        live.code,
        "moderators",
        lambda: [swap("#moderation-setting", "live/_moderation.html", live=live)],
    )


def push_session_closed(live) -> None:
    for audience in AUDIENCES:
        push(live.code, audience, lambda: [swap("#live-main", "live/_closed.html", live=live)])
