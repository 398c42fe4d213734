"""What each audience sees of the agenda, as swap pieces."""

from ..dbtypes import utcnow
from ..extensions import db
from ..live.links import join_url, qr_svg
from ..live.models import LiveSession
from ..questions import services as question_services
from ..questions.broadcasts import PROJECTOR_LIMIT
from ..realtime import coalesce, push, swap
from . import services


def timer_context(live) -> dict:
    step = services.current_step(live)
    return {
        "step": step,
        "remaining": services.remaining_seconds(live),
        "running": live.timer_ends_at is not None,
        "ends_at": live.timer_ends_at,
        "server_now": utcnow(),
    }


def stage_context(live) -> dict:
    """Everything the projector's stage shows for the current step."""
    url = join_url(live)
    visible = question_services.visible_questions(live)
    shown, more = question_services.for_projector(visible, PROJECTOR_LIMIT)
    return {
        "live": live,
        "join_url": url,
        "qr": qr_svg(url),
        "questions": shown,
        "more": more,
        "pinned": question_services.pinned_question(live),
        "audience": "projector",
        **timer_context(live),
    }


def projector_pieces(live) -> list[dict]:
    context = stage_context(live)
    return [
        swap("#stage", "live/_stage.html", **context),
        swap("#join-overlay", "live/_join_overlay.html", **context),
    ]


def participant_pieces(live) -> list[dict]:
    return [swap("#phone-stage", "live/_phone_stage.html", live=live, **timer_context(live))]


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
