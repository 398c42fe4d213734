"""HTTP: the budget page, a 60/40 split, and access."""

from facilitation.extensions import db
from facilitation.trainings.services import add_partner, invite_member
from tests.conftest import csrf_from, login


def test_a_60_40_split_and_finnish_formatting(trainer_client, training):
    a = add_partner(training, {"name": "Kunta", "kind": "municipality"})
    b = add_partner(training, {"name": "Järjestö", "kind": "ngo_project"})
    db.session.commit()
    page = f"/trainings/{training.id}/budget"
    token = csrf_from(trainer_client, page)
    response = trainer_client.post(
        page,
        data={
            "csrf_token": token,
            "category": "venue",
            "estimated": "1 250,50",
            "rule": "percent",
            "partners": [a.id, b.id],
            f"percent_{a.id}": "60",
            f"percent_{b.id}": "40",
        },
    )
    assert response.status_code == 302
    html = trainer_client.get(page, headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "750,30\u00a0€" in html and "500,20\u00a0€" in html and "1\u00a0250,50\u00a0€" in html
    response = trainer_client.post(
        page,
        data={
            "csrf_token": token,
            "category": "coffee",
            "estimated": "100",
            "rule": "percent",
            "description": "Aamukahvi",
            "partners": [a.id, b.id],
            f"percent_{a.id}": "50",
            f"percent_{b.id}": "40",
        },
        headers={"Accept-Language": "en"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "add up to 100" in html and "Aamukahvi" in html


def test_budget_access(app, training, make_user):
    helper, stranger = make_user("apu@example.fi"), make_user("vieras@example.fi")
    invite_member(training, helper.email, "trainer")
    db.session.commit()
    client = app.test_client()
    login(client, helper.email)
    assert client.get(f"/trainings/{training.id}/budget").status_code == 200
    token = csrf_from(client, f"/trainings/{training.id}/budget")
    assert (
        client.post(f"/trainings/{training.id}/budget", data={"csrf_token": token}).status_code
        == 403
    )
    client = app.test_client()
    login(client, stranger.email)
    assert client.get(f"/trainings/{training.id}/budget").status_code == 404


def test_speakers_page_and_budget_rows(trainer_client, training):
    a = add_partner(training, {"name": "Kunta", "kind": "municipality"})
    db.session.commit()
    page = f"/trainings/{training.id}/speakers"
    token = csrf_from(trainer_client, page)
    response = trainer_client.post(
        page,
        data={
            "csrf_token": token,
            "name": "Aino Asiantuntija",
            "status": "confirmed",
            "fee": "300",
            "travel": "45,50",
            "paid_by": a.id,
        },
    )
    assert response.status_code == 302
    html = trainer_client.get(
        f"/trainings/{training.id}/budget", headers={"Accept-Language": "fi"}
    ).get_data(as_text=True)
    assert "Aino Asiantuntija" in html and "345,50\u00a0€" in html
    response = trainer_client.post(
        page,
        data={"csrf_token": token, "name": "", "topic": "Tulkkaus"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400 and "Tulkkaus" in response.get_data(as_text=True)
