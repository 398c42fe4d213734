"""Building agendas from modules: the basic template in one call, toolkit
sections chosen by the registrations' sectors, and organisers' own copies."""

import secrets

import pytest

from facilitation.agenda import services as agenda
from facilitation.agenda.models import StepRun
from facilitation.dbtypes import utcnow
from facilitation.extensions import db
from facilitation.live.services import open_session
from facilitation.modules import library, services
from facilitation.modules.models import Module
from facilitation.polls.services import poll_for_step
from facilitation.registration.models import Registration


def register(training, sector, status="confirmed", n=1):
    for _ in range(n):
        db.session.add(
            Registration(
                training_id=training.id,
                name="Osallistuja",
                email=f"{secrets.token_hex(4)}@example.fi",
                sector=sector,
                status=status,
                token=secrets.token_urlsafe(32),
            )
        )
    db.session.flush()


def keys(pairs):
    return [view.slug for view, _count in pairs]


def test_the_basic_template_builds_a_complete_agenda(training, live):
    steps = services.build_from_template(training, live, "basic_half_day", "fi")
    db.session.commit()
    assert steps == agenda.steps_of(live)
    kinds = [step.kind for step in steps]
    assert "break" in kinds and "questions" in kinds and "pair_discussion" in kinds
    assert 180 <= services.planned_minutes(live) <= 270
    # the interpreter module's steps, in Finnish, with its poll
    interpreter = library.shipped_module("interpreter", "fi")
    titles = [step.title for step in steps]
    assert interpreter.steps[0]["title"] in titles
    polled = [step for step in steps if poll_for_step(step)]
    assert polled, "practical situations come with their polls"
    # the general toolkit goes in even with no audience known
    general = library.shipped_module("toolkit_general", "fi")
    assert general.steps[0]["title"] in titles
    # module links ride on the module's first step
    first = next(step for step in steps if step.title == interpreter.steps[0]["title"])
    assert any(url.startswith("https://") for _t, url in first.link_list)


def test_the_template_speaks_the_chosen_language(training, live):
    steps = services.build_from_template(training, live, "basic_half_day", "sv")
    culture = library.shipped_module("culturally_aware", "sv")
    assert culture.language == "sv"
    assert culture.steps[0]["title"] in [step.title for step in steps]
    assert library.shipped_module("culturally_aware", "fi").steps[0]["title"] not in [
        step.title for step in steps
    ]


def test_toolkits_follow_the_registrations_sectors(training):
    training.target_groups = ["employment_services"]
    register(training, "municipal_staff", n=3)
    register(training, "mainstream_services")
    register(training, "employment_services", status="cancelled", n=5)
    suggested = services.suggested_toolkits(training, "fi")
    slugs = keys(suggested)
    assert slugs[0] == "toolkit_municipal"
    assert "toolkit_health_youth" in slugs and slugs[-1] == "toolkit_general"
    # cancelled registrations and the organisers' first guess do not count
    assert "toolkit_employment" not in slugs
    counts = dict((view.slug, count) for view, count in suggested)
    assert counts["toolkit_municipal"] == 3 and counts["toolkit_general"] == 4


def test_without_registrations_the_training_target_groups_decide(training):
    training.target_groups = ["volunteers"]
    assert keys(services.suggested_toolkits(training, "fi")) == [
        "toolkit_third_sector",
        "toolkit_general",
    ]
    training.target_groups = []
    assert keys(services.suggested_toolkits(training, "fi")) == ["toolkit_general"]


def test_chosen_toolkits_replace_the_suggestion(training, live):
    steps = services.build_from_template(
        training, live, "basic_half_day", "fi", toolkit_keys=["lib:toolkit_municipal"]
    )
    titles = {step.title for step in steps}
    assert library.shipped_module("toolkit_municipal", "fi").steps[0]["title"] in titles
    assert library.shipped_module("toolkit_general", "fi").steps[0]["title"] not in titles


def test_an_existing_agenda_is_replaced_only_when_asked_and_never_after_the_run(training, live):
    agenda.add_step(live, "info", "Oma avaus", 5)
    with pytest.raises(services.ModuleError):
        services.build_from_template(training, live, "basic_half_day", "fi")
    assert [step.title for step in agenda.steps_of(live)] == ["Oma avaus"]
    version = live.agenda_version
    services.build_from_template(training, live, "basic_half_day", "fi", replace=True)
    assert "Oma avaus" not in [step.title for step in agenda.steps_of(live)]
    assert live.agenda_version > version
    first = agenda.steps_of(live)[0]
    db.session.add(StepRun(session_id=live.id, step_id=first.id, started_at=utcnow()))
    db.session.flush()
    with pytest.raises(services.ModuleError):
        services.build_from_template(training, live, "basic_half_day", "fi", replace=True)


