"""HTTP: the budget page, a 60/40 split, editing lines, the coffee card, and access."""

import re

import pytest

from facilitation.extensions import db
from facilitation.trainings.services import add_partner, invite_member
from tests.conftest import csrf_from, login
from tests.unit.test_budget import percent_line
from tests.unit.test_coffee import register


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
    assert response.status_code == 422 and "add up to 100" in html and "Aamukahvi" in html


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
    assert response.status_code == 422 and "Tulkkaus" in response.get_data(as_text=True)


def _partners_and_line(training):
    from facilitation.budget import services

    a = add_partner(training, {"name": "Kunta", "kind": "municipality"})
    b = add_partner(training, {"name": "Järjestö", "kind": "ngo_project"})
    line = services.save_line(
        training, percent_line({a: "60", b: "40"}, description="Sali", estimated="1 250,50")
    )
    db.session.commit()
    return a, b, line


def test_a_line_is_edited_without_javascript(trainer_client, training):
    a, b, line = _partners_and_line(training)
    page = f"/trainings/{training.id}/budget"
    html = trainer_client.get(page, headers={"Accept-Language": "fi"}).get_data(as_text=True)
    # The edit form shows the line as it is, amounts in a form parse_euros reads back.
    assert f'action="/trainings/{training.id}/budget/{line.id}"' in html
    assert 'value="1250,50"' in html and f'id="line-{line.id}-percent-{a.id}"' in html
    token = csrf_from(trainer_client, page)
    response = trainer_client.post(
        f"{page}/{line.id}",
        data={
            "csrf_token": token,
            "category": "venue",
            "description": "Iso sali",
            "estimated": "1 000",
            "actual": "1 100,10",
            "rule": "equal",
            "partners": [a.id, b.id],
        },
    )
    assert response.status_code == 302 and response.location.endswith(f"{page}#line-{line.id}")
    html = trainer_client.get(page, headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "Iso sali" in html and "1\u00a0100,10\u00a0€" in html
    assert "550,05\u00a0€" in html  # each partner's actual share
    db.session.refresh(line)
    assert (line.estimated_cents, line.actual_cents, line.rule) == (100000, 110010, "equal")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"estimated": "-10"}, "cannot be negative"),
        ({"percent_b": "30"}, "add up to 100 (now 90"),
        ({"partners": []}, "Choose the partners"),
        ({"foreign": True}, "no longer exists"),
    ],
)
def test_a_refused_edit_says_why_keeps_the_typing_and_saves_nothing(
    trainer_client, training, trainer, change, says
):
    from facilitation.trainings.services import create_training

    a, b, line = _partners_and_line(training)
    page = f"/trainings/{training.id}/budget"
    form = percent_line(
        {a: "60", b: change.get("percent_b", "40")},
        csrf_token=csrf_from(trainer_client, page),
        category="other",
        description="Kirjoitettu kuvaus",
        estimated="77,70",
    )
    form.update({k: v for k, v in change.items() if k in ("estimated", "partners")})
    if change.get("foreign"):
        other = create_training(trainer, "Toinen")
        form["partners"] = [add_partner(other, {"name": "Muu", "kind": "other"}).id]
        db.session.commit()
    response = trainer_client.post(
        f"{page}/{line.id}", data=form, headers={"Accept-Language": "en"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert says in html
    assert "Kirjoitettu kuvaus" in html and f'value="{form["estimated"]}"' in html
    assert "<details open>" in html  # the line's edit form is open with the message
    db.session.refresh(line)
    assert (line.category, line.description, line.estimated_cents) == ("venue", "Sali", 125050)
    assert [s.basis_points for s in line.shares] == [6000, 4000]


def test_a_trainer_cannot_edit_and_a_line_of_another_training_is_404(app, training, make_user):
    from facilitation.trainings.services import create_training

    a, b, line = _partners_and_line(training)
    owner = make_user("toinen@example.fi")
    other = create_training(owner, "Toinen")
    helper = make_user("apu@example.fi")
    invite_member(training, helper.email, "trainer")
    db.session.commit()
    client = app.test_client()
    login(client, helper.email)
    token = csrf_from(client, f"/trainings/{training.id}/budget")
    data = {"csrf_token": token, "category": "venue", "estimated": "1", "rule": "equal"}
    assert client.post(f"/trainings/{training.id}/budget/{line.id}", data=data).status_code == 403
    client = app.test_client()
    login(client, owner.email)
    token = csrf_from(client, f"/trainings/{other.id}/budget")
    response = client.post(
        f"/trainings/{other.id}/budget/{line.id}", data={**data, "csrf_token": token}
    )
    assert response.status_code == 302  # refused with a flashed message, nothing changed
    db.session.refresh(line)
    assert line.estimated_cents == 125050


def test_coffee_card_settings_and_apply(trainer_client, training):
    a = add_partner(training, {"name": "Kunta", "kind": "municipality"})
    b = add_partner(training, {"name": "Järjestö", "kind": "ngo_project"})
    register(training, "Aino", diets=["vegan"])
    register(training, "Eero", diets=["vegan", "nut_allergy"])
    register(training, "Jono", status="waitlisted", diets=["vegan"])
    db.session.commit()
    page = f"/trainings/{training.id}/budget"
    en = {"Accept-Language": "en"}
    token = csrf_from(trainer_client, page)
    response = trainer_client.post(
        f"{page}/coffee", data={"csrf_token": token, "price": "-2", "servings": "2"}, headers=en
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "cannot be negative" in html and 'value="-2"' in html
    response = trainer_client.post(
        f"{page}/coffee", data={"csrf_token": token, "price": "2,50", "servings": "2"}
    )
    assert response.status_code == 302
    html = trainer_client.get(page, headers=en).get_data(as_text=True)
    # 2 registrations + 1 organiser (the waitlisted one does not count).
    assert 'data-coffee="heads">3<' in html and 'data-coffee="estimate">€15.00<' in html
    assert 'data-diet="vegan">Vegan: <strong>2<' in html and "Nut allergy" in html
    response = trainer_client.post(f"{page}/coffee/apply", data={"csrf_token": token}, headers=en)
    assert response.status_code == 302
    html = trainer_client.get(page, headers=en).get_data(as_text=True)
    assert "A coffee line shared equally by all partners was added." in html
    shares = dict(
        re.findall(r'data-partner="([^"]+)"><td>[^<]*</td><td class="num">([^<]+)<', html)
    )
    assert shares == {a.name: "€7.50", b.name: "€7.50"}  # the 15 € shared equally


def test_coffee_apply_without_partners_explains(trainer_client, training):
    page = f"/trainings/{training.id}/budget"
    token = csrf_from(trainer_client, page)
    trainer_client.post(f"{page}/coffee", data={"csrf_token": token, "price": "2", "servings": "1"})
    response = trainer_client.post(
        f"{page}/coffee/apply", data={"csrf_token": token}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    assert "Add the partners on the training page first" in response.get_data(as_text=True)
