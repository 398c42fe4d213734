"""The live loop over Socket.IO: ask, ack, broadcast, votes, trainer actions."""

import json

from facilitation.extensions import db
from facilitation.questions.models import Question
from tests.conftest import login, new_client_id, swaps


def test_unknown_code_and_trainer_audiences_without_rights_are_refused(
    live, connect, make_user, app
):
    assert not connect("ZZZZZZ").is_connected()
    assert not connect(live.code, "projector").is_connected()
    assert not connect(live.code, "moderator").is_connected()
    stranger = make_user("vieras@example.fi")
    client = app.test_client()
    login(client, stranger.email)
    assert not connect(live.code, "moderator", client).is_connected()


def test_sync_after_connecting_catches_up_with_the_current_list(live, connect):
    asker, phone = connect(live.code), connect(live.code)
    asker.emit("questions:ask", {"body": "Jo kysytty", "client_id": new_client_id()}, callback=True)
    ack = phone.emit("live:sync", {}, callback=True)
    (piece,) = [p for p in ack["pieces"] if p["target"] == "#question-list"]
    assert "Jo kysytty" in piece["html"]


def test_ask_is_acknowledged_stored_and_broadcast(live, connect, trainer_client):
    phone_a, phone_b = connect(live.code), connect(live.code)
    projector = connect(live.code, "projector", trainer_client)
    for sc in (phone_a, phone_b, projector):
        sc.get_received()

    ack = phone_a.emit(
        "questions:ask",
        {"body": "Mistä löydän selkokieliset ohjeet?", "client_id": new_client_id()},
        callback=True,
    )
    assert ack["ok"] is True and ack["status"] == "visible" and ack["duplicate"] is False
    assert 'id="ask-form"' in ack["html"] and "csrf_token" not in ack["html"]
    assert db.session.get(Question, ack["id"]).body == "Mistä löydän selkokieliset ohjeet?"
    for sc in (phone_b, projector):
        # Only the new question goes out, by its stable id, with the list to add it to.
        received = sc.get_received()
        (piece,) = swaps(received, f"#question-{ack['id']}")
        assert piece["into"] == "#question-list"
        # One change, one small push (the budget in issue 10: 2 KB).
        for event in received:
            if event["name"] == "ui:swap":
                assert len(json.dumps(event["args"][0]).encode()) <= 2048
        assert "Mistä löydän selkokieliset ohjeet?" in piece["html"]
        assert piece["html"].lstrip().startswith(f'<li id="question-{ack["id"]}"')
        assert piece["swap"] == "outerHTML"


def test_a_resent_ask_is_stored_once_and_broadcast_once(live, connect):
    phone, other = connect(live.code), connect(live.code)
    other.get_received()
    payload = {"body": "Kaksi kertaa lähetetty", "client_id": new_client_id()}
    first = phone.emit("questions:ask", payload, callback=True)
    second = phone.emit("questions:ask", payload, callback=True)
    assert first["id"] == second["id"] and second["duplicate"] is True
    assert db.session.query(Question).count() == 1
    assert len(swaps(other.get_received(), f"#question-{first['id']}")) == 1


def test_invalid_asks_get_a_message_and_keep_the_text(live, connect):
    phone = connect(live.code, language="fi")
    too_long = "ä" * 501
    ack = phone.emit(
        "questions:ask", {"body": too_long, "client_id": new_client_id()}, callback=True
    )
    assert ack["ok"] is False and ack["error"] == "too_long"
    assert too_long in ack["html"] and 'role="alert"' in ack["html"]
    ack = phone.emit("questions:ask", {"body": "   ", "client_id": new_client_id()}, callback=True)
    assert ack["error"] == "empty"
    ack = phone.emit("questions:ask", "not a dict", callback=True)
    assert ack["ok"] is False
    assert db.session.query(Question).count() == 0


