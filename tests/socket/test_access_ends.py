"""Access that ends: a removed, signed-out or password-changed trainer, and a
closed session, lose their sockets at once, and a socket is authorised again
on every trainer event. (The two-process case: tests/socket/test_access_across_processes.py.)
"""

import pytest

from facilitation.extensions import db
from facilitation.trainings.models import TrainingMember
from facilitation.trainings.services import add_member
from tests.conftest import PASSWORD, csrf_from, login, new_client_id, swaps

STORY = {
    "situation": "Asiakas ei ymmärtänyt kirjettä, ja tulkkia ei ollut varattu.",
    "action": "Soitin tulkkipalveluun.",
    "discussion": "",
}


@pytest.fixture
def speaker(app, make_user, training):
    """A second account with the trainer role in the training, signed in."""
    user = make_user("puhuja@example.fi", name="Ulkopuolinen Puhuja")
    add_member(training, user, "trainer")
    db.session.commit()
    client = app.test_client()
    login(client, "puhuja@example.fi")
    return user, client


def _member_id(training, user) -> int:
    return (
        db.session.query(TrainingMember)
        .filter_by(training_id=training.id, user_id=user.id)
        .one()
        .id
    )


def _post(client, path: str, **data):
    token = csrf_from(client, "/")
    return client.post(path, data={"csrf_token": token, **data})


def test_a_removed_trainer_loses_the_control_socket_and_its_pending_stories(
    live, training, connect, trainer_client, speaker
):
    user, speaker_client = speaker
    control = connect(live.code, "moderator", speaker_client)
    projector = connect(live.code, "projector", speaker_client)
    owners_control = connect(live.code, "moderator", trainer_client)
    assert control.is_connected() and projector.is_connected()

    response = _post(
        trainer_client,
        f"/trainings/{training.id}/members/{_member_id(training, user)}/delete",
    )
    assert response.status_code == 302
    assert not control.is_connected() and not projector.is_connected()
    assert owners_control.is_connected()
    owners_control.get_received()

    phone = connect(live.code)
    ack = phone.emit("cases:post", {**STORY, "client_id": new_client_id()}, callback=True)
    assert ack["ok"] is True
    # The owner sees the pending story; the removed trainer's socket is gone.
    assert "tulkkipalveluun" in swaps(owners_control.get_received(), "#story-queue")[0]["html"]
    # A new socket is refused, and so is the control page.
    assert not connect(live.code, "moderator", speaker_client).is_connected()
    assert speaker_client.get(f"/c/{live.code}").status_code == 404


def test_a_socket_is_authorised_again_on_every_trainer_event(app, live, training, connect, speaker):
    """Even if the disconnect were missed, the next event finds the removal."""
    user, speaker_client = speaker
    control = connect(live.code, "moderator", speaker_client)
    # Remove the membership behind the application's back: no disconnect.
    db.session.delete(db.session.get(TrainingMember, _member_id(training, user)))
    db.session.commit()
    ack = control.emit("live:sync", {}, callback=True)
    assert ack is None or ack["ok"] is False
    assert not control.is_connected()


def test_signing_out_ends_the_sockets_and_every_copy_of_the_cookie(
    app, live, connect, trainer_client
):
    copied = app.test_client()
    copied.set_cookie(
        "session",
        trainer_client.get_cookie("session", domain="training.test").value,
        domain="training.test",
    )
    assert copied.get(f"/trainings/{live.training_id}").status_code == 200
    control = connect(live.code, "moderator", trainer_client)
    projector = connect(live.code, "projector", copied)
    phone = connect(live.code)

    response = _post(trainer_client, "/accounts/logout")
    assert response.status_code == 302
    assert not control.is_connected() and not projector.is_connected()
    assert phone.is_connected()  # participants are nobody's account
    for client in (trainer_client, copied):
        page = client.get(f"/trainings/{live.training_id}")
        assert page.status_code == 302 and "/accounts/login" in page.headers["Location"]
        assert client.get(f"/c/{live.code}").status_code == 302
    assert not connect(live.code, "moderator", copied).is_connected()
    # Signing in again works.
    login(trainer_client)
    assert trainer_client.get(f"/c/{live.code}").status_code == 200


def test_a_password_change_signs_out_other_browsers_but_not_this_one(
    app, live, connect, trainer_client
):
    other = app.test_client()
    login(other)
    control = connect(live.code, "moderator", other)
    token = csrf_from(trainer_client, "/accounts/password")
    response = trainer_client.post(
        "/accounts/password",
        data={
            "csrf_token": token,
            "current": PASSWORD,
            "new": "a much longer new passphrase",
            "confirm": "a much longer new passphrase",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert not control.is_connected()
    assert other.get(f"/trainings/{live.training_id}").status_code == 302
    assert trainer_client.get(f"/trainings/{live.training_id}").status_code == 200
    assert connect(live.code, "moderator", trainer_client).is_connected()


def test_closing_a_session_disconnects_every_socket_after_the_end_screen(
    live, training, connect, trainer_client
):
    phone = connect(live.code)
    control = connect(live.code, "moderator", trainer_client)
    phone.get_received()
    response = _post(trainer_client, f"/trainings/{training.id}/sessions/{live.id}/close")
    assert response.status_code == 302
    assert not phone.is_connected() and not control.is_connected()
    # The end screen went out before the disconnect (what it received is
    # still in its queue: get_received() refuses a closed client).
    (closed,) = swaps(phone.queue, "#live-main")
    assert 'class="closed"' in closed["html"]
    assert not connect(live.code).is_connected()


def test_a_cookie_of_the_old_shape_or_a_forged_version_is_refused(app, trainer):
    from facilitation.accounts.services import user_for_session

    assert user_for_session(f"{trainer.id}.{trainer.session_version}") == trainer
    for bad in (
        str(trainer.id),
        f"{trainer.id}.{trainer.session_version + 1}",
        "x.y",
        "",
        "1." * 40,
    ):
        assert user_for_session(bad) is None
