"""What each audience of a live session sees, as swap pieces."""

from ..agenda import broadcasts as agenda_broadcasts
from ..cases import broadcasts as case_broadcasts
from ..followup import broadcasts as followup_broadcasts
from ..questions import broadcasts as question_broadcasts
from ..realtime import AUDIENCES, push, swap
from . import presence

# Each audience's live pieces, area by area. The stage comes first: it may
# contain the question list that the later pieces refresh.
CATCH_UP = {
    "participants": (
        agenda_broadcasts.participant_pieces,
        question_broadcasts.participant_pieces,
        followup_broadcasts.participant_pieces,
    ),
    "projector": (agenda_broadcasts.projector_pieces, question_broadcasts.projector_pieces),
    "moderators": (
        agenda_broadcasts.moderator_pieces,
        question_broadcasts.moderator_pieces,
        case_broadcasts.moderator_pieces,
        presence.moderator_pieces,
    ),
}


def catch_up_pieces(live, audience: str) -> list[dict]:
    """Everything live on that audience's page: sent to a (re)connecting socket."""
    return [piece for build in CATCH_UP[audience] for piece in build(live)]


def push_moderation(live) -> None:
    push(
        live.code,
        "moderators",
        lambda: [swap("#moderation-setting", "live/_moderation.html", live=live)],
    )


def push_session_closed(live) -> None:
    for audience in AUDIENCES:
        push(live.code, audience, lambda: [swap("#live-main", "live/_closed.html", live=live)])
