"""The coffee estimate: only people who will be there count, diets are summed,
and the estimate lands on the coffee line without losing a cent in the split."""

import secrets

import pytest
from flask_babel import force_locale

from facilitation.budget import coffee, services
from facilitation.extensions import db
from facilitation.registration.models import Registration
from facilitation.trainings.services import TrainingError, add_partner, invite_member
from tests.unit.test_budget import percent_line


def register(training, name, status="confirmed", diets=(), notes=""):
    db.session.add(
        Registration(
            training_id=training.id,
            name=name,
            email=f"{name.lower()}@example.fi",
            status=status,
            diets=list(diets),
            diet_notes=notes,
            token=secrets.token_urlsafe(32),
        )
    )


@pytest.fixture
def people(training, make_user):
    register(training, "Aino", diets=["vegan", "gluten_free"])
    register(training, "Eero", diets=["vegan"], notes="Ei sieniä")
    register(training, "Helmi", diets=["no_pork", "unknown_key"])
    register(training, "Jonottaja", status="waitlisted", diets=["vegan"], notes="Jonossa")
    register(training, "Peruja", status="cancelled", diets=["lactose_free"])
    for name, status in (("Puhuja", "confirmed"), ("Kutsuttu", "invited"), ("Ei", "declined")):
        services.save_speaker(training, {"name": name, "status": status})
    invite_member(training, make_user("apu@example.fi").email, "trainer")
    db.session.commit()
    return training


def test_heads_are_confirmed_registrations_speakers_and_organisers(people):
    people.coffee_price_cents, people.coffee_servings = 250, 2
    estimate = coffee.estimate(people)
    assert (estimate.registrations, estimate.speakers, estimate.organisers) == (3, 1, 2)
    assert estimate.heads == 6
    assert estimate.speakers_unanswered == 1
    assert estimate.cents == 6 * 2 * 250
    assert estimate.diets == {"vegan": 2, "gluten_free": 1, "no_pork": 1}
    assert list(estimate.diets) == ["vegan", "gluten_free", "no_pork"]  # in the order of DIETS
    assert estimate.diet_notes == ["Ei sieniä"]


def test_settings_take_finnish_euros_and_refuse_nonsense(training):
    coffee.save_settings(training, {"price": "2,50", "servings": "3"})
    assert (training.coffee_price_cents, training.coffee_servings) == (250, 3)
    for bad in ({"price": "-1", "servings": "1"}, {"price": "1", "servings": "0"}):
        with pytest.raises(TrainingError):
            coffee.save_settings(training, bad)
    assert (training.coffee_price_cents, training.coffee_servings) == (250, 3)


def _coffee_lines(training):
    return [line for line in services.lines_of(training) if line.category == "coffee"]


def test_the_estimate_becomes_a_new_coffee_line_shared_by_all(people):
    a = add_partner(people, {"name": "Kunta", "kind": "municipality"})
    b = add_partner(people, {"name": "Järjestö", "kind": "ngo_project"})
    c = add_partner(people, {"name": "Seurakunta", "kind": "other"})
    coffee.save_settings(people, {"price": "3,33", "servings": "1"})
    line, outcome = coffee.apply_estimate(people)
    db.session.commit()
    assert outcome == "created"
    assert _coffee_lines(people) == [line]
    assert line.estimated_cents == 6 * 333 and line.rule == "equal"
    assert {s.partner_id for s in line.shares} == {a.id, b.id, c.id}
    totals = services.totals(people)
    assert sum(p["estimated"] for p in totals["partners"].values()) == 1998
    assert totals["overall"]["estimated"] == 1998


def test_the_estimate_updates_the_first_of_several_coffee_lines(people):
    a = add_partner(people, {"name": "Kunta", "kind": "municipality"})
    b = add_partner(people, {"name": "Järjestö", "kind": "ngo_project"})
    first = services.save_line(
        people, percent_line({a: "70", b: "30"}, category="coffee", estimated="1")
    )
    coffee.save_settings(people, {"price": "1,01", "servings": "3"})
    line, outcome = coffee.apply_estimate(people)
    assert (line, outcome) == (first, "updated")
    services.save_line(
        people, {"category": "coffee", "rule": "single", "estimated": "9", "partners": [b.id]}
    )
    line, outcome = coffee.apply_estimate(people)
    db.session.commit()
    assert (line, outcome) == (first, "first_of_several")
    assert first.estimated_cents == 6 * 3 * 101 and first.rule == "percent"  # the split stays
    totals = services.totals(people)
    shares = [totals["partners"][p.id]["estimated"] for p in (a, b)]
    assert sum(shares) == totals["overall"]["estimated"]


def test_without_partners_or_price_nothing_is_applied(people):
    coffee.save_settings(people, {"price": "2", "servings": "1"})
    with force_locale("en"), pytest.raises(TrainingError, match="partners"):
        coffee.apply_estimate(people)
    add_partner(people, {"name": "Kunta", "kind": "municipality"})
    coffee.save_settings(people, {"price": "0", "servings": "1"})
    with force_locale("en"), pytest.raises(TrainingError, match="price"):
        coffee.apply_estimate(people)
    assert _coffee_lines(people) == []
