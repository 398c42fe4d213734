"""Socket.IO handlers for case stories: thin, the same shape as views.py."""

from flask import render_template

from ..extensions import db, socketio
from ..live.events import EventError, moderated_session, participant_session, voter_session
from ..live.participants import my_votes
from ..realtime import broadcasting
from . import services
from .broadcasts import push_stories
from .views import post_story


def _payload(data) -> dict:
    return data if isinstance(data, dict) else {}


@socketio.on("cases:post")
def on_post(data):
    """Participant: post a case story. Ack carries the re-rendered story form."""
    live, _info = participant_session()
    ok, error, message, context = post_story(live, _payload(data))
    with broadcasting():
        html = render_template("cases/_story_form.html", **context)
    if ok:
        return {"ok": True, "html": html}
    return {"ok": False, "error": error, "message": message, "html": html}


@socketio.on("cases:vote")
def on_vote(data):
    """Participant: "we should discuss this" on an approved story, or take it back."""
    live, voter = voter_session()
    try:
        voted = services.toggle_vote(live, _payload(data).get("story_id"), voter)
    except services.StoryError as exc:
        raise EventError(exc.code, str(exc)) from exc
    db.session.commit()
    push_stories(live)
    with broadcasting():
        html = render_template("live/_my_votes.html", **my_votes(live, voter))
    return {"ok": True, "voted": voted, "html": html}


def _moderate(action: str, data) -> dict:
    live = moderated_session()
    payload = _payload(data)
    try:
        story = services.moderate(live, action, payload.get("story_id"), payload)
    except services.StoryError as exc:
        raise EventError(exc.code, str(exc)) from exc
    db.session.commit()
    push_stories(live)
    return {"ok": True, "id": story.id, "status": story.status, "on_screen": story.on_screen}


@socketio.on("cases:approve")
def on_approve(data):
    """Trainer: approve a story (it can then be shown and voted on)."""
    return _moderate("approve", data)


@socketio.on("cases:reject")
def on_reject(data):
    """Trainer: reject a story; it is never shown."""
    return _moderate("reject", data)


@socketio.on("cases:edit")
def on_edit(data):
    """Trainer: replace a story's texts (to take out details); the original is not kept."""
    return _moderate("edit", data)


@socketio.on("cases:screen")
def on_screen(data):
    """Trainer: show an approved story on the projector (one at a time), or take it off."""
    return _moderate("screen", data)
