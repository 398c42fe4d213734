"""What each audience sees of the agenda, as swap pieces."""

from ..cases import services as case_services
from ..dbtypes import utcnow
from ..extensions import db
from ..live.links import join_url, qr_svg
from ..live.models import LiveSession
from ..polls import services as poll_services
from ..questions import services as question_services
from ..questions.broadcasts import projector_list
from ..realtime import coalesce, push, swap
from . import services

POLL_KINDS = ("poll", "practical_situation", "feedback")


def timer_context(live) -> dict:
    """The current step, its timer and its poll (if the step has one)."""
    step = services.current_step(live)
    poll = poll_services.poll_for_step(step) if step and step.kind in POLL_KINDS else None
    return {
        "step": step,
        "poll": poll,
        "result": poll_services.results(poll) if poll else None,
        "poll_pending": poll_services.pending_answers(poll) if poll and poll.kind == "free" else [],
        "remaining": services.remaining_seconds(live),
        "running": live.timer_ends_at is not None,
        "ends_at": live.timer_ends_at,
        "server_now": utcnow(),
    }


def stage_context(live) -> dict:
    """Everything the projector's stage shows for the current step."""
    url = join_url(live)
    return {
        "live": live,
        "join_url": url,
        "qr": qr_svg(url),
        **projector_list(live),
        "pinned": question_services.pinned_question(live),
        "story": case_services.shown_story(live),
        "audience": "projector",
        **timer_context(live),
    }


def projector_pieces(live) -> list[dict]:
    context = stage_context(live)
    return [
        swap("#stage", "live/_stage.html", **context),
        swap("#join-overlay", "live/_join_overlay.html", **context),
    ]


def phone_stage_context(live) -> dict:
    """What the phone's stage shows: the step, and its form and lists."""
    return {
        "live": live,
        "stories": case_services.approved_stories(live),
        "audience": "participant",
        **timer_context(live),
    }


def participant_pieces(live) -> list[dict]:
    return [swap("#phone-stage", "live/_phone_stage.html", **phone_stage_context(live))]


def moderator_pieces(live) -> list[dict]:
    return [
        swap(
            "#agenda-run",
            "agenda/_run.html",
            live=live,
            steps=services.steps_of(live),
            **timer_context(live),
        )
    ]


def push_agenda(live) -> None:
    """After a committed agenda change or step move: projector, phones, trainers."""
    live_id = live.id

    def job() -> None:
        current = db.session.get(LiveSession, live_id)
        push(current.code, "projector", lambda: projector_pieces(current))
        push(current.code, "participants", lambda: participant_pieces(current))
        push(current.code, "moderators", lambda: moderator_pieces(current))

    coalesce(f"agenda:{live_id}", job)
