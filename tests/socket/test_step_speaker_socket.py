"""The pushed stage shows a step's linked speaker (rendered outside any request)."""

from facilitation.agenda import services
from facilitation.budget import services as budget_services
from facilitation.extensions import db
from tests.conftest import csrf_from, swaps
from tests.http.test_agenda_pages import step_form


def test_pushed_stages_show_the_linked_speaker(live, connect, trainer_client, training):
    aino = budget_services.save_speaker(training, {"name": "Aino Asiantuntija"})
    step = services.add_step(live, "info", "Alustus", 20, speaker="Vanha nimi")
    db.session.commit()
    control = connect(live.code, "moderator", trainer_client)
    projector = connect(live.code, "projector", trainer_client)
    phone = connect(live.code)
    assert control.emit("agenda:start", {}, callback=True)["ok"]
    (stage,) = swaps(projector.get_received(), "#stage")[-1:]
    assert "Vanha nimi" in stage["html"]
    phone.get_received()
    control.get_received()

    # Linking the speaker in the editor pushes the new name to every screen.
    token = csrf_from(trainer_client, f"/c/{live.code}/agenda")
    db.session.refresh(live)
    response = trainer_client.post(
        f"/c/{live.code}/agenda/steps/{step.id}",
        data=step_form(
            csrf_token=token,
            version=live.agenda_version,
            title="Alustus",
            speaker="Vanha nimi",
            speaker_id=aino.id,
        ),
    )
    assert response.status_code == 302
    (stage,) = swaps(projector.get_received(), "#stage")[-1:]
    assert "Aino Asiantuntija" in stage["html"] and "Vanha nimi" not in stage["html"]
    (phone_stage,) = swaps(phone.get_received(), "#phone-stage")[-1:]
    assert "Aino Asiantuntija" in phone_stage["html"]
    (run,) = swaps(control.get_received(), "#agenda-run")[-1:]
    assert "Aino Asiantuntija" in run["html"]
