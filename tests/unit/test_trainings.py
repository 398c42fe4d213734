"""Training details, partners and organisers."""

from datetime import UTC, datetime

import pytest

from facilitation.extensions import db
from facilitation.trainings import services
from facilitation.trainings.services import TrainingError


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("1 200,50", 120050),
        ("1\u00a0200,5", 120050),
        ("80 €", 8000),
        ("0", 0),
        ("", 0),
        ("12.3", 1230),
    ],
)
def test_euros_are_read_as_typed_in_finland(typed, cents):
    assert services.parse_euros(typed) == cents


@pytest.mark.parametrize("typed", ["-5", "kymppi", "1,234", "1.2.3"])
def test_bad_amounts_are_refused(typed):
    with pytest.raises(TrainingError):
        services.parse_euros(typed)


def test_helsinki_times_become_utc_across_daylight_saving():
    assert services.local_datetime("2026-03-28", "09:00") == datetime(2026, 3, 28, 7, 0, tzinfo=UTC)
    assert services.local_datetime("2026-03-30", "09:00") == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    assert services.local_datetime("", "09:00") is None
    with pytest.raises(TrainingError):
        services.local_datetime("30.3.2026", "9")


def details(**extra):
    base = {
        "title": "Kotoutumisen perusteet",
        "status": "planning",
        "venue_booking": "booked",
        "date": "2026-10-15",
        "start_time": "09:00",
        "end_time": "12:30",
        "venue_cost": "250,00",
        "capacity": "40",
    }
    return {**base, **extra}


def test_details_are_saved_and_times_stored_in_utc(training):
    services.update_details(
        training,
        {
            **details(),
            "target_groups": ["municipal_staff", "nope"],
            "other_groups": "Seurakunnat, Kirjastot",
        },
    )
    db.session.commit()
    assert training.starts_at == datetime(2026, 10, 15, 6, 0, tzinfo=UTC)
    assert training.ends_at == datetime(2026, 10, 15, 9, 30, tzinfo=UTC)
    assert training.venue_cost_cents == 25000 and training.capacity == 40
    assert training.target_groups == ["municipal_staff", "Seurakunnat", "Kirjastot"]


@pytest.mark.parametrize(
    "bad",
    [
        {"title": " "},
        {"end_time": "08:00"},
        {"capacity": "0"},
        {"capacity": "paljon"},
        {"venue_cost": "-1"},
        {"status": "sleeping"},
    ],
)
def test_bad_details_save_nothing(training, bad):
    services.update_details(training, details())
    db.session.commit()
    with pytest.raises(TrainingError):
        services.update_details(training, details(**bad, venue_name="Uusi paikka"))
    db.session.rollback()
    db.session.refresh(training)
    assert training.venue_name == "" and training.capacity == 40


def test_partners(training):
    partner = services.add_partner(
        training,
        {
            "name": "Tampereen kaupunki",
            "kind": "municipality",
            "contact_email": "koordinaattori@tampere.fi",
        },
    )
    with pytest.raises(TrainingError):
        services.add_partner(training, {"name": " ", "kind": "municipality"})
    with pytest.raises(TrainingError):
        services.add_partner(training, {"name": "Järjestö", "contact_email": "ei-sähköposti"})
    services.update_partner(training, partner.id, {"name": "Tampereen kaupunki", "kind": "other"})
    assert partner.kind == "other"
    services.remove_partner(training, partner.id)
    db.session.commit()
    assert training.partners == []


def test_organisers_roles_and_the_last_owner(training, trainer, make_user):
    colleague = make_user("kollega@example.fi")
    member = services.invite_member(training, "KOLLEGA@example.fi", "co_organiser")
    assert services.role_of(colleague, training) == "co_organiser"
    with pytest.raises(TrainingError):
        services.invite_member(training, "kollega@example.fi", "trainer")  # already in
    with pytest.raises(TrainingError):
        services.invite_member(training, "tuntematon@example.fi", "trainer")
    owner = next(m for m in training.members if m.role == "owner")
    with pytest.raises(TrainingError):
        services.remove_member(training, owner.id)
    services.remove_member(training, member.id)
    db.session.commit()
    assert services.role_of(colleague, training) is None


def test_a_new_training_gets_the_guides_checklist_in_its_language(trainer):
    from facilitation.trainings.services import create_training, task_tree

    training = create_training(trainer, "Utbildning", language="sv")
    tree = task_tree(training)
    assert [task.area for task, _subs in tree] == [
        "date_venue",
        "costs_roles",
        "content_speakers",
        "invitations",
    ]
    assert tree[0][0].title == "Datum, lokal och kaffe" and len(tree[0][1]) == 3
    assert services.seed_checklist(training) == 0  # not twice


def test_late_tasks_and_their_owner(training, make_user, monkeypatch):
    from datetime import date

    partner = services.add_partner(training, {"name": "Kunta", "kind": "municipality"})
    (first, _subs), *_rest = services.task_tree(training)
    services.update_task(
        training,
        first.id,
        {
            "title": first.title,
            "status": "doing",
            "due_date": "2026-09-01",
            "partner_id": partner.id,
        },
    )
    monkeypatch.setattr(services, "today_in_helsinki", lambda: date(2026, 9, 2))
    assert services.late_tasks(training) == [first]
    services.update_task(
        training, first.id, {"title": first.title, "status": "done", "due_date": "2026-09-01"}
    )
    assert services.late_tasks(training) == []


def test_task_owners_must_belong_to_the_training(training, trainer, make_user):
    from facilitation.trainings.services import create_training

    other = create_training(make_user("toinen@example.fi"), "Toinen")
    foreign = services.add_partner(other, {"name": "Muu", "kind": "other"})
    task = services.add_task(training, {"title": "Oma tehtävä"})
    assert task.area == "custom" and task.parent_id is None
    with pytest.raises(TrainingError):
        services.update_task(training, task.id, {"title": "x", "partner_id": foreign.id})
    with pytest.raises(TrainingError):
        services.update_task(training, task.id, {"title": "x", "user_id": other.members[0].user_id})
    with pytest.raises(TrainingError):
        services.update_task(training, task.id, {"title": "x", "due_date": "1.9.2026"})
    with pytest.raises(TrainingError):
        services.add_task(training, {"title": " "})
