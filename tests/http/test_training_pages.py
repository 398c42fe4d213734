"""HTTP: a training's page, editing it, partners and organisers, and who sees what."""

from facilitation.extensions import db
from facilitation.trainings.services import invite_member
from tests.conftest import csrf_from, login


def test_owner_edits_details_and_sees_them_in_finnish(trainer_client, training):
    page = f"/trainings/{training.id}/edit"
    token = csrf_from(trainer_client, page)
    response = trainer_client.post(
        page,
        data={
            "csrf_token": token,
            "title": "Tulkkauksen perusteet",
            "date": "2026-11-05",
            "start_time": "13:00",
            "end_time": "16:00",
            "venue_name": "Pääkirjasto",
            "venue_cost": "1 200,50",
            "venue_booking": "booked",
            "status": "invitations_open",
            "target_groups": ["volunteers", "third_sector"],
        },
    )
    assert response.status_code == 302
    html = trainer_client.get(
        f"/trainings/{training.id}", headers={"Accept-Language": "fi"}
    ).get_data(as_text=True)
    assert "Tulkkauksen perusteet" in html and "Pääkirjasto" in html
    assert "13.00" in html or "13:00" in html
    assert "1\u00a0200,50" in html  # Finnish number formatting


def test_bad_input_keeps_what_was_typed(trainer_client, training):
    page = f"/trainings/{training.id}/edit"
    token = csrf_from(trainer_client, page)
    response = trainer_client.post(
        page,
        data={
            "csrf_token": token,
            "title": "Tallella",
            "venue_name": "Kirjasto",
            "capacity": "-3",
        },
        headers={"Accept-Language": "en"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Kirjasto" in html and "at least 1" in html
    db.session.refresh(training)
    assert training.title == "Kotoutumisen perusteet"


def test_partners_and_a_co_organiser(trainer_client, training, make_user, app):
    token = csrf_from(trainer_client, f"/trainings/{training.id}")
    response = trainer_client.post(
        f"/trainings/{training.id}/partners",
        data={"csrf_token": token, "name": "Maahanmuuttovirasto", "kind": "immigration_authority"},
    )
    assert response.status_code == 302
    response = trainer_client.post(
        f"/trainings/{training.id}/partners",
        data={"csrf_token": token, "name": "", "kind": "other"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "Give the organisation" in response.get_data(as_text=True)
    colleague = make_user("kollega@example.fi")
    response = trainer_client.post(
        f"/trainings/{training.id}/members",
        data={"csrf_token": token, "email": colleague.email, "role": "co_organiser"},
    )
    assert response.status_code == 302
    other = app.test_client()
    login(other, colleague.email)
    assert "Maahanmuuttovirasto" in other.get(f"/trainings/{training.id}").get_data(as_text=True)
    # A co-organiser edits, but only the owner adds people.
    token = csrf_from(other, f"/trainings/{training.id}")
    assert other.get(f"/trainings/{training.id}/edit").status_code == 200
    assert (
        other.post(
            f"/trainings/{training.id}/members",
            data={"csrf_token": token, "email": "x@example.fi", "role": "trainer"},
        ).status_code
        == 403
    )


def test_a_trainer_role_cannot_edit_and_strangers_see_nothing(app, training, make_user):
    helper = make_user("apu@example.fi")
    stranger = make_user("vieras@example.fi")
    invite_member(training, helper.email, "trainer")
    db.session.commit()
    client = app.test_client()
    login(client, helper.email)
    assert client.get(f"/trainings/{training.id}").status_code == 200
    assert client.get(f"/trainings/{training.id}/edit").status_code == 403
    client = app.test_client()
    login(client, stranger.email)
    for path in (f"/trainings/{training.id}", f"/trainings/{training.id}/edit"):
        assert client.get(path).status_code == 404
    assert "Kotoutumisen perusteet" not in client.get("/").get_data(as_text=True)


def test_who_does_what_page(trainer_client, training, trainer):
    from facilitation.trainings.services import task_tree

    page = f"/trainings/{training.id}/tasks"
    html = trainer_client.get(page, headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "Päivämäärä, tila ja kahvitus" in html and "Kutsut ja ilmoittautumiset" in html
    token = csrf_from(trainer_client, page)
    (first, subs), *_ = task_tree(training)
    response = trainer_client.post(
        f"{page}/{subs[0].id}",
        data={
            "csrf_token": token,
            "title": subs[0].title,
            "status": "doing",
            "due_date": "2020-01-01",
            "user_id": trainer.id,
        },
    )
    assert response.status_code == 302
    overview = trainer_client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert subs[0].title in overview and trainer.name in overview  # late, and whose it is
    response = trainer_client.post(
        page, data={"csrf_token": token, "title": ""}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400 and "Give the task a title" in response.get_data(
        as_text=True
    )
    response = trainer_client.post(page, data={"csrf_token": token, "title": "Tulosta nimilaput"})
    assert response.status_code == 302
    assert "Tulosta nimilaput" in trainer_client.get(page).get_data(as_text=True)
