"""HTTP: the public registration page, cancellation, the organisers'
invitations page, registration list and exports, and who sees what."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from facilitation.extensions import db
from facilitation.registration import services
from facilitation.registration.models import Registration
from facilitation.trainings.services import create_training, invite_member, today_in_helsinki
from tests.conftest import csrf_from, login

FI = {"Accept-Language": "fi"}
EN = {"Accept-Language": "en"}


@pytest.fixture
def open_training(training):
    training.capacity = 2
    training.description = "Perusteet maahanmuuttaneiden asiakkaiden kohtaamiseen."
    training.starts_at = datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    training.ends_at = datetime(2027, 3, 28, 11, 0, tzinfo=UTC)
    training.venue_name = "Pääkirjasto"
    training.venue_address = "Kirjastokatu 1"
    training.venue_accessibility = "Esteetön sisäänkäynti pihan puolelta."
    training.target_groups = ["volunteers", "municipal_staff"]
    services.open_registration(training)
    db.session.commit()
    return training


def public(training) -> str:
    return f"/r/{training.public_id}"


def form_data(client, training, **values):
    if "csrf_token" not in values:
        values["csrf_token"] = csrf_from(client, public(training))
    data = {
        "name": "Äijä Öhman",
        "email": "aija.ohman@example.fi",
        "organisation": "Kaupunki",
        "sector": "volunteers",
        "diets": ["vegan", "other"],
        "diet_notes": "Ei sipulia",
        "accessibility": "Pyörätuoli",
        "consent": "yes",
    }
    data.update(values)
    return data


def sign_up(client, training, headers=FI, **values):
    return client.post(
        public(training), data=form_data(client, training, **values), headers=headers
    )


def test_public_page_in_finnish_by_default_and_registering(client, open_training):
    html = client.get(public(open_training)).get_data(as_text=True)
    assert 'lang="fi"' in html
    assert open_training.title in html and "Pääkirjasto" in html and "Esteetön" in html
    assert "10.00" in html or "10:00" in html  # Helsinki time (EEST), not 07:00 UTC
    assert 'name="consent"' in html and 'value="volunteers"' in html
    assert "maksut" not in html  # nothing of the budget or organisers' notes
    response = sign_up(client, open_training)
    assert response.status_code == 302
    confirmation = response.headers["Location"]
    assert re.search(rf"/r/{open_training.public_id}/registered/[\w-]{{43}}$", confirmation)
    page = client.get(confirmation, headers=EN)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "You are registered" in html
    assert page.headers["Referrer-Policy"] == "no-referrer"
    registration = db.session.query(Registration).one()
    assert registration.language == "fi" and registration.diets == ["vegan", "other"]
    assert f"/r/cancel/{registration.token}" in html
    assert "No confirmation e-mail is sent" in html  # MAIL_SERVER is not set


def test_the_language_of_the_visitor_is_stored(client, open_training):
    sign_up(client, open_training, headers=EN)
    assert db.session.query(Registration).one().language == "en"


def test_public_page_unknown_id_is_404(client, open_training):
    assert client.get("/r/doesnotexist").status_code == 404
    assert client.get("/r/doesnotexist/calendar.ics").status_code == 404
    assert client.get("/r/cancel/nope").status_code == 404
    assert client.get(f"{public(open_training)}/registered/nope").status_code == 404


def test_places_left_and_the_waiting_list(client, open_training):
    assert "2 places left" in client.get(public(open_training), headers=EN).get_data(as_text=True)
    sign_up(client, open_training, email="a@example.fi")
    sign_up(client, open_training, email="b@example.fi")
    html = client.get(public(open_training), headers=EN).get_data(as_text=True)
    assert "Full: you can join the waiting list." in html and "Join the waiting list" in html
    assert "a@example.fi" not in html  # nobody's registration is public
    response = sign_up(client, open_training, email="c@example.fi")
    html = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "waiting list" in html and "number 1" in html


def test_closed_registration_shows_a_message_and_refuses_a_post(client, open_training):
    token = csrf_from(client, public(open_training))
    services.close_registration(open_training)
    db.session.commit()
    html = client.get(public(open_training), headers=EN).get_data(as_text=True)
    assert "Registration for this training is not open." in html and 'name="email"' not in html
    data = form_data(client, open_training, csrf_token=token)
    response = client.post(public(open_training), data=data, headers=EN)
    assert response.status_code == 409
    assert "not open" in response.get_data(as_text=True)
    assert db.session.query(Registration).count() == 0
    open_training.status = "invitations_open"
    open_training.registration_deadline = today_in_helsinki() - timedelta(days=1)
    db.session.commit()
    response = client.post(public(open_training), data=data, headers=EN)
    assert response.status_code == 409 and "deadline has passed" in response.get_data(as_text=True)
    assert db.session.query(Registration).count() == 0


def test_bad_input_is_422_and_keeps_what_was_typed(client, open_training):
    response = sign_up(client, open_training, headers=EN, email="aija@", consent="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a valid e-mail address." in html and "agree" in html
    assert 'value="Äijä Öhman"' in html and 'value="aija@"' in html and "Pyörätuoli" in html
    assert re.search(r'value="vegan" checked', html)
    assert re.search(r'<option value="volunteers" selected', html)
    assert 'aria-invalid="true"' in html
    assert db.session.query(Registration).count() == 0


def test_duplicate_address_is_refused(client, open_training):
    sign_up(client, open_training)
    response = sign_up(
        client, open_training, headers=EN, email="AIJA.OHMAN@example.fi", name="Toinen"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This e-mail address is already registered for this training." in html
    assert 'value="Toinen"' in html
    assert db.session.query(Registration).count() == 1


def test_cancel_link_asks_then_cancels_and_promotes(client, open_training):
    open_training.capacity = 1
    db.session.commit()
    sign_up(client, open_training, email="a@example.fi")
    sign_up(client, open_training, email="b@example.fi")
    a, b = db.session.query(Registration).order_by(Registration.id).all()
    page = f"/r/cancel/{a.token}"
    response = client.get(page, headers=EN)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Cancel registration?" in html
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert a.status == "confirmed"  # a GET (a mail scanner following links) changes nothing
    token = csrf_from(client, page)
    response = client.post(page, data={"csrf_token": token}, headers=EN)
    assert response.status_code == 302
    html = client.get(page, headers=EN).get_data(as_text=True)
    assert "is cancelled" in html and "Yes, cancel" not in html
    db.session.refresh(a)
    db.session.refresh(b)
    assert a.status == "cancelled" and b.status == "confirmed"
    # Twice is harmless.
    assert client.post(page, data={"csrf_token": token}).status_code == 302
    assert services.counts(open_training) == {"confirmed": 1, "waitlisted": 0, "cancelled": 1}


def test_calendar_download(client, open_training):
    response = client.get(f"{public(open_training)}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)


# --- organisers ------------------------------------------------------------------


def test_invitations_page_creates_the_link_and_saves_settings(trainer_client, training):
    assert training.public_id is None
    page = f"/trainings/{training.id}/invitations"
    response = trainer_client.get(page, headers=EN)
    html = response.get_data(as_text=True)
    db.session.refresh(training)
    assert response.status_code == 200 and training.public_id
    assert f"http://training.test/r/{training.public_id}" in html and "<svg" in html
    assert "E-mail is not configured" in html and "Open registration" in html
    token = csrf_from(trainer_client, page)
    response = trainer_client.post(f"{page}/open", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(training)
    assert training.status == "invitations_open"
    response = trainer_client.post(
        page,
        data={
            "csrf_token": token,
            "registration_deadline": "2026-13-40",
            "invitation_text": "Tervetuloa koulutukseen!",
            "consent_text": "Oma suostumus",
        },
        headers=EN,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Tervetuloa koulutukseen!" in html
    response = trainer_client.post(
        page,
        data={
            "csrf_token": token,
            "registration_deadline": "2030-01-31",
            "invitation_text": "Tervetuloa koulutukseen!",
            "consent_text": "Oma suostumus",
        },
    )
    assert response.status_code == 302
    db.session.refresh(training)
    assert training.invitation_text == "Tervetuloa koulutukseen!"
    assert training.registration_deadline.isoformat() == "2030-01-31"
    html = trainer_client.get(f"/r/{training.public_id}").get_data(as_text=True)
    assert "Oma suostumus" in html and "31.1.2030" in html
    response = trainer_client.post(f"{page}/close", data={"csrf_token": token})
    db.session.refresh(training)
    assert training.status == "planning"


def test_invitations_without_mail_send_nothing(trainer_client, open_training):
    page = f"/trainings/{open_training.id}/invitations"
    token = csrf_from(trainer_client, page)
    response = trainer_client.post(
        f"{page}/send", data={"csrf_token": token, "addresses": "a@example.fi"}, headers=EN
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "not configured" in html and "a@example.fi" in html


def test_list_summary_and_organiser_cancel(trainer_client, client, open_training):
    sign_up(client, open_training, email="a@example.fi", name="Äijä Öhman")
    sign_up(
        client,
        open_training,
        email="b@example.fi",
        name="Bertta",
        sector="municipal_staff",
        diets=["vegan"],
        diet_notes="",
        accessibility="",
    )
    sign_up(client, open_training, email="c@example.fi", name="Cecilia", sector="other")
    page = f"/trainings/{open_training.id}/registrations"
    html = trainer_client.get(page, headers=EN).get_data(as_text=True)
    assert "Äijä Öhman" in html and "Bertta" in html and "Cecilia" in html
    assert "Volunteers" in html and "Municipal staff" in html
    assert re.search(r"Vegan</span> <strong>2</strong>", html)
    assert "Ei sipulia" in html and "Pyörätuoli" in html
    token = csrf_from(trainer_client, page)
    a = db.session.query(Registration).filter_by(email="a@example.fi").one()
    response = trainer_client.post(f"{page}/{a.id}/cancel", data={"csrf_token": token}, headers=EN)
    assert response.status_code == 302
    html = trainer_client.get(page, headers=EN).get_data(as_text=True)
    assert "1 person moved up from the waiting list." in html
    assert services.counts(open_training) == {"confirmed": 2, "waitlisted": 0, "cancelled": 1}
    assert 'id="cancelled"' in html
    response = trainer_client.post(f"{page}/99999/cancel", data={"csrf_token": token})
    assert response.status_code == 302  # refused with a message, nothing changed


def test_raising_capacity_on_the_edit_page_promotes(trainer_client, client, open_training):
    for letter in "abc":
        sign_up(client, open_training, email=f"{letter}@example.fi")
    page = f"/trainings/{open_training.id}/edit"
    token = csrf_from(trainer_client, page)
    response = trainer_client.post(
        page,
        data={
            "csrf_token": token,
            "title": open_training.title,
            "capacity": "3",
            "status": "invitations_open",
        },
    )
    assert response.status_code == 302
    assert services.counts(open_training)["confirmed"] == 3


def test_training_page_card(trainer_client, client, open_training):
    sign_up(client, open_training, email="a@example.fi")
    html = trainer_client.get(f"/trainings/{open_training.id}", headers=EN).get_data(as_text=True)
    assert 'id="registration"' in html
    assert f"/trainings/{open_training.id}/invitations" in html
    assert f"/trainings/{open_training.id}/registrations" in html
    assert re.search(r"Places taken: <strong>1 / 2</strong>", html)


def test_exports_round_trip(trainer_client, client, open_training):
    sign_up(client, open_training)
    sign_up(client, open_training, email="b@example.fi", name="=HYPERLINK(1)", sector="other")
    response = trainer_client.get(f"/trainings/{open_training.id}/registrations.csv", headers=FI)
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "Kotoutumisen_perusteet_" in disposition
    assert disposition.rstrip('"').endswith(".csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3 and len(rows[0]) == 9
    assert rows[1][:3] == ["Äijä Öhman", "aija.ohman@example.fi", "Kaupunki"]
    assert rows[1][5] == "Ei sipulia" and rows[1][6] == "Pyörätuoli"
    assert rows[2][0] == "'=HYPERLINK(1)"  # never a formula in Excel
    assert rows[1][8].startswith("20")

    response = trainer_client.get(f"/trainings/{open_training.id}/registrations.xlsx", headers=EN)
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert response.headers["Content-Disposition"].rstrip('"').endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Name", "E-mail", "Organisation"]
    assert values[1][0] == "Äijä Öhman" and values[1][3] == "Volunteers"
    assert values[1][4] == "Vegan, Other" and values[1][7] == "Has a place"
    assert isinstance(values[1][8], datetime)
    assert values[2][0] == "'=HYPERLINK(1)" and values[2][3] == "Other"


# --- who sees what -------------------------------------------------------------------


ORGANISER_PAGES = (
    "/trainings/{id}/invitations",
    "/trainings/{id}/registrations",
    "/trainings/{id}/registrations.csv",
    "/trainings/{id}/registrations.xlsx",
)


def test_anonymous_visitors_are_sent_to_sign_in(client, open_training):
    for page in ORGANISER_PAGES:
        response = client.get(page.format(id=open_training.id))
        assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]


def test_a_co_organiser_of_another_training_gets_404(app, open_training, make_user):
    other = make_user("toinen@example.fi")
    create_training(other, "Toinen koulutus")
    db.session.commit()
    client = app.test_client()
    login(client, other.email)
    for page in ORGANISER_PAGES:
        assert client.get(page.format(id=open_training.id)).status_code == 404
    token = csrf_from(client, "/")
    for action in ("invitations", "invitations/open", "invitations/send"):
        response = client.post(
            f"/trainings/{open_training.id}/{action}", data={"csrf_token": token}
        )
        assert response.status_code == 404


def test_a_trainer_sees_counts_but_cannot_change_settings(app, client, open_training, make_user):
    sign_up(client, open_training)
    helper = make_user("apu@example.fi")
    invite_member(open_training, helper.email, "trainer")
    db.session.commit()
    trainer = app.test_client()
    login(trainer, helper.email)
    for page in ORGANISER_PAGES:
        # Registrants' personal data is for the organisers only (more in
        # test_registrant_privacy.py): a trainer gets no download.
        expected = 403 if page.endswith((".csv", ".xlsx")) else 200
        assert trainer.get(page.format(id=open_training.id)).status_code == expected, page
    html = trainer.get(f"/trainings/{open_training.id}/registrations").get_data(as_text=True)
    assert "Äijä Öhman" not in html and "aija.ohman@example.fi" not in html
    assert "/cancel" not in html
    token = csrf_from(trainer, f"/trainings/{open_training.id}/invitations")
    registration = db.session.query(Registration).one()
    for action in (
        "invitations",
        "invitations/open",
        "invitations/close",
        "invitations/send",
        f"registrations/{registration.id}/cancel",
    ):
        response = trainer.post(
            f"/trainings/{open_training.id}/{action}",
            data={"csrf_token": token, "invitation_text": "x", "addresses": "a@example.fi"},
        )
        assert response.status_code == 403, action
    db.session.refresh(open_training)
    assert open_training.invitation_text == "" and open_training.status == "invitations_open"
    assert registration.status == "confirmed"
