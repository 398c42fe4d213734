"""Registration rules: places and the waiting list, refusals, cancellation,
and the calendar file around a daylight-saving change."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from facilitation.extensions import db
from facilitation.registration import services
from facilitation.registration.calendar import training_calendar
from facilitation.registration.models import Registration
from facilitation.registration.services import RegistrationClosed, RegistrationError
from facilitation.trainings.models import Training
from facilitation.trainings.services import today_in_helsinki


@pytest.fixture
def open_training(training):
    training.capacity = 2
    services.open_registration(training)
    db.session.commit()
    return training


def form(email, name="Aino Ääkkönen", **extra):
    return {"name": name, "email": email, "consent": "yes", **extra}


def register(training, email, **extra):
    registration = services.register(training, form(email, **extra), language="fi")
    db.session.commit()
    return registration


def statuses(training):
    groups = services.registrations_of(training)
    return {status: [r.email for r in rows] for status, rows in groups.items()}


def test_places_then_the_waiting_list_in_order(open_training):
    a = register(open_training, "a@example.fi")
    b = register(open_training, "b@example.fi")
    c = register(open_training, "c@example.fi")
    d = register(open_training, "d@example.fi")
    assert [a.status, b.status, c.status, d.status] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert services.waiting_position(c) == 1 and services.waiting_position(d) == 2
    assert services.places_left(open_training) == 0
    assert services.counts(open_training) == {"confirmed": 2, "waitlisted": 2, "cancelled": 0}


def test_no_capacity_means_everyone_gets_a_place(open_training):
    open_training.capacity = None
    db.session.commit()
    for n in range(5):
        assert register(open_training, f"p{n}@example.fi").status == "confirmed"
    assert services.places_left(open_training) is None


def test_the_form_is_stored_cleaned(open_training):
    open_training.target_groups = ["volunteers", "Kirjastot"]
    db.session.commit()
    registration = register(
        open_training,
        "  Aino.Aakkonen@Example.FI ",
        name="  Aino Ääkkönen ",
        organisation="Järjestö ry",
        sector="Kirjastot",
        diets=["vegan", "gluten_free", "made_up"],
        diet_notes="Ei sieniä",
        accessibility="Induktiosilmukka",
    )
    assert registration.email == "aino.aakkonen@example.fi"
    assert registration.name == "Aino Ääkkönen"
    assert registration.sector == "Kirjastot"
    assert registration.diets == ["vegan", "gluten_free"]
    assert len(registration.token) == 43


def test_duplicate_email_is_refused_whatever_its_case(open_training):
    register(open_training, "aino@example.fi")
    with pytest.raises(RegistrationError) as refused:
        services.register(open_training, form("AINO@Example.fi", name="Toinen"))
    db.session.rollback()
    assert "on jo ilmoittauduttu" in str(refused.value)  # "already registered"
    assert "email" in refused.value.errors
    assert db.session.query(Registration).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (form("not-an-address"), "email"),
        (form("aino@"), "email"),
        (form(""), "email"),
        (form("ä@example.fi"), "email"),
        ({"name": "Aino", "email": "aino@example.fi"}, "consent"),
        (form("aino@example.fi", name=""), "name"),
        (form("aino@example.fi", name="x" * 121), "name"),
        (form("aino@example.fi", sector="not-a-group"), "sector"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(open_training, data, field):
    with pytest.raises(RegistrationError) as refused:
        services.register(open_training, data)
    db.session.rollback()
    assert field in refused.value.errors
    assert db.session.query(Registration).count() == 0


def test_all_mistakes_are_reported_together(open_training):
    with pytest.raises(RegistrationError) as refused:
        services.register(open_training, {"name": "", "email": "x"})
    assert set(refused.value.errors) == {"name", "email", "consent"}


def test_registration_must_be_open_and_before_the_deadline(training):
    with pytest.raises(RegistrationClosed):
        services.register(training, form("a@example.fi"))  # still planning
    db.session.rollback()
    services.open_registration(training)
    training.registration_deadline = today_in_helsinki()
    db.session.commit()
    assert register(training, "a@example.fi").status == "confirmed"  # the last day counts
    training.registration_deadline = today_in_helsinki() - timedelta(days=1)
    db.session.commit()
    assert services.registration_state(training) == "deadline_passed"
    with pytest.raises(RegistrationClosed) as refused:
        services.register(training, form("b@example.fi"))
    db.session.rollback()
    assert "määräaika on päättynyt" in str(refused.value)  # "the deadline has passed"
    services.close_registration(training)
    training.registration_deadline = None
    db.session.commit()
    with pytest.raises(RegistrationClosed):
        services.register(training, form("b@example.fi"))
    db.session.rollback()
    assert db.session.query(Registration).count() == 1


def test_a_cancellation_promotes_only_the_first_on_the_waiting_list(open_training):
    a = register(open_training, "a@example.fi")
    register(open_training, "b@example.fi")
    c = register(open_training, "c@example.fi")
    d = register(open_training, "d@example.fi")
    promoted = services.cancel(a)
    db.session.commit()
    assert [r.email for r in promoted] == ["c@example.fi"]
    assert c.status == "confirmed" and c.promoted_at is not None
    assert d.status == "waitlisted" and services.waiting_position(d) == 1
    assert a.status == "cancelled" and a.cancelled_at is not None
    # A second click on the link changes nothing.
    assert services.cancel(a) == []
    db.session.commit()
    assert statuses(open_training) == {
        "confirmed": ["b@example.fi", "c@example.fi"],
        "waitlisted": ["d@example.fi"],
        "cancelled": ["a@example.fi"],
    }


def test_cancelling_a_waiting_one_moves_the_others_up_the_list(open_training):
    for letter in "abcde":
        register(open_training, f"{letter}@example.fi")
    c, d, e = (
        db.session.query(Registration).filter_by(email=f"{x}@example.fi").one() for x in "cde"
    )
    assert services.cancel(d) == []
    db.session.commit()
    assert services.waiting_position(c) == 1 and services.waiting_position(e) == 2
    assert services.places_left(open_training) == 0


def test_raising_the_capacity_promotes_in_order(open_training):
    for letter in "abcde":
        register(open_training, f"{letter}@example.fi")
    open_training.capacity = 4
    promoted = services.fill_from_waiting_list(open_training)
    db.session.commit()
    assert [r.email for r in promoted] == ["c@example.fi", "d@example.fi"]
    assert statuses(open_training)["waitlisted"] == ["e@example.fi"]
    open_training.capacity = 3  # lowering takes no place away
    assert services.fill_from_waiting_list(open_training) == []
    assert len(statuses(open_training)["confirmed"]) == 4


def test_a_cancelled_address_can_register_again_at_the_end(open_training):
    a = register(open_training, "a@example.fi")
    old_token = a.token
    register(open_training, "b@example.fi")
    register(open_training, "c@example.fi")
    services.cancel(a)  # c moves up
    db.session.commit()
    again = register(open_training, "A@example.fi", name="Aino Uudelleen")
    assert again.id == a.id and again.token != old_token
    assert again.status == "waitlisted" and again.name == "Aino Uudelleen"
    assert again.cancelled_at is None and services.waiting_position(again) == 1
    assert services.by_token(old_token) is None


def test_newcomers_do_not_jump_the_queue(open_training):
    for letter in "abc":
        register(open_training, f"{letter}@example.fi")
    # Capacity raised without filling (e.g. straight in the database).
    db.session.execute(db.update(Training).values(capacity=5))
    db.session.commit()
    assert register(open_training, "d@example.fi").status == "waitlisted"


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite has no row locks
def test_two_registrations_for_the_last_place(app, backend, open_training):
    """The training row lock makes the second request wait and count again."""
    open_training.capacity = 1
    db.session.commit()
    training_id = open_training.id
    first = services.register(open_training, form("first@example.fi"))  # holds the lock
    result = {}

    def second():
        with app.app_context():
            training = db.session.get(Training, training_id)
            result["status"] = services.register(training, form("second@example.fi")).status
            db.session.commit()

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(timeout=0.5)
    assert thread.is_alive(), "the second registration must wait for the first"
    db.session.commit()
    thread.join(timeout=10)
    assert first.status == "confirmed" and result["status"] == "waitlisted"


def test_invitation_addresses(app):
    assert services.parse_addresses("a@example.fi, B@Example.fi\nc@example.fi;a@example.fi") == [
        "a@example.fi",
        "b@example.fi",
        "c@example.fi",
    ]
    with pytest.raises(RegistrationError) as refused:
        services.parse_addresses("a@example.fi nope x@y")
    assert "nope" in str(refused.value) and "x@y" in str(refused.value)
    assert "a@example.fi" not in str(refused.value)
    with pytest.raises(RegistrationError):
        services.parse_addresses("  \n ")
    with pytest.raises(RegistrationError):
        services.parse_addresses(" ".join(f"p{n}@example.fi" for n in range(501)))


# --- the calendar file --------------------------------------------------------


def _event(training):
    calendar = Calendar.from_ical(training_calendar(training, "https://koulutus.example.fi/r/x"))
    return calendar, calendar.walk("VEVENT")[0]


@pytest.mark.parametrize(
    ("starts", "ends", "utc_start", "utc_end"),
    [
        # 28.3.2027: clocks go forward at 03:00, so 10:00 is already EEST (+3).
        (
            datetime(2027, 3, 28, 7, 0, tzinfo=UTC),
            datetime(2027, 3, 28, 11, 0, tzinfo=UTC),
            datetime(2027, 3, 28, 7, 0, tzinfo=UTC),
            datetime(2027, 3, 28, 11, 0, tzinfo=UTC),
        ),
        # December: EET (+2).
        (
            datetime(2026, 12, 3, 8, 0, tzinfo=UTC),
            None,
            datetime(2026, 12, 3, 8, 0, tzinfo=UTC),
            None,
        ),
    ],
)
def test_calendar_times_in_helsinki(app, starts, ends, utc_start, utc_end):
    training = Training(
        id=7,
        title="Kotoutumisen perusteet – Åbo",
        description="Perusteet",
        starts_at=starts,
        ends_at=ends,
        venue_name="Pääkirjasto",
        venue_address="Kirjastokatu 1, Helsinki",
        public_id="abcdefghijkl",
    )
    calendar, event = _event(training)
    assert str(calendar["METHOD"]) == "PUBLISH"
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert str(start.tzinfo) == "Europe/Helsinki"
    assert start.hour == 10
    assert start.astimezone(UTC) == utc_start
    if utc_end:
        assert event.decoded("DTEND").astimezone(UTC) == utc_end
        assert event.decoded("DTEND").hour == 14
    else:
        assert "DTEND" not in event
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Helsinki"]
    assert str(event["SUMMARY"]) == "Kotoutumisen perusteet – Åbo"
    assert str(event["LOCATION"]) == "Pääkirjasto, Kirjastokatu 1, Helsinki"
    assert str(event["UID"]) == "training-abcdefghijkl@koulutus.example.fi"
    assert str(event["URL"]) == "https://koulutus.example.fi/r/x"
    assert "DTSTAMP" in event


def test_no_calendar_without_a_date(app):
    assert training_calendar(Training(title="x"), "https://example.fi/") is None


def test_default_texts_follow_the_training(app, training):
    training.starts_at = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    training.venue_name = "Pääkirjasto"
    training.registration_deadline = date(2026, 11, 26)
    with app.test_request_context():
        text = services.default_invitation_text(training, "https://x.example/r/abc")
    assert training.title in text and "Pääkirjasto" in text
    assert "https://x.example/r/abc" in text and "26.11.2026" in text
    default = services.default_consent_text(training, "en")
    assert "deleted 90 days after the training" in default
    services.save_settings(
        training,
        {"invitation_text": text.replace("\n", "\r\n") + "\n", "consent_text": default},
        text,
        default,
    )
    assert training.invitation_text == "" and training.consent_text == ""
    services.save_settings(
        training, {"invitation_text": "Oma kutsu", "consent_text": "Oma"}, text, default
    )
    assert training.invitation_text == "Oma kutsu" and training.consent_text == "Oma"
    with pytest.raises(RegistrationError):
        services.save_settings(training, {"registration_deadline": "2026-12-04"}, text, default)
    with pytest.raises(RegistrationError):
        services.save_settings(training, {"registration_deadline": "4.12.2026"}, text, default)
