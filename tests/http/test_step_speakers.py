"""HTTP: choosing a speaker from the speaker list in the agenda editor, and
where the linked speaker shows."""

import pytest

from facilitation.agenda import services as agenda_services
from facilitation.agenda.models import AgendaStep
from facilitation.budget import services as budget_services
from facilitation.extensions import db
from facilitation.trainings.services import create_training
from tests.conftest import csrf_from
from tests.http.test_agenda_pages import step_form

EN = {"Accept-Language": "en"}


@pytest.fixture
def aino(training):
    speaker = budget_services.save_speaker(
        training, {"name": "Aino Asiantuntija", "status": "confirmed"}
    )
    db.session.commit()
    return speaker


@pytest.fixture
def step(live):
    step = agenda_services.add_step(live, "info", "Alustus", 20, speaker="Kirjoitettu Nimi")
    db.session.commit()
    return step


def _edit(client, live, step, **values):
    token = csrf_from(client, f"/c/{live.code}/agenda")
    return client.post(
        f"/c/{live.code}/agenda/steps/{step.id}",
        data=step_form(csrf_token=token, version=live.agenda_version, title="Alustus", **values),
        headers=EN,
    )


def test_choose_and_clear_a_speaker_from_the_list(trainer_client, live, step, aino):
    html = trainer_client.get(f"/c/{live.code}/agenda", headers=EN).get_data(as_text=True)
    assert "Speaker from the speaker list" in html
    assert f'<option value="{aino.id}">Aino Asiantuntija</option>' in html
    response = _edit(trainer_client, live, step, speaker="Kirjoitettu Nimi", speaker_id=aino.id)
    assert response.status_code == 302
    assert db.session.get(AgendaStep, step.id).speaker_id == aino.id
    html = trainer_client.get(f"/c/{live.code}/agenda", headers=EN).get_data(as_text=True)
    assert f'<option value="{aino.id}" selected>' in html
    assert "Info / presentation · 15 min · Aino Asiantuntija" in html
    db.session.refresh(live)
    response = _edit(trainer_client, live, step, speaker="Kirjoitettu Nimi", speaker_id="")
    assert response.status_code == 302
    step = db.session.get(AgendaStep, step.id)
    assert step.speaker_id is None and step.speaker_name == "Kirjoitettu Nimi"


def test_a_speaker_of_another_training_is_refused(trainer_client, trainer, live, step, aino):
    other = create_training(trainer, "Toinen")
    stranger = budget_services.save_speaker(other, {"name": "Vieras Puhuja"})
    db.session.commit()
    response = _edit(trainer_client, live, step, speaker="Uusi teksti", speaker_id=stranger.id)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose a speaker from this training" in html and "Uusi teksti" in html
    assert "Vieras Puhuja" not in html  # only this training's speakers are offered
    step = db.session.get(AgendaStep, step.id)
    assert (step.speaker_id, step.speaker) == (None, "Kirjoitettu Nimi")


def test_projector_phone_and_control_show_the_linked_name(trainer_client, client, live, step, aino):
    step.speaker_ref = aino
    agenda_services.go_to(live, step.id)
    db.session.commit()
    stage = trainer_client.get(f"/p/{live.code}").get_data(as_text=True)
    assert "Aino Asiantuntija" in stage and "Kirjoitettu Nimi" not in stage
    assert "Aino Asiantuntija" in client.get(f"/j/{live.code}").get_data(as_text=True)
    assert "Aino Asiantuntija" in trainer_client.get(f"/c/{live.code}").get_data(as_text=True)


def test_a_declined_speaker_still_on_the_agenda_is_flagged(trainer_client, live, step, aino):
    step.speaker_ref = aino
    live.title = "Aamupäivä"
    db.session.commit()
    speakers_page = f"/trainings/{live.training_id}/speakers"
    html = trainer_client.get(speakers_page, headers=EN).get_data(as_text=True)
    assert "On the agenda" in html and "Aamupäivä</a> – Alustus" in html
    assert "Declined but still on the agenda" not in html
    aino.status = "declined"
    db.session.commit()
    html = trainer_client.get(speakers_page, headers=EN).get_data(as_text=True)
    assert "Declined but still on the agenda" in html
    html = trainer_client.get(f"/c/{live.code}/agenda", headers=EN).get_data(as_text=True)
    assert "Declined but still on the agenda" in html and "Aino Asiantuntija (declined)" in html