def test_upvote_toggles_and_reorders(live, connect, trainer_client):
    phone, projector = connect(live.code), connect(live.code, "projector", trainer_client)
    first = phone.emit(
        "questions:ask", {"body": "Ensimmäinen", "client_id": new_client_id()}, callback=True
    )
    second = phone.emit(
        "questions:ask", {"body": "Toinen", "client_id": new_client_id()}, callback=True
    )
    projector.get_received()

    ack = phone.emit("questions:vote", {"question_id": second["id"]}, callback=True)
    assert ack["ok"] is True and ack["voted"] is True
    assert f"#question-{second['id']}" in ack["html"]
    # A vote sends the count alone; the page re-sorts by it (realtime.js).
    (piece,) = swaps(projector.get_received())
    assert piece["target"] == f"#question-{second['id']}-votes"
    assert 'data-votes="1"' in piece["html"] and "Toinen" not in piece["html"]
    ack = phone.emit("live:sync", {}, callback=True)
    (whole,) = [p for p in ack["pieces"] if p["target"] == "#question-list"]
    assert whole["html"].index("Toinen") < whole["html"].index("Ensimmäinen")

    ack = phone.emit("questions:vote", {"question_id": second["id"]}, callback=True)
    assert ack["voted"] is False and f"#question-{second['id']}" not in ack["html"]
    assert db.session.get(Question, second["id"]).vote_count == 0
    assert first["id"] != second["id"]


def test_votes_are_per_participant_cookie(live, connect, app):
    browser = app.test_client()
    browser.get(f"/j/{live.code}")  # sets the participant cookie
    phone, same_phone_again = (
        connect(live.code, flask_client=browser),
        connect(live.code, flask_client=browser),
    )
    q = phone.emit(
        "questions:ask", {"body": "Kysymys", "client_id": new_client_id()}, callback=True
    )
    assert phone.emit("questions:vote", {"question_id": q["id"]}, callback=True)["voted"] is True
    # A reconnect from the same phone is the same participant: pressing again takes it back.
    assert (
        same_phone_again.emit("questions:vote", {"question_id": q["id"]}, callback=True)["voted"]
        is False
    )


def test_a_participant_cannot_trigger_trainer_actions(live, connect):
    phone = connect(live.code)
    q = phone.emit(
        "questions:ask", {"body": "Jää näkyviin", "client_id": new_client_id()}, callback=True
    )
    for event in ("questions:hide", "questions:pin", "questions:answer", "questions:show"):
        ack = phone.emit(event, {"question_id": q["id"]}, callback=True)
        assert ack["ok"] is False and ack["error"] == "forbidden"
    ack = phone.emit("live:moderation", {"mode": "approve"}, callback=True)
    assert ack["error"] == "forbidden"
    db.session.expire_all()
    question = db.session.get(Question, q["id"])
    assert (question.status, question.pinned, question.answered) == ("visible", False, False)
    assert live.moderation == "open"


def test_signed_in_trainer_on_a_phone_socket_is_still_refused(live, connect, trainer_client):
    """Trainer actions need the control page's socket, not only a signed-in user."""
    phone = connect(live.code, "participant", trainer_client)
    q = phone.emit("questions:ask", {"body": "x", "client_id": new_client_id()}, callback=True)
    assert (
        phone.emit("questions:hide", {"question_id": q["id"]}, callback=True)["error"]
        == "forbidden"
    )


def test_trainer_hide_reaches_every_audience(live, connect, trainer_client):
    phone = connect(live.code)
    control = connect(live.code, "moderator", trainer_client)
    projector = connect(live.code, "projector", trainer_client)
    q = phone.emit(
        "questions:ask", {"body": "Piilotettava", "client_id": new_client_id()}, callback=True
    )
    for sc in (phone, control, projector):
        sc.get_received()

    ack = control.emit("questions:hide", {"question_id": q["id"]}, callback=True)
    assert ack["ok"] is True and ack["status"] == "hidden"
    for sc in (phone, projector):
        (piece,) = swaps(sc.get_received(), f"#question-{q['id']}")
        assert piece["swap"] == "delete" and piece["html"] == ""
    (piece,) = swaps(control.get_received(), f"#question-{q['id']}")
    assert "Piilotettava" in piece["html"] and "is-hidden" in piece["html"]


