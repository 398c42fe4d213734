"""Cost sharing: the parts always add up to the whole, to the cent."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitation.budget import services
from facilitation.budget.services import BudgetError, split_cents
from facilitation.extensions import db
from facilitation.trainings.services import add_partner


@given(
    amount=st.integers(min_value=-(10**9), max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12).filter(
        lambda w: sum(w) > 0
    ),
)
def test_parts_always_sum_to_the_total(amount, weights):
    parts = split_cents(amount, weights)
    assert sum(parts) == amount
    assert len(parts) == len(weights)
    total = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = amount * weight / total
        assert abs(part - exact) < 1  # never more than a cent from the exact share
        if weight == 0:
            assert part == 0


def test_examples():
    assert split_cents(100, [1, 1, 1]) == [34, 33, 33]
    assert split_cents(100_00, [6000, 4000]) == [60_00, 40_00]
    assert split_cents(1, [1, 1]) == [1, 0]


@pytest.fixture
def partners(training):
    a = add_partner(training, {"name": "Kunta", "kind": "municipality"})
    b = add_partner(training, {"name": "Järjestö", "kind": "ngo_project"})
    db.session.commit()
    return a, b


def test_lines_and_per_partner_totals(training, partners):
    a, b = partners
    services.save_line(
        training,
        {
            "category": "venue",
            "rule": "percent",
            "estimated": "1 000,00",
            "actual": "999,99",
            "partners": [a.id, b.id],
            f"percent_{a.id}": "60",
            f"percent_{b.id}": "40",
        },
    )
    services.save_line(
        training, {"category": "coffee", "rule": "single", "estimated": "250", "partners": [b.id]}
    )
    services.save_line(
        training,
        {
            "category": "speaker_fees",
            "rule": "equal",
            "estimated": "0,01",
            "partners": [a.id, b.id],
        },
    )
    totals = services.totals(training)
    assert totals["overall"] == {"estimated": 125001, "actual": 99999}
    assert totals["partners"][a.id] == {"estimated": 60001, "actual": 59999}
    assert totals["partners"][b.id] == {"estimated": 65000, "actual": 40000}
    assert sum(p["actual"] for p in totals["partners"].values()) == totals["overall"]["actual"]


@pytest.mark.parametrize(
    "bad",
    [
        {"rule": "percent", "percent_a": "60", "percent_b": "30"},  # 90 %
        {"rule": "single"},  # two partners chosen for one payer
        {"rule": "equal", "estimated": "-5"},
        {"rule": "equal", "partners": []},
        {"rule": "equal", "category": "yacht"},
        {"rule": "percent", "percent_a": "sata", "percent_b": "0"},
    ],
)
def test_bad_lines_save_nothing(training, partners, bad):
    a, b = partners
    data = {"category": "venue", "estimated": "100", "partners": [a.id, b.id], **bad}
    for key in ("percent_a", "percent_b"):
        if key in data:
            data[f"percent_{(a if key.endswith('a') else b).id}"] = data.pop(key)
    with pytest.raises(BudgetError.__mro__[1]):
        services.save_line(training, data)
    db.session.rollback()
    assert services.lines_of(training) == []


def test_a_partner_of_another_training_cannot_share(training, partners, trainer):
    from facilitation.trainings.services import create_training

    other = create_training(trainer, "Toinen")
    foreign = add_partner(other, {"name": "Muu", "kind": "other"})
    with pytest.raises(BudgetError.__mro__[1]):
        services.save_line(
            training,
            {"category": "venue", "rule": "single", "estimated": "1", "partners": [foreign.id]},
        )


def test_speakers_fees_and_travel_feed_the_budget(training, partners):
    a, b = partners
    services.save_speaker(
        training,
        {
            "name": "Dr. Aino Asiantuntija",
            "status": "confirmed",
            "fee": "300",
            "travel": "45,50",
            "paid_by": str(a.id),
        },
    )
    services.save_speaker(
        training, {"name": "Tulkki Esimerkki", "status": "invited", "fee": "0,03"}
    )
    services.save_speaker(training, {"name": "Ei tule", "status": "declined", "fee": "999"})
    totals = services.totals(training)
    assert totals["overall"]["estimated"] == 30000 + 4550 + 3
    # 3 cents split equally: 2 + 1, the extra cent to the first partner by name (Järjestö).
    assert totals["partners"][a.id]["estimated"] == 34550 + 1
    assert totals["partners"][b.id]["estimated"] == 2
    with pytest.raises(BudgetError.__mro__[1]):
        services.save_speaker(training, {"name": " "})
    with pytest.raises(BudgetError.__mro__[1]):
        services.save_speaker(training, {"name": "X", "email": "ei"})
    with pytest.raises(BudgetError.__mro__[1]):
        services.save_speaker(training, {"name": "X", "fee": "-1"})


# --- editing a line ---------------------------------------------------------


def percent_line(shares: dict, **fields) -> dict:
    """A cost line's form data, split by percentages: {partner: "60", ...}."""
    return {
        "category": "venue",
        "rule": "percent",
        "partners": [partner.id for partner in shares],
        **{f"percent_{partner.id}": percent for partner, percent in shares.items()},
        **fields,
    }


