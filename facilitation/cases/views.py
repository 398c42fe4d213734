"""HTTP routes for case stories: the no-JavaScript and htmx paths beside the socket."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..extensions import db
from ..htmx import fragment, refuse, wants_fragment
from ..live.access import open_session_or_404, run_session_or_404
from ..live.participants import RequestVoter, my_votes
from ..questions.forms import new_client_id
from . import bp, services
from .broadcasts import push_stories
from .models import FIELDS


def form_context(live, data=None, **state) -> dict:
    """Context for cases/_story_form.html."""
    data = data or {}
    return {
        "live": live,
        "texts": {name: data.get(name, "") for name in FIELDS},
        **state,
    }


def post_story(live, data: dict):
    """Shared by HTTP and socket: returns (ok, code, message, form context)."""
    client_id = data.get("client_id") or ""
    # A plain form sends the hidden "0" and the "post anyway" button's "1".
    sent = data.getlist("confirmed") if hasattr(data, "getlist") else [data.get("confirmed")]
    confirmed = any(value in ("1", True, "true") for value in sent)
    try:
        story, created = services.post(live, data, client_id, confirmed)
    except services.GuardStop as stop:
        db.session.rollback()
        return (
            False,
            stop.code,
            _("Check your story before posting."),
            form_context(live, stop.texts, client_id=client_id, findings=stop.findings),
        )
    except services.StoryError as exc:
        db.session.rollback()
        keep = client_id if exc.code != "client_id" else new_client_id()
        return (
            False,
            exc.code,
            str(exc),
            form_context(live, data, client_id=keep, error=str(exc), error_field=exc.field),
        )
    db.session.commit()
    if created:
        push_stories(live, public=False)
    notice = _("Thank you! The trainer reads your story before it is shown to anyone.")
    return True, None, notice, form_context(live, client_id=new_client_id(), notice=notice)


@bp.post("/j/<code>/stories")
def participant_story(code: str):
    """Participant: post a case story by plain form or htmx."""
    from ..live.views import participant_response

    live = open_session_or_404(code)
    ok, error, message, context = post_story(live, request.form)
    if wants_fragment():
        return fragment("cases/_story_form.html", status=200 if ok else 400, **context)
    if ok:
        flash(message, "success")
        return redirect(url_for("live.participant_page", code=live.code, _anchor="phone-stage"))
    return participant_response(live, status=400, story_form=context)


@bp.post("/j/<code>/stories/<int:story_id>/vote")
def participant_story_vote(code: str, story_id: int):
    """Participant: "we should discuss this" on an approved story, or take it back."""
    live = open_session_or_404(code)
    voter = RequestVoter.required(live)
    try:
        services.toggle_vote(live, story_id, voter.hash)
    except services.StoryError as exc:
        db.session.rollback()
        return refuse(str(exc), 404, url_for("live.participant_page", code=live.code))
    db.session.commit()
    push_stories(live)
    if wants_fragment():
        response = fragment(
            "live/_my_votes.html",
            "cases/_list.html",
            live=live,
            oob=True,
            **my_votes(live, voter.hash),
            stories=services.approved_stories(live),
            audience="participant",
        )
    else:
        response = redirect(
            url_for("live.participant_page", code=live.code, _anchor=f"story-{story_id}")
        )
    return voter.keep(response)


@bp.post("/c/<code>/stories/<int:story_id>/<action>")
@login_required
def control_story_action(code: str, story_id: int, action: str):
    """Trainer: approve, reject, edit or show a story on the projector."""
    live = run_session_or_404(code)
    try:
        services.moderate(live, action, story_id, request.form)
    except services.StoryError as exc:
        db.session.rollback()
        return refuse(str(exc), 400, url_for("live.control_page", code=live.code))
    db.session.commit()
    push_stories(live)
    if wants_fragment():
        return fragment(
            "cases/_queue.html",
            live=live,
            oob=True,
            pending=services.pending_stories(live),
            stories=services.approved_stories(live),
        )
    return redirect(url_for("live.control_page", code=live.code, _anchor="story-queue"))


@bp.app_template_filter("pd_highlight")
def pd_highlight(text: str):
    """The text, escaped, with likely personal data marked (for trainers and the writer)."""
    from . import guard

    return guard.highlight(text or "", guard.scan(text or ""))
