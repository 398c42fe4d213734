"""HTTP: who sees registrants' personal data (issue 17, point 4).

The organisers of a training (owner and co-organisers) see the people who
registered and download the list; a trainer (view-only, often an external
speaker) sees numbers only, on every page; another account sees nothing.
"""

import csv
import io
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from flask import template_rendered
from openpyxl import load_workbook

from facilitation.extensions import db
from facilitation.live.services import open_session
from facilitation.registration import services
from facilitation.registration.models import Registration
from facilitation.trainings.services import create_training, invite_member
from tests.conftest import login
from tests.http.test_registration_pages import sign_up

EN = {"Accept-Language": "en"}
FI = {"Accept-Language": "fi"}

# Everything below identifies a person or tells about their health: none of
# it may reach a trainer.
ASA = {
    "name": "Åsa Virtanen-Lindqvist",
    "email": "asa.virtanen@example.fi",
    "organisation": "Kotoutumisyhdistys Silta ry",
    "sector": "volunteers",
    "diets": ["vegan", "other"],
    "diet_notes": "Keliakia ja pähkinäallergia",
    "accessibility": "Pyörätuoli ja induktiosilmukka",
}
BERTIL = {
    "name": "Bertil Mäkinen",
    "email": "bertil.makinen@example.fi",
    "organisation": "Vantaan kaupunki",
    "sector": "municipal_staff",
    "diets": ["vegan"],
    "diet_notes": "",
    "accessibility": "Viittomakielen tulkki",
}
CECILIA = {  # on the waiting list (capacity 2)
    "name": "Cecilia Jonossa",
    "email": "cecilia.jonossa@example.fi",
    "organisation": "Jonoyhdistys",
    "sector": "volunteers",
    "diets": [],
    "diet_notes": "Ei kalaa",
    "accessibility": "",
}
DAVID = {  # cancels
    "name": "David Peruttu",
    "email": "david.peruttu@example.fi",
    "organisation": "Peruutusosuuskunta",
    "sector": "other",
    "diets": [],
    "diet_notes": "",
    "accessibility": "",
}
PEOPLE = (ASA, BERTIL, CECILIA, DAVID)
SECRETS = [
    value
    for person in PEOPLE
    for key in ("name", "email", "organisation", "diet_notes", "accessibility")
    if (value := person[key])
]


@pytest.fixture
def course(training, client):
    """A training with two places, two people with a place, one waiting and
    one cancelled; its owner is the ``trainer`` fixture's account."""
    training.capacity = 2
    training.starts_at = datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    training.ends_at = datetime(2027, 3, 28, 11, 0, tzinfo=UTC)
    training.target_groups = ["volunteers", "municipal_staff"]
    services.open_registration(training)
    db.session.commit()
    for person in PEOPLE:
        assert sign_up(client, training, **person).status_code == 302
    david = db.session.query(Registration).filter_by(email=DAVID["email"]).one()
    assert services.cancel(david) == []  # he was waiting: nobody moves up
    db.session.commit()
    assert services.counts(training) == {"confirmed": 2, "waitlisted": 1, "cancelled": 1}
    return training


def member(app, make_user, training, role):
    """A signed-in client of an account with ``role`` in ``training``."""
    user = make_user(f"{role}@example.fi")
    if role != "stranger":
        invite_member(training, user.email, role)
    db.session.commit()
    client = app.test_client()
    login(client, user.email)
    return client


@pytest.fixture
def trainer_of(app, make_user, course):
    return member(app, make_user, course, "trainer")


@pytest.fixture
def co_organiser_of(app, make_user, course):
    return member(app, make_user, course, "co_organiser")


@pytest.fixture
def stranger(app, make_user, course):
    other = make_user("toinen@example.fi")
    create_training(other, "Toinen koulutus")  # an owner, just not of this training
    db.session.commit()
    client = app.test_client()
    login(client, other.email)
    return client


@contextmanager
def rendered(app):
    """The templates a request rendered and the context each one got."""
    seen = []

    def record(sender, template, context, **extra):
        seen.append((template.name, context))

    template_rendered.connect(record, app)
    try:
        yield seen
    finally:
        template_rendered.disconnect(record, app)


