"""E-mail through a real SMTP server: confirmation with the cancellation link
and a calendar file, promotion from the waiting list, invitations, and a
mail server that is down."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from facilitation.extensions import db
from facilitation.registration import services
from facilitation.registration.models import Registration
from tests.conftest import csrf_from, free_port, mail_config

EN = {"Accept-Language": "en"}


@pytest.fixture
def app_config(smtp_server):
    return mail_config(smtp_server.port)


@pytest.fixture
def open_training(training):
    training.capacity = 1
    training.starts_at = datetime(2027, 3, 28, 7, 0, tzinfo=UTC)  # 10:00 EEST
    training.ends_at = datetime(2027, 3, 28, 11, 0, tzinfo=UTC)
    training.venue_name = "Pääkirjasto"
    training.venue_address = "Kirjastokatu 1, Helsinki"
    services.open_registration(training)
    db.session.commit()
    return training


def sign_up(client, training, email, name="Äijä Öhman", headers=EN):
    page = f"/r/{training.public_id}"
    token = csrf_from(client, page)
    return client.post(
        page,
        data={"csrf_token": token, "name": name, "email": email, "consent": "yes"},
        headers=headers,
    )


def send_invitations(client, training, addresses):
    page = f"/trainings/{training.id}/invitations"
    token = csrf_from(client, page)
    return client.post(
        f"{page}/send", data={"csrf_token": token, "addresses": addresses}, headers=EN
    )


def test_confirmation_mail_with_cancel_link_and_calendar(client, open_training, smtp_server):
    response = sign_up(client, open_training, "Aija.Ohman@Example.fi")
    assert response.status_code == 302
    html = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "A confirmation was sent to aija.ohman@example.fi." in html

    [message] = smtp_server.messages
    assert message["To"] == "aija.ohman@example.fi"
    assert message["From"] == "koulutus@training.test"
    assert message["Subject"] == f"Registration confirmed: {open_training.title}"
    body = message.get_body(("plain",)).get_content()
    registration = db.session.query(Registration).one()
    cancel_url = f"http://training.test/r/cancel/{registration.token}"
    assert "Hello Äijä Öhman," in body and cancel_url in body
    assert "Pääkirjasto, Kirjastokatu 1, Helsinki" in body

    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    event = Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Helsinki" and start.hour == 10
    assert start.astimezone(UTC) == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)

    # The link in the mail works.
    page = client.get(urlsplit(cancel_url).path, headers=EN)
    assert page.status_code == 200 and "Cancel registration?" in page.get_data(as_text=True)


def test_waiting_list_then_a_promotion_mail(client, open_training, smtp_server):
    sign_up(client, open_training, "a@example.fi", name="Aino")
    sign_up(client, open_training, "b@example.fi", name="Bertta")
    first, waiting = smtp_server.messages
    assert waiting["Subject"].startswith("On the waiting list:")
    assert "number 1" in waiting.get_body(("plain",)).get_content()
    a = db.session.query(Registration).filter_by(email="a@example.fi").one()
    page = f"/r/cancel/{a.token}"
    client.post(page, data={"csrf_token": csrf_from(client, page)})
    assert len(smtp_server.messages) == 3
    promotion = smtp_server.messages[-1]
    assert promotion["To"] == "b@example.fi"
    assert promotion["Subject"] == f"You have a place: {open_training.title}"
    assert "Hello Bertta," in promotion.get_body(("plain",)).get_content()


def test_invitations_are_sent_one_per_address(trainer_client, open_training, smtp_server):
    response = send_invitations(trainer_client, open_training, "eka@example.fi,\n Toka@Example.fi")
    assert response.status_code == 302
    page = response.headers["Location"]
    assert "2 invitations sent." in trainer_client.get(page, headers=EN).get_data(as_text=True)
    assert sorted(m["To"] for m in smtp_server.messages) == ["eka@example.fi", "toka@example.fi"]
    link = f"http://training.test/r/{open_training.public_id}"
    for message in smtp_server.messages:
        # in the training's language, Finnish
        assert message["Subject"] == f"Kutsu: {open_training.title}"
        assert message["Reply-To"] == "kouluttaja@example.fi"
        body = message.get_body(("plain",)).get_content()
        assert link in body and "Pääkirjasto" in body


def test_one_invalid_address_sends_nothing(trainer_client, open_training, smtp_server):
    addresses = "eka@example.fi\nei-osoite\ntoka@example.fi"
    response = send_invitations(trainer_client, open_training, addresses)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "These addresses are not valid: ei-osoite. Nothing was sent." in html
    assert addresses in html  # kept in the form
    assert smtp_server.messages == []


class TestMailServerDown:
    @pytest.fixture
    def app_config(self):
        return mail_config(free_port())  # nothing listens there

    def test_registration_is_saved_and_the_page_says_so(self, client, open_training):
        response = sign_up(client, open_training, "a@example.fi")
        assert response.status_code == 302
        registration = db.session.query(Registration).one()
        assert registration.status == "confirmed"
        html = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
        assert "the confirmation e-mail could not be sent" in html
        assert f"/r/cancel/{registration.token}" in html

    def test_invitations_report_the_failure(self, trainer_client, open_training):
        response = send_invitations(trainer_client, open_training, "eka@example.fi toka@example.fi")
        html = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "Sent 0. Could not send to: eka@example.fi, toka@example.fi" in html