@pytest.fixture
def venue_line(training, partners):
    a, b = partners
    line = services.save_line(
        training,
        {
            "category": "venue",
            "description": "Sali",
            "rule": "equal",
            "estimated": "100",
            "partners": [a.id, b.id],
        },
    )
    db.session.commit()
    return line


def _snapshot(line):
    db.session.refresh(line)
    return (
        line.category,
        line.description,
        line.estimated_cents,
        line.actual_cents,
        line.rule,
        [(s.partner_id, s.basis_points) for s in line.shares],
    )


def test_editing_a_line_keeps_the_partners_and_changes_the_split(training, partners, venue_line):
    a, b = partners
    # Same partners, new rule: the share rows are updated, not deleted and re-added.
    services.save_line(
        training,
        percent_line(
            {a: "33,33", b: "66,67"},
            category="coffee",
            description="Aamukahvi",
            estimated="1 000,01",
            actual="900",
        ),
        venue_line,
    )
    db.session.commit()
    assert _snapshot(venue_line) == (
        "coffee",
        "Aamukahvi",
        100001,
        90000,
        "percent",
        [(a.id, 3333), (b.id, 6667)],
    )
    totals = services.totals(training)
    assert totals["partners"][a.id]["estimated"] + totals["partners"][b.id]["estimated"] == 100001
    # One partner pays it all now: the other's share row goes.
    services.save_line(
        training,
        {"category": "coffee", "rule": "single", "estimated": "5", "partners": [b.id]},
        venue_line,
    )
    db.session.commit()
    assert _snapshot(venue_line)[4:] == ("single", [(b.id, 0)])
    assert services.lines_of(training) == [venue_line]


@pytest.mark.parametrize(
    "bad",
    [
        {"estimated": "-5"},
        {"actual": "-1"},
        {"rule": "percent", "percent_a": "50", "percent_b": "40"},
        {"partners": []},
        {"foreign": True},
    ],
)
def test_a_refused_edit_keeps_the_old_values(training, partners, venue_line, trainer, bad):
    from facilitation.trainings.services import create_training

    a, b = partners
    before = _snapshot(venue_line)
    data = {"category": "other", "rule": "equal", "estimated": "7", "partners": [a.id, b.id]}
    data.update({k: v for k, v in bad.items() if not k.startswith(("percent_", "foreign"))})
    if "percent_a" in bad:
        data[f"percent_{a.id}"], data[f"percent_{b.id}"] = bad["percent_a"], bad["percent_b"]
    if bad.get("foreign"):
        other = create_training(trainer, "Toinen")
        data["partners"] = [add_partner(other, {"name": "Muu", "kind": "other"}).id]
    with pytest.raises(BudgetError.__mro__[1]):
        services.save_line(training, data, venue_line)
    db.session.rollback()
    assert _snapshot(venue_line) == before
