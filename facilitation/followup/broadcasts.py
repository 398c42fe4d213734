"""The follow-up link on the live pages, as swap pieces."""

from ..realtime import push, swap


def participant_pieces(live) -> list[dict]:
    """The phone bar's link to the follow-up page (an empty placeholder while
    unpublished, so the swap target always exists)."""
    return [swap("#followup-link", "followup/_phone_link.html", live=live)]


def push_followup(live) -> None:
    """After publishing or unpublishing (committed): the projector's stage
    shows the address and QR code, the phones the link."""
    from ..agenda.broadcasts import projector_pieces
    from ..live.broadcasts import push_session_closed
    from ..live.services import find_open_session

    if live.is_open:
        push(live.code, "projector", lambda: projector_pieces(live))
        push(live.code, "participants", lambda: participant_pieces(live))
        return
    # A closed session's code may already belong to a newly opened one: its
    # rooms are then that session's, and must not get this one's screen.
    if find_open_session(live.code) is None:
        push_session_closed(live)