def test_unknown_template_and_module_are_refused(training, live):
    with pytest.raises(services.ModuleError):
        services.build_from_template(training, live, "no_such", "fi")
    with pytest.raises(services.ModuleError):
        services.resolve(training, "lib:no_such", "fi")
    with pytest.raises(services.ModuleError):
        services.resolve(training, "own:999", "fi")
    assert agenda.steps_of(live) == []


def test_an_edited_copy_is_used_instead_of_the_shipped_module(training, live):
    module = services.copy_shipped(training, "interpreter", "fi")
    assert services.copy_shipped(training, "interpreter", "fi").id == module.id
    steps = [dict(step) for step in module.steps]
    form_steps = [
        {"kind": s["kind"], "title": s["title"], "minutes": s["minutes"], "content": s["content"]}
        for s in steps
    ]
    form_steps[0]["title"] = "Tulkkaus meidän kunnassamme"
    services.update_module(
        training,
        module.id,
        {"title": "Tulkin kanssa (oma)", "language": "fi", "kind": "common"},
        form_steps,
    )
    library_views = services.library_for(training, "fi")
    interpreter_views = [view for view in library_views if view.slug == "interpreter"]
    assert len(interpreter_views) == 1 and interpreter_views[0].own_id == module.id
    built = services.build_from_template(training, live, "basic_half_day", "fi")
    assert "Tulkkaus meidän kunnassamme" in [step.title for step in built]
    # the copy kept the practical situation's poll
    assert any(step.get("poll") for step in module.steps)
    # the Swedish library still shows the shipped module
    sv = [view for view in services.library_for(training, "sv") if view.slug == "interpreter"]
    assert sv[0].shipped


def test_a_changed_step_kind_drops_the_poll(training):
    module = services.copy_shipped(training, "interpreter", "fi")
    index = next(i for i, step in enumerate(module.steps) if step.get("poll"))
    form_steps = [
        {"kind": s["kind"], "title": s["title"], "minutes": s["minutes"]} for s in module.steps
    ]
    form_steps[index]["kind"] = "info"
    services.update_module(
        training, module.id, {"title": module.title, "language": "fi"}, form_steps
    )
    assert not module.steps[index].get("poll")


@pytest.mark.parametrize(
    ("data", "steps"),
    [
        ({"title": ""}, []),
        ({"title": "Moduuli", "language": "de"}, []),
        ({"title": "Moduuli", "target_groups": ["astronauts"]}, []),
        ({"title": "Moduuli", "as_of": "28.11.2026"}, []),
        ({"title": "Moduuli", "minutes": "-5"}, []),
        ({"title": "Moduuli"}, [{"kind": "info", "title": "Vaihe", "minutes": "0"}]),
        ({"title": "Moduuli"}, [{"kind": "dance", "title": "Vaihe", "minutes": "5"}]),
    ],
)
def test_bad_module_input_is_refused_and_nothing_is_saved(training, data, steps):
    with pytest.raises(services.ModuleError):
        services.create_module(training, data, steps)
    db.session.rollback()
    assert db.session.query(Module).count() == 0


def test_an_own_module_goes_to_the_agenda_with_its_links(training, live):
    module = services.create_module(
        training,
        {
            "title": "Kunnan palvelut",
            "language": "fi",
            "kind": "toolkit",
            "target_groups": ["municipal_staff"],
            "links": "Kunnan sivut https://example.fi/palvelut",
            "key_points": "Yksi\n\nKaksi",
        },
        [
            {"kind": "info", "title": "Palvelut", "minutes": "10", "content": "Sisältö"},
            {"kind": "questions", "title": "", "minutes": "5"},  # blank row: left out
            {"kind": "pair_discussion", "title": "Pohdi", "minutes": "5", "remove": "1"},
        ],
    )
    view = services.own_view(module)
    assert view.minutes == 10 and view.key_points == ("Yksi", "Kaksi")
    assert view.kind == "toolkit" and view.suits(["municipal_staff"])
    steps = services.add_module(live, services.resolve(training, view.key, "fi"))
    assert [step.title for step in steps] == ["Palvelut"]
    assert steps[0].link_list == [("Kunnan sivut", "https://example.fi/palvelut")]
    # own toolkit sections are suggested like shipped ones
    training.target_groups = ["municipal_staff"]
    assert "Kunnan palvelut" in [v.title for v, _c in services.suggested_toolkits(training, "fi")]


def test_an_own_module_of_another_training_is_not_found(training, trainer):
    from facilitation.trainings.services import create_training

    other = create_training(trainer, "Toinen")
    module = services.create_module(other, {"title": "Salainen"}, [])
    with pytest.raises(services.ModuleError):
        services.get_own(training, module.id)
    with pytest.raises(services.ModuleError):
        services.resolve(training, f"own:{module.id}", "fi")


def test_a_new_session_is_opened_for_the_agenda_when_none_is_chosen(training):
    live = services.target_session(training)
    assert live.training_id == training.id and live.is_open
    other = open_session(training, "B")
    assert services.target_session(training, str(other.id)) is other
    with pytest.raises(services.ModuleError):
        services.target_session(training, "123456")