def test_approval_mode_over_the_socket(live, connect, trainer_client):
    control = connect(live.code, "moderator", trainer_client)
    phone, projector = connect(live.code), connect(live.code, "projector", trainer_client)
    assert control.emit("live:moderation", {"mode": "approve"}, callback=True)["mode"] == "approve"
    assert control.emit("live:moderation", {"mode": "bogus"}, callback=True)["error"] == "invalid"
    for sc in (phone, control, projector):
        sc.get_received()

    q = phone.emit(
        "questions:ask",
        {"body": "Odottaa hyväksyntää", "client_id": new_client_id()},
        callback=True,
    )
    assert q["status"] == "pending"
    # Waiting for approval changes nothing that phones or the projector show.
    assert swaps(projector.get_received()) == [] and swaps(phone.get_received()) == []
    (pending,) = swaps(control.get_received(), f"#pending-{q['id']}")
    assert "Odottaa hyväksyntää" in pending["html"] and pending["into"] == "#pending-queue"

    control.emit("questions:show", {"question_id": q["id"]}, callback=True)
    (shown,) = swaps(projector.get_received(), f"#question-{q['id']}")
    assert "Odottaa hyväksyntää" in shown["html"]
    moved = {p["target"]: p for p in swaps(control.get_received())}
    assert moved[f"#pending-{q['id']}"]["swap"] == "delete"
    assert moved[f"#question-{q['id']}"]["into"] == "#question-list"


def test_pushes_reach_each_phone_in_its_own_language(live, connect):
    finnish = connect(live.code, language="fi-FI,fi;q=0.9")
    swedish = connect(live.code, language="sv-FI,sv;q=0.9")
    asker = connect(live.code)
    for sc in (finnish, swedish):
        sc.get_received()
    q = asker.emit("questions:ask", {"body": "Kieli?", "client_id": new_client_id()}, callback=True)
    fi_html = swaps(finnish.get_received(), f"#question-{q['id']}")[0]["html"]
    sv_html = swaps(swedish.get_received(), f"#question-{q['id']}")[0]["html"]
    assert "Äänestä" in fi_html
    assert "Rösta" in sv_html


def test_closing_the_session_refuses_further_posts(live, connect):
    from facilitation.live.services import close_session

    phone = connect(live.code)
    close_session(live)
    db.session.commit()
    ack = phone.emit(
        "questions:ask", {"body": "Liian myöhään", "client_id": new_client_id()}, callback=True
    )
    assert ack["error"] == "closed"


def test_projector_and_control_sockets_cannot_ask_or_vote(live, connect, trainer_client):
    projector = connect(live.code, "projector", trainer_client)
    ack = projector.emit(
        "questions:ask", {"body": "x", "client_id": new_client_id()}, callback=True
    )
    assert ack["ok"] is False and ack["error"] == "forbidden"
    assert db.session.query(Question).count() == 0


def test_trainer_actions_with_a_target_state_are_idempotent(live, connect, trainer_client):
    """A retried pin or answer sets the same state again instead of undoing it."""
    phone = connect(live.code)
    control = connect(live.code, "moderator", trainer_client)
    q = phone.emit(
        "questions:ask", {"body": "Toistettu", "client_id": new_client_id()}, callback=True
    )
    for _ in range(2):
        ack = control.emit("questions:pin", {"question_id": q["id"], "value": "1"}, callback=True)
        assert ack["pinned"] is True
        ack = control.emit(
            "questions:answer", {"question_id": q["id"], "value": True}, callback=True
        )
        assert ack["answered"] is True
    ack = control.emit("questions:pin", {"question_id": q["id"], "value": "maybe"}, callback=True)
    assert ack["error"] == "invalid"
    ack = control.emit("questions:pin", {"question_id": q["id"], "value": "0"}, callback=True)
    assert ack["pinned"] is False


def test_a_malformed_client_id_gets_a_fresh_one_in_the_returned_form(live, connect):
    phone = connect(live.code)
    ack = phone.emit("questions:ask", {"body": "Kysymys", "client_id": "bad id"}, callback=True)
    assert ack["error"] == "client_id"
    assert 'value="bad id"' not in ack["html"] and "Kysymys" in ack["html"]