def values_in(value):
    """Every value inside plain containers (dicts, lists, tuples, dataclasses' dicts)."""
    yield value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from values_in(key)
            yield from values_in(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from values_in(item)
    elif hasattr(value, "__dataclass_fields__"):
        yield from values_in(vars(value))


def assert_no_personal_data(text: str):
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked, leaked
    assert "mailto:" not in text


def page(training, tail="") -> str:
    return f"/trainings/{training.id}/registrations{tail}"


# --- downloads -----------------------------------------------------------------


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_a_trainer_may_not_download_the_registrations(trainer_of, course, ext):
    response = trainer_of.get(page(course, f".{ext}"))
    assert response.status_code == 403
    assert_no_personal_data(response.get_data(as_text=True))


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_a_stranger_gets_404_for_the_registrations(stranger, course, ext):
    assert stranger.get(page(course, f".{ext}")).status_code == 404


def test_a_stranger_gets_404_for_the_list(stranger, course):
    assert stranger.get(page(course)).status_code == 404


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("who", ["owner", "co_organiser"])
def test_organisers_download_everything(request, trainer_client, course, who):
    client = trainer_client if who == "owner" else request.getfixturevalue("co_organiser_of")
    csv_response = client.get(page(course, ".csv"), headers=EN)
    xlsx_response = client.get(page(course, ".xlsx"), headers=EN)
    assert csv_response.status_code == 200 and xlsx_response.status_code == 200
    for rows in (_csv_rows(csv_response), _xlsx_rows(xlsx_response)):
        assert len(rows) == 1 + len(PEOPLE)
        by_email = {row[1]: row for row in rows[1:]}
        for person in PEOPLE:
            row = by_email[person["email"]]
            assert row[0] == person["name"] and row[2] == person["organisation"]
            assert (row[5] or "") == person["diet_notes"]
            assert (row[6] or "") == person["accessibility"]


# --- the registration list ----------------------------------------------------------


def test_a_trainer_sees_only_counts_on_the_list(app, trainer_of, course):
    with rendered(app) as seen:
        response = trainer_of.get(page(course), headers=EN)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert_no_personal_data(html)
    # No downloads, no cancelling, no times of single registrations.
    assert ".csv" not in html and ".xlsx" not in html and "/cancel" not in html
    assert "moved up" not in html and "cancelled " not in html
    # The counts.
    assert 'data-count="confirmed">2<' in html
    assert 'data-count="waitlisted">1<' in html
    assert 'data-count="cancelled">1<' in html
    assert 'data-count="capacity">2<' in html
    assert "Volunteers" in html and "Municipal staff" in html
    assert "Vegan</span> <strong>2</strong>" in html
    # Cecilia's note does not count: she has no place (no coffee for her yet).
    assert "1 person with a place wrote a note about their diet." in html
    assert "2 people mentioned accessibility needs." in html
    assert "seen by this training's organisers (the owner and co-organisers)" in html

    # The data never reached the template, not just hidden there.
    (name, context), *_ = [(n, c) for n, c in seen if n.startswith("registration/")]
    assert name == "registration/counts.html"
    assert "groups" not in context and "summary" not in context
    passed = [context[key] for key in ("training", "counts")]
    for value in values_in(passed):
        assert not isinstance(value, Registration)
        assert not (isinstance(value, str) and value in SECRETS), value
    assert context["counts"] == {
        "confirmed": 2,
        "waitlisted": 1,
        "cancelled": 1,
        "sectors": [("volunteers", 1, 1), ("municipal_staff", 1, 0)],
        "diets": [("vegan", 2), ("other", 1)],
        "diet_notes": 1,
        "accessibility": 2,
    }


def test_the_trainers_list_in_finnish(trainer_of, course):
    html = trainer_of.get(page(course), headers=FI).get_data(as_text=True)
    assert "Näet vain lukumäärät." in html
    assert "Paikan saaneista 1 on kirjoittanut lisätietoja ruokavaliostaan." in html
    assert "2 henkilöä on maininnut saavutettavuustarpeita." in html


def test_a_trainer_of_an_empty_training_sees_zeros(app, make_user, training):
    client = member(app, make_user, training, "trainer")
    html = client.get(page(training), headers=EN).get_data(as_text=True)
    assert 'data-count="confirmed">0<' in html and 'data-count="capacity"' not in html
    assert "Nobody has registered yet." in html and "None mentioned." in html


@pytest.mark.parametrize("who", ["owner", "co_organiser"])
def test_organisers_see_the_list_as_before(app, request, trainer_client, course, who):
    client = trainer_client if who == "owner" else request.getfixturevalue("co_organiser_of")
    with rendered(app) as seen:
        html = client.get(page(course), headers=EN).get_data(as_text=True)
    assert [n for n, _c in seen if n.startswith("registration/")] == ["registration/list.html"]
    shown = [secret for secret in SECRETS if secret != DAVID["organisation"]]
    for secret in shown:  # the cancelled ones are listed by name and e-mail
        assert secret in html, secret
    assert f"mailto:{ASA['email']}" in html
    assert page(course, ".csv") in html and page(course, ".xlsx") in html
    assert "/cancel" in html  # owners and co-organisers may cancel a registration
    assert "only this training's organisers (the owner and co-organisers) see it" in html
    assert "organisers and trainers see it" not in html


# --- other pages a trainer may open ---------------------------------------------------


def test_a_trainers_budget_coffee_card_has_counts_but_no_diet_notes(app, trainer_of, course):
    with rendered(app) as seen:
        response = trainer_of.get(f"/trainings/{course.id}/budget", headers=EN)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert_no_personal_data(html)
    assert 'data-coffee="registrations">2<' in html
    assert '<li data-diet="vegan">Vegan: <strong>2</strong></li>' in html
    assert "1 person with a place wrote a note about their diet." in html
    assert "Only the training's organisers see the notes." in html
    assert 'class="diet-notes"' not in html
    context = next(c for n, c in seen if n == "budget/page.html")
    assert context["coffee"].diet_notes == [] and context["coffee"].diet_note_count == 1


@pytest.mark.parametrize("who", ["owner", "co_organiser"])
def test_organisers_see_the_diet_notes_on_the_budget(request, trainer_client, course, who):
    client = trainer_client if who == "owner" else request.getfixturevalue("co_organiser_of")
    html = client.get(f"/trainings/{course.id}/budget", headers=EN).get_data(as_text=True)
    assert ASA["diet_notes"] in html and 'class="diet-notes"' in html
    assert CECILIA["diet_notes"] not in html  # waiting: not in the coffee order
    assert "Only the training's organisers see the notes." not in html


def test_a_trainer_sees_no_personal_data_anywhere_else(trainer_of, course):
    live = open_session(course, "Aamupäivä")
    db.session.commit()
    sessions = f"/trainings/{course.id}/sessions/{live.id}"
    for path in (
        f"/trainings/{course.id}",
        f"/trainings/{course.id}/invitations",
        f"/trainings/{course.id}/budget.csv",
        f"/trainings/{course.id}/speakers",
        f"{sessions}/summary",
        f"{sessions}/summary.md",
        f"{sessions}/summary.json",
    ):
        response = trainer_of.get(path, headers=EN)
        assert response.status_code == 200, path
        assert_no_personal_data(response.get_data(as_text=True))
