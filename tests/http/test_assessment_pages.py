"""HTTP: the phone's self-assessment and feedback forms without JavaScript,
the stage, and the organisers' feedback review."""

from facilitation.agenda import services as agenda
from facilitation.assessments.models import FeedbackAnswer
from facilitation.extensions import db
from facilitation.trainings.services import create_training, invite_member
from tests.conftest import csrf_from, login


def test_phone_assesses_without_javascript(app, live):
    step = agenda.add_step(live, "self_assessment", "Alussa", 5)
    agenda.go_to(live, step.id)
    db.session.commit()
    phone = app.test_client()
    html = phone.get(f"/j/{live.code}").get_data(as_text=True)
    assert "Osaan työskennellä tulkin kanssa." in html and 'name="rating-4"' in html
    token = csrf_from(phone, f"/j/{live.code}")
    data = {"csrf_token": token, **{f"rating-{i}": "3" for i in range(5)}}
    response = phone.post(f"/j/{live.code}/assessment/{step.id}", data=data)
    assert response.status_code == 302
    html = phone.get(f"/j/{live.code}").get_data(as_text=True)
    assert html.count('value="3" checked') == 5  # a reload shows this phone's answers
    # htmx: the form comes back with the reason and the choices kept
    response = phone.post(
        f"/j/{live.code}/assessment/{step.id}",
        data={"csrf_token": token, "rating-0": "4"},
        headers={"HX-Request": "true", "Accept-Language": "en"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Rate every statement" in html
    assert 'value="4" checked' in html


def test_projector_shows_statements_and_count(trainer_client, live):
    step = agenda.add_step(live, "self_assessment", "Alussa", 5, "Väite yksi\nVäite kaksi")
    agenda.go_to(live, step.id)
    db.session.commit()
    html = trainer_client.get(f"/p/{live.code}").get_data(as_text=True)
    assert "Väite yksi" in html and f'id="answer-count-{step.id}"' in html


def test_feedback_review(app, trainer_client, training, live, make_user):
    step = agenda.add_step(live, "feedback", "Palaute", 5)
    agenda.go_to(live, step.id)
    db.session.commit()
    phone = app.test_client()
    token = csrf_from(phone, f"/j/{live.code}")
    phone.post(
        f"/j/{live.code}/feedback/{step.id}",
        data={"csrf_token": token, "rating": "5", "most_useful": "Käytännön tilanteet"},
    )
    page = f"/trainings/{training.id}/sessions/{live.id}/feedback"
    html = trainer_client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Käytännön tilanteet" in html and "Average 5.0 from 1 answer" in html
    row = db.session.query(FeedbackAnswer).one()
    token = csrf_from(trainer_client, page)
    response = trainer_client.post(
        f"{page}/{row.id}", data={"csrf_token": token, "status": "approved"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(FeedbackAnswer, row.id).status == "approved"

    helper, stranger = make_user("apu@example.fi"), make_user("vieras@example.fi")
    invite_member(training, helper.email, "trainer")
    create_training(stranger, "Toinen")
    db.session.commit()
    client = app.test_client()
    login(client, helper.email)
    assert client.get(page).status_code == 200
    token = csrf_from(client, page)
    assert (
        client.post(
            f"{page}/{row.id}", data={"csrf_token": token, "status": "rejected"}
        ).status_code
        == 403
    )
    client = app.test_client()
    login(client, stranger.email)
    assert client.get(page).status_code == 404
