"""Agenda steps linked to the training's speakers."""

import pytest

from facilitation.agenda import services
from facilitation.budget import services as budget_services
from facilitation.extensions import db
from facilitation.live.services import open_session
from facilitation.trainings.services import create_training


@pytest.fixture
def aino(training):
    speaker = budget_services.save_speaker(training, {"name": "Aino Asiantuntija"})
    db.session.commit()
    return speaker


def test_a_linked_speaker_wins_over_the_typed_name(live, aino):
    step = services.add_step(live, "info", "Alustus", 20, speaker="Joku", speaker_id=str(aino.id))
    db.session.commit()
    assert step.speaker_id == aino.id and step.speaker_name == "Aino Asiantuntija"
    # An edit without the field keeps the link; an empty choice clears it.
    fields = {"kind": "info", "title": "Alustus", "planned_minutes": 20, "speaker": "Joku"}
    services.update_step(live, step.id, **fields)
    assert step.speaker_id == aino.id
    services.update_step(live, step.id, speaker_id="", **fields)
    assert step.speaker_id is None and step.speaker_name == "Joku"


def test_a_speaker_of_another_training_is_refused(live, trainer, aino):
    other = create_training(trainer, "Toinen")
    stranger = budget_services.save_speaker(other, {"name": "Vieras"})
    step = services.add_step(live, "info", "Alustus", 20, speaker_id=aino.id)
    db.session.commit()
    for bad in (stranger.id, "999999", "abc"):
        with pytest.raises(services.AgendaError) as info:
            services.update_step(
                live, step.id, kind="break", title="Muu", planned_minutes=5, speaker_id=bad
            )
        assert info.value.code == "unknown_speaker"
        with pytest.raises(services.AgendaError):
            services.add_step(live, "info", "Uusi", 5, speaker_id=bad)
    db.session.rollback()
    assert (step.title, step.speaker_id) == ("Alustus", aino.id)
    assert len(services.steps_of(live)) == 1


def test_copying_keeps_the_link_only_within_the_training(live, trainer, training, aino):
    services.add_step(live, "info", "Alustus", 20, speaker_id=aino.id)
    services.add_step(live, "info", "Paneeli", 20, speaker="Vapaa nimi")
    db.session.commit()
    same = open_session(training, "Iltapäivä")
    services.copy_steps(live, same)
    assert [(s.speaker_id, s.speaker) for s in services.steps_of(same)] == [
        (aino.id, ""),
        (None, "Vapaa nimi"),
    ]
    elsewhere = open_session(create_training(trainer, "Toinen"), "Aamu")
    services.copy_steps(live, elsewhere)
    # Another training has its own speaker list: the name comes along as text.
    assert [(s.speaker_id, s.speaker_name) for s in services.steps_of(elsewhere)] == [
        (None, "Aino Asiantuntija"),
        (None, "Vapaa nimi"),
    ]


def test_the_speaker_list_knows_their_steps(live, training, aino):
    step = services.add_step(live, "info", "Alustus", 20, speaker_id=aino.id)
    db.session.commit()
    assert budget_services.speaker_steps(training) == {aino.id: [(live, step)]}
