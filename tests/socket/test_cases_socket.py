"""Case stories over the socket: the guard, moderation, one story on screen."""

from facilitation.cases.models import CaseStory
from facilitation.extensions import db
from tests.conftest import new_client_id, swaps

CLEAN = {
    "situation": "Asiakas ei ymmärtänyt kirjettä, ja tulkkia ei ollut varattu.",
    "action": "Soitin tulkkipalveluun ja varasin uuden ajan.",
    "discussion": "Miten tulkki kannattaa varata kiireessä?",
}
PERSONAL = {
    "situation": "Asiakas (hetu 131052-308T) soitti numerosta 040 123 4567.",
    "action": "",
    "discussion": "",
}


def test_a_clean_story_is_stored_pending_and_reaches_only_trainers(live, connect, trainer_client):
    phone, other_phone = connect(live.code), connect(live.code)
    projector = connect(live.code, "projector", trainer_client)
    control = connect(live.code, "moderator", trainer_client)
    for sc in (other_phone, projector, control):
        sc.get_received()
    ack = phone.emit("cases:post", {**CLEAN, "client_id": new_client_id()}, callback=True)
    assert ack["ok"] is True and 'id="story-form"' in ack["html"]
    story = db.session.query(CaseStory).one()
    assert story.status == "pending" and story.flags == [] and story.step_id is None
    (queue,) = swaps(control.get_received(), "#story-queue")
    assert "tulkkipalveluun" in queue["html"]
    assert swaps(projector.get_received()) == [] and swaps(other_phone.get_received()) == []


def test_personal_data_stops_the_post_until_confirmed(live, connect):
    phone = connect(live.code, language="fi")
    client_id = new_client_id()
    ack = phone.emit("cases:post", {**PERSONAL, "client_id": client_id}, callback=True)
    assert ack["ok"] is False and ack["error"] == "personal_data"
    assert '<mark class="pd pd--hetu"' in ack["html"] and "pd--phone" in ack["html"]
    assert "henkilötunnus" in ack["html"]  # the plain-language reason, in Finnish
    assert "131052-308T" in ack["html"]  # the text is kept for editing
    assert db.session.query(CaseStory).count() == 0
    ack = phone.emit(
        "cases:post", {**PERSONAL, "client_id": client_id, "confirmed": "1"}, callback=True
    )
    assert ack["ok"] is True
    story = db.session.query(CaseStory).one()
    assert story.posted_anyway is True
    assert {flag["kind"] for flag in story.flags} == {"hetu", "phone"}


def test_bad_stories_get_a_message_and_keep_the_text(live, connect):
    phone = connect(live.code)
    ack = phone.emit("cases:post", {"situation": " ", "client_id": new_client_id()}, callback=True)
    assert ack["error"] == "empty"
    long = {"situation": "x" * 1001, "client_id": new_client_id()}
    ack = phone.emit("cases:post", long, callback=True)
    assert ack["error"] == "too_long" and "x" * 1001 in ack["html"]
    assert db.session.query(CaseStory).count() == 0


def test_a_resent_story_is_stored_once(live, connect):
    phone = connect(live.code)
    payload = {**CLEAN, "client_id": new_client_id()}
    phone.emit("cases:post", payload, callback=True)
    phone.emit("cases:post", payload, callback=True)
    assert db.session.query(CaseStory).count() == 1


def test_moderation_edit_approve_and_show_one_at_a_time(live, connect, trainer_client):
    phone = connect(live.code)
    control = connect(live.code, "moderator", trainer_client)
    projector = connect(live.code, "projector", trainer_client)
    phone.emit(
        "cases:post", {**PERSONAL, "client_id": new_client_id(), "confirmed": "1"}, callback=True
    )
    phone.emit("cases:post", {**CLEAN, "client_id": new_client_id()}, callback=True)
    first, second = db.session.query(CaseStory).order_by(CaseStory.id).all()

    # An unreviewed story never reaches the projector.
    ack = control.emit("cases:screen", {"story_id": first.id, "value": "1"}, callback=True)
    assert ack["ok"] is False and ack["error"] == "not_approved"

    edited = {
        "story_id": first.id,
        "situation": "Asiakas soitti minulle.",
        "action": "",
        "discussion": "",
    }
    assert control.emit("cases:edit", edited, callback=True)["ok"]
    db.session.refresh(first)
    assert first.situation == "Asiakas soitti minulle." and first.flags == [] and first.edited_at
    assert "131052-308T" not in str(first.situation) + str(first.flags)  # the original is gone

    for story in (first, second):
        assert (
            control.emit("cases:approve", {"story_id": story.id}, callback=True)["status"]
            == "approved"
        )
    projector.get_received()
    control.emit("cases:screen", {"story_id": first.id, "value": "1"}, callback=True)
    control.emit("cases:screen", {"story_id": second.id, "value": "1"}, callback=True)
    db.session.expire_all()
    assert [
        s.on_screen
        for s in (db.session.get(CaseStory, first.id), db.session.get(CaseStory, second.id))
    ] == [False, True]
    (screen,) = swaps(projector.get_received(), "#story-on-screen")[-1:]
    assert "tulkkia ei ollut varattu" in screen["html"]


def test_participants_vote_on_approved_stories_and_cannot_moderate(live, connect, trainer_client):
    phone = connect(live.code)
    control = connect(live.code, "moderator", trainer_client)
    phone.emit("cases:post", {**CLEAN, "client_id": new_client_id()}, callback=True)
    story = db.session.query(CaseStory).one()
    assert phone.emit("cases:vote", {"story_id": story.id}, callback=True)["error"] == "not_found"
    assert (
        phone.emit("cases:approve", {"story_id": story.id}, callback=True)["error"] == "forbidden"
    )
    control.emit("cases:approve", {"story_id": story.id}, callback=True)
    ack = phone.emit("cases:vote", {"story_id": story.id}, callback=True)
    assert ack["voted"] is True and f"#story-{story.id} .vote-button" in ack["html"]
    db.session.refresh(story)
    assert story.vote_count == 1
