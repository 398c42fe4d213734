"""HTTP: the module library, building an agenda, own modules, and access."""

from facilitation.agenda import services as agenda
from facilitation.extensions import db
from facilitation.live.models import LiveSession
from facilitation.modules import library
from facilitation.modules.models import Module
from facilitation.trainings.models import Training
from facilitation.trainings.services import create_training, invite_member
from tests.conftest import csrf_from, login


def page(training, lang="fi"):
    return f"/trainings/{training.id}/modules?lang={lang}"


def test_the_library_page_in_three_languages(trainer_client, training):
    for lang in ("fi", "sv", "en"):
        response = trainer_client.get(page(training, lang), headers={"Accept-Language": lang})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert library.shipped_module("interpreter", lang).title in html
        assert library.template("basic_half_day", lang).title in html
    html = trainer_client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert f"/trainings/{training.id}/modules" in html


def test_build_the_basic_agenda_in_one_click(trainer_client, training):
    token = csrf_from(trainer_client, page(training))
    response = trainer_client.post(
        f"/trainings/{training.id}/modules/build?lang=fi",
        data={"csrf_token": token, "template": "basic_half_day"},
    )
    assert response.status_code == 302
    live = db.session.query(LiveSession).filter_by(training_id=training.id).one()
    assert response.headers["Location"].endswith(f"/c/{live.code}/agenda")
    steps = agenda.steps_of(live)
    assert len(steps) >= 8
    html = trainer_client.get(f"/c/{live.code}/agenda").get_data(as_text=True)
    assert steps[0].title in html
    # a second build into the same session must be asked to replace
    response = trainer_client.post(
        f"/trainings/{training.id}/modules/build?lang=fi",
        data={"csrf_token": token, "template": "basic_half_day", "session": live.id},
    )
    assert response.status_code == 422
    assert len(agenda.steps_of(live)) == len(steps)


def test_add_one_module_to_a_chosen_session(trainer_client, training, live):
    token = csrf_from(trainer_client, page(training))
    response = trainer_client.post(
        f"/trainings/{training.id}/modules/add?lang=en",
        data={"csrf_token": token, "module": "lib:interpreter", "session": live.id},
    )
    assert response.status_code == 302
    titles = [step.title for step in agenda.steps_of(live)]
    assert titles == [step["title"] for step in library.shipped_module("interpreter", "en").steps]
    response = trainer_client.post(
        f"/trainings/{training.id}/modules/add?lang=en",
        data={"csrf_token": token, "module": "lib:nothing", "session": live.id},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422 and "no longer exists" in response.get_data(as_text=True)


def test_create_a_training_from_the_basic_template(trainer_client):
    token = csrf_from(trainer_client, "/")
    html = trainer_client.get("/").get_data(as_text=True)
    assert library.template("basic_half_day", "fi").title in html
    response = trainer_client.post(
        "/trainings/",
        data={"csrf_token": token, "title": "Kotoutuminen tutuksi", "template": "basic_half_day"},
    )
    assert response.status_code == 302
    training = db.session.query(Training).filter_by(title="Kotoutuminen tutuksi").one()
    (live,) = training.sessions
    assert len(agenda.steps_of(live)) >= 8


def test_own_module_form_keeps_what_was_typed(trainer_client, training):
    new = f"/trainings/{training.id}/modules/new"
    token = csrf_from(trainer_client, new)
    response = trainer_client.post(
        new,
        data={
            "csrf_token": token,
            "title": "",
            "summary": "Kunnan oma osuus",
            "step-0-title": "Avaus",
            "step-0-kind": "info",
            "step-0-minutes": "10",
        },
        headers={"Accept-Language": "fi"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Kunnan oma osuus" in html and "Avaus" in html
    assert db.session.query(Module).count() == 0
    response = trainer_client.post(
        new,
        data={
            "csrf_token": token,
            "title": "Kunnan palvelut",
            "language": "fi",
            "kind": "toolkit",
            "target_groups": ["municipal_staff"],
            "step-0-title": "Avaus",
            "step-0-kind": "info",
            "step-0-minutes": "10",
        },
    )
    assert response.status_code == 302
    module = db.session.query(Module).one()
    assert module.steps[0]["title"] == "Avaus" and module.target_groups == ["municipal_staff"]
    html = trainer_client.get(page(training)).get_data(as_text=True)
    assert "Kunnan palvelut" in html


def test_edit_a_copy_of_a_shipped_module(trainer_client, training):
    token = csrf_from(trainer_client, page(training))
    response = trainer_client.post(
        f"/trainings/{training.id}/modules/copy?lang=fi",
        data={"csrf_token": token, "slug": "culturally_aware"},
    )
    assert response.status_code == 302
    module = db.session.query(Module).one()
    edit = response.headers["Location"]
    html = trainer_client.get(edit).get_data(as_text=True)
    assert module.title in html and module.steps[0]["title"] in html
    data = {"csrf_token": token, "title": "Kulttuuritietoisuus meillä", "language": "fi"}
    for i, step in enumerate(module.steps):
        data.update(
            {
                f"step-{i}-title": step["title"],
                f"step-{i}-kind": step["kind"],
                f"step-{i}-minutes": str(step["minutes"]),
                f"step-{i}-content": step.get("content", ""),
            }
        )
    assert trainer_client.post(edit, data=data).status_code == 302
    html = trainer_client.get(page(training)).get_data(as_text=True)
    assert "Kulttuuritietoisuus meillä" in html
    remove = f"/trainings/{training.id}/modules/{module.id}/delete"
    assert trainer_client.post(remove, data={"csrf_token": token}).status_code == 302
    assert db.session.query(Module).count() == 0


def test_module_access(app, training, trainer, make_user):
    helper, stranger = make_user("apu@example.fi"), make_user("vieras@example.fi")
    invite_member(training, helper.email, "trainer")
    other = create_training(stranger, "Toisen koulutus")
    module = Module(training_id=training.id, title="Oma", steps=[])
    db.session.add(module)
    db.session.commit()

    client = app.test_client()
    assert client.get(page(training)).status_code == 302  # to the login page

    login(client, helper.email)
    assert client.get(page(training)).status_code == 200
    token = csrf_from(client, page(training))
    # a trainer may build the agenda, but not change the library
    copy = client.post(
        f"/trainings/{training.id}/modules/copy", data={"csrf_token": token, "slug": "interpreter"}
    )
    assert copy.status_code == 403
    assert client.get(f"/trainings/{training.id}/modules/new").status_code == 403

    client = app.test_client()
    login(client, stranger.email)
    assert client.get(page(training)).status_code == 404
    token = csrf_from(client, page(other))
    for path in (
        f"/trainings/{training.id}/modules/build",
        f"/trainings/{training.id}/modules/add",
        f"/trainings/{training.id}/modules/{module.id}/delete",
    ):
        assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert client.get(f"/trainings/{training.id}/modules/{module.id}/edit").status_code == 404
    # nor can the stranger reach it through their own training
    assert client.get(f"/trainings/{other.id}/modules/{module.id}/edit").status_code == 404
