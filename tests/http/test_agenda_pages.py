"""HTTP: the agenda editor and run buttons, stories and polls without JavaScript."""

import pytest

from facilitation.agenda import services as agenda_services
from facilitation.agenda.models import AgendaStep
from facilitation.cases.models import CaseStory
from facilitation.extensions import db
from facilitation.polls import services as poll_services
from facilitation.polls.models import PollAnswer
from tests.conftest import csrf_from

HX = {"HX-Request": "true"}


@pytest.fixture
def steps(live):
    agenda_services.add_step(live, "pair_discussion", "Pareittain", 5, "Kerro kohtaamisesta")
    agenda_services.add_step(live, "case_stories", "Tapaukset", 10)
    db.session.commit()
    return agenda_services.steps_of(live)


def step_form(**values):
    base = {
        "kind": "info",
        "title": "Uusi kohta",
        "planned_minutes": "15",
        "content": "",
        "links": "",
        "notes": "",
        "speaker": "",
    }
    return {**base, **values}


def test_agenda_editor_adds_edits_and_refuses_stale_edits(trainer_client, live, steps):
    page = f"/c/{live.code}/agenda"
    html = trainer_client.get(page).get_data(as_text=True)
    assert "Pareittain" in html and 'name="version"' in html
    token = csrf_from(trainer_client, page)
    version = live.agenda_version
    response = trainer_client.post(
        f"/c/{live.code}/agenda/steps",
        data=step_form(csrf_token=token, version=version, title="Kahvi", kind="break"),
    )
    assert response.status_code == 302
    # A second device still shows the old version: its edit is refused, its text kept.
    response = trainer_client.post(
        f"/c/{live.code}/agenda/steps/{steps[0].id}",
        data=step_form(csrf_token=token, version=version, title="Vanhalta laitteelta"),
        headers={"Accept-Language": "fi"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Vanhalta laitteelta" in html and "toisella laitteella" in html
    assert db.session.get(AgendaStep, steps[0].id).title == "Pareittain"


def test_bad_step_input_keeps_what_was_typed(trainer_client, live):
    token = csrf_from(trainer_client, f"/c/{live.code}/agenda")
    response = trainer_client.post(
        f"/c/{live.code}/agenda/steps",
        data=step_form(csrf_token=token, title="Pitkä tauko", planned_minutes="0"),
        headers={"Accept-Language": "en"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Pitkä tauko" in html and "between 1 and 600" in html
    assert agenda_services.steps_of(live) == []


def test_run_buttons_work_without_javascript_and_as_htmx(trainer_client, live, steps):
    token = csrf_from(trainer_client, f"/c/{live.code}")
    response = trainer_client.post(f"/c/{live.code}/run/start", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(live)
    assert live.current_step_id == steps[0].id
    response = trainer_client.post(
        f"/c/{live.code}/run/next",
        data={"csrf_token": token, "expected_step_id": steps[0].id},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="agenda-run"' in html and "<html" not in html
    # The same press from a stale second screen is refused with a clear message.
    response = trainer_client.post(
        f"/c/{live.code}/run/next",
        data={"csrf_token": token, "expected_step_id": steps[0].id},
        headers={**HX, "Accept-Language": "en"},
    )
    assert response.status_code == 409 and "already moved on" in response.get_data(as_text=True)
    assert (
        trainer_client.post(f"/c/{live.code}/run/dance", data={"csrf_token": token}).status_code
        == 404
    )


def test_phone_follows_the_step_on_reload(client, trainer_client, live, steps):
    agenda_services.go_to(live, steps[0].id)
    db.session.commit()
    html = client.get(f"/j/{live.code}").get_data(as_text=True)
    assert "Kerro kohtaamisesta" in html
    html = trainer_client.get(f"/p/{live.code}").get_data(as_text=True)
    assert "Pareittain" in html and "data-timer" in html


def test_story_without_javascript_guard_then_post_anyway(client, live, steps):
    agenda_services.go_to(live, steps[1].id)
    db.session.commit()
    page = client.get(f"/j/{live.code}").get_data(as_text=True)
    assert 'id="story-form"' in page
    token = csrf_from(client, f"/j/{live.code}")
    import re

    client_id = re.search(
        r'name="client_id" value="([^"]+)"', page.split('id="story-form"')[1]
    ).group(1)
    story = {
        "situation": "Soitin numeroon 040 123 4567.",
        "action": "",
        "discussion": "",
        "client_id": client_id,
        "csrf_token": token,
        "confirmed": "0",
    }
    response = client.post(f"/j/{live.code}/stories", data=story, headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<mark class="pd pd--phone" data-kind="phone">040 123 4567</mark>' in html
    assert "A phone number." in html and "Post anyway" in html
    assert db.session.query(CaseStory).count() == 0
    # The "post anyway" button sends confirmed=1 next to the hidden 0.
    from werkzeug.datastructures import MultiDict

    data = MultiDict(list(story.items()) + [("confirmed", "1")])
    response = client.post(f"/j/{live.code}/stories", data=data)
    assert response.status_code == 302
    assert db.session.query(CaseStory).one().posted_anyway is True


def test_poll_answer_without_javascript_and_closed_poll(client, trainer_client, live, steps):
    poll = poll_services.save_poll(
        live, steps[0], hide_results=True, kind="single", question="Kumpi?", options_text="A\nB"
    )
    agenda_services.go_to(live, steps[0].id)
    db.session.commit()
    token = csrf_from(client, f"/j/{live.code}")
    assert (
        client.post(
            f"/j/{live.code}/polls/{poll.id}", data={"value": "1", "csrf_token": token}
        ).status_code
        == 302
    )
    assert db.session.query(PollAnswer).one().value == [1]
    trainer_token = csrf_from(trainer_client, f"/c/{live.code}")
    trainer_client.post(f"/c/{live.code}/polls/{poll.id}/close", data={"csrf_token": trainer_token})
    response = client.post(
        f"/j/{live.code}/polls/{poll.id}",
        data={"value": "0", "csrf_token": token},
        headers={**HX, "Accept-Language": "en"},
    )
    assert response.status_code == 400 and "The poll is closed" in response.get_data(as_text=True)
    assert db.session.query(PollAnswer).one().value == [1]
    assert "<svg" in trainer_client.get(f"/p/{live.code}").get_data(as_text=True)


def test_participants_cannot_use_trainer_routes(client, live, steps):
    token = csrf_from(client, f"/j/{live.code}")
    for path in (f"/c/{live.code}/run/start", f"/c/{live.code}/agenda/steps"):
        response = client.post(path, data={"csrf_token": token})
        assert response.status_code == 302 and "/accounts/login" in response.location
    db.session.refresh(live)
    assert live.current_step_id is None


def test_a_reloaded_phone_shows_its_own_poll_answer(client, live, steps):
    step = agenda_services.add_step(live, "poll", "Kysely", 5)
    poll = poll_services.save_poll(
        live, step, hide_results=True, kind="single", question="Kumpi?", options_text="A\nB"
    )
    agenda_services.go_to(live, step.id)
    db.session.commit()
    token = csrf_from(client, f"/j/{live.code}")
    client.post(f"/j/{live.code}/polls/{poll.id}", data={"value": "1", "csrf_token": token})
    html = client.get(f"/j/{live.code}").get_data(as_text=True)
    assert 'value="1" checked' in html and 'value="0" checked' not in html
