"""Running the agenda over the socket: phones and projector follow."""

import pytest

from facilitation.agenda import services
from facilitation.extensions import db
from tests.conftest import new_client_id, swaps


@pytest.fixture
def agenda(live):
    services.add_step(live, "info", "Tervetuloa", 10, "Päivän tavoitteet")
    services.add_step(
        live, "pair_discussion", "Pareittain", 5, "Kerro kohtaamisesta, joka jäi mieleen"
    )
    db.session.commit()
    return services.steps_of(live)


def test_step_changes_reach_phones_projector_and_other_trainer_devices(
    live, agenda, connect, trainer_client
):
    control = connect(live.code, "moderator", trainer_client)
    second_device = connect(live.code, "moderator", trainer_client)
    projector = connect(live.code, "projector", trainer_client)
    phone = connect(live.code)
    for sc in (control, second_device, projector, phone):
        sc.get_received()

    ack = control.emit("agenda:start", {}, callback=True)
    assert ack["ok"] and ack["step_id"] == agenda[0].id and ack["running"] is True
    ack = control.emit("agenda:next", {"expected_step_id": agenda[0].id}, callback=True)
    assert ack["step_id"] == agenda[1].id

    (stage,) = swaps(projector.get_received(), "#stage")[-1:]
    assert "Pareittain" in stage["html"] and "data-ends-at" in stage["html"]
    (phone_stage,) = swaps(phone.get_received(), "#phone-stage")[-1:]
    assert "Kerro kohtaamisesta" in phone_stage["html"]
    (run,) = swaps(second_device.get_received(), "#agenda-run")[-1:]
    assert "Pareittain" in run["html"]


def test_a_stale_device_is_refused_and_brought_up_to_date(live, agenda, connect, trainer_client):
    control = connect(live.code, "moderator", trainer_client)
    control.emit("agenda:start", {}, callback=True)
    control.emit("agenda:next", {"expected_step_id": agenda[0].id}, callback=True)
    ack = control.emit("agenda:next", {"expected_step_id": agenda[0].id}, callback=True)
    assert ack["ok"] is False and ack["error"] == "stale"
    assert ack["pieces"][0]["target"] == "#agenda-run"
    db.session.refresh(live)
    assert live.current_step_id == agenda[1].id


def test_participants_cannot_run_the_agenda(live, agenda, connect):
    phone = connect(live.code)
    for event in ("agenda:start", "agenda:next", "agenda:pause", "agenda:overlay"):
        assert phone.emit(event, {}, callback=True)["error"] == "forbidden"
    db.session.refresh(live)
    assert live.current_step_id is None


def test_a_reconnecting_phone_sees_the_current_step(live, agenda, connect, trainer_client):
    control = connect(live.code, "moderator", trainer_client)
    control.emit("agenda:goto", {"step_id": agenda[1].id}, callback=True)
    late_phone = connect(live.code)
    pieces = late_phone.emit("live:sync", {}, callback=True)["pieces"]
    assert [p["target"] for p in pieces] == ["#phone-stage", "#question-list", "#followup-link"]
    assert "Pareittain" in pieces[0]["html"]


def test_questions_are_tagged_with_the_running_step(live, agenda, connect, trainer_client):
    from facilitation.questions.models import Question

    control = connect(live.code, "moderator", trainer_client)
    phone = connect(live.code)
    control.emit("agenda:goto", {"step_id": agenda[1].id}, callback=True)
    ack = phone.emit(
        "questions:ask", {"body": "Vaiheen kysymys", "client_id": new_client_id()}, callback=True
    )
    assert db.session.get(Question, ack["id"]).step_id == agenda[1].id


def test_pause_adjust_and_overlay(live, agenda, connect, trainer_client):
    control = connect(live.code, "moderator", trainer_client)
    projector = connect(live.code, "projector", trainer_client)
    control.emit("agenda:start", {}, callback=True)
    assert control.emit("agenda:pause", {}, callback=True)["running"] is False
    ack = control.emit("agenda:adjust", {"minutes": 1}, callback=True)
    # 10 planned minutes less the moments between start and pause (a loaded
    # machine may take seconds), plus one minute
    assert 650 <= ack["remaining"] <= 660
    assert control.emit("agenda:adjust", {"minutes": "lots"}, callback=True)["error"] == "invalid"
    projector.get_received()
    control.emit("agenda:overlay", {"show": "1"}, callback=True)
    (overlay,) = swaps(projector.get_received(), "#join-overlay")
    assert "hidden" not in overlay["html"].split(">", 1)[0] and live.code in overlay["html"]
