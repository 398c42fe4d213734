"""Agenda rules: editing with stale-screen checks, running with a stored timer."""

from datetime import timedelta

import pytest

from facilitation.agenda import services
from facilitation.agenda.models import StepRun
from facilitation.dbtypes import utcnow
from facilitation.extensions import db


@pytest.fixture
def agenda(live):
    steps = [
        services.add_step(live, "info", "Tervetuloa", 10),
        services.add_step(live, "pair_discussion", "Pareittain", 5, "Kerro kohtaamisesta"),
        services.add_step(live, "break", "Kahvi", 15),
    ]
    db.session.commit()
    return steps


def test_steps_are_validated(live):
    for kind, title, minutes in [
        ("dance", "x", 5),
        ("info", "  ", 5),
        ("info", "x", 0),
        ("info", "x", "viisi"),
        ("info", "x" * 201, 5),
    ]:
        with pytest.raises(services.AgendaError):
            services.add_step(live, kind, title, minutes)
    assert services.steps_of(live) == []


def test_links_parse_titles_and_bare_urls(live):
    step = services.add_step(
        live,
        "info",
        "Linkit",
        5,
        links="InfoFinland https://www.infofinland.fi\nhttps://migri.fi/\nei linkki",
    )
    assert step.link_list == [
        ("InfoFinland", "https://www.infofinland.fi"),
        ("migri.fi", "https://migri.fi/"),
    ]


def test_reorder_and_remove_keep_positions_dense(live, agenda):
    first, second, third = agenda
    services.move_step(live, third.id, "up")
    assert [s.title for s in services.steps_of(live)] == ["Tervetuloa", "Kahvi", "Pareittain"]
    services.remove_step(live, first.id)
    assert [(s.position, s.title) for s in services.steps_of(live)] == [
        (1, "Kahvi"),
        (2, "Pareittain"),
    ]


def test_an_edit_from_a_stale_screen_is_refused_and_changes_nothing(live, agenda):
    seen = live.agenda_version
    services.update_step(
        live, agenda[0].id, version=seen, kind="info", title="Uusi nimi", planned_minutes=12
    )
    with pytest.raises(services.AgendaError) as info:
        services.update_step(
            live, agenda[0].id, version=seen, kind="info", title="Vanha näkymä", planned_minutes=1
        )
    assert info.value.code == "stale"
    assert agenda[0].title == "Uusi nimi"


def test_running_records_actual_times_and_sets_the_timer(live, agenda):
    first = services.start(live)
    assert live.current_step_id == first.id
    remaining = services.remaining_seconds(live)
    assert 10 * 60 - 2 <= remaining <= 10 * 60
    services.next_step(live, expected_step_id=first.id)
    services.next_step(live)
    assert services.current_step(live).title == "Kahvi"
    assert services.next_step(live) is None  # past the last step: finished
    assert live.timer_ends_at is None
    db.session.commit()
    runs = services.runs_of(live)
    assert [r.step_id for r in runs] == [s.id for s in agenda]
    assert all(r.ended_at is not None and r.ended_at >= r.started_at for r in runs)


def test_two_devices_pressing_next_move_one_step(live, agenda):
    services.start(live)
    seen = live.current_step_id
    services.next_step(live, expected_step_id=seen)
    with pytest.raises(services.AgendaError) as info:
        services.next_step(live, expected_step_id=seen)
    assert info.value.code == "stale"
    assert services.current_step(live).title == "Pareittain"


def test_pause_resume_and_adjust(live, agenda):
    services.start(live)
    live.timer_ends_at = utcnow() + timedelta(seconds=90)
    services.pause(live)
    assert live.timer_ends_at is None and 88 <= live.timer_remaining <= 90
    services.adjust(live, 2)
    assert 208 <= live.timer_remaining <= 210
    with pytest.raises(services.AgendaError):
        services.pause(live)  # already paused
    services.resume(live)
    assert 206 <= services.remaining_seconds(live) <= 210
    services.adjust(live, -5)
    assert services.remaining_seconds(live) < 0  # overtime is shown, not hidden
    for bad in ("x", 0, 1000):
        with pytest.raises(services.AgendaError):
            services.adjust(live, bad)


def test_previous_and_go_to(live, agenda):
    with pytest.raises(services.AgendaError):
        services.previous_step(live)
    services.go_to(live, agenda[2].id)
    assert services.previous_step(live).id == agenda[1].id
    with pytest.raises(services.AgendaError):
        services.go_to(live, 999999)


def test_removing_the_running_step_moves_on(live, agenda):
    services.go_to(live, agenda[1].id)
    services.remove_step(live, agenda[1].id)
    db.session.commit()
    assert services.current_step(live).title == "Kahvi"
    assert db.session.query(StepRun).count() == 1  # the removed step's run went with it


def test_copy_an_agenda_from_another_session(live, agenda, training):
    from facilitation.live.services import open_session

    other = open_session(training)
    assert services.copy_steps(live, other) == 3
    assert [s.title for s in services.steps_of(other)] == ["Tervetuloa", "Pareittain", "Kahvi"]
    with pytest.raises(services.AgendaError):
        services.copy_steps(open_session(training), other)  # nothing to copy


def test_next_after_the_last_step_does_not_restart(live, agenda):
    services.go_to(live, agenda[-1].id)
    assert services.next_step(live) is None
    with pytest.raises(services.AgendaError) as info:
        services.next_step(live)
    assert info.value.code == "finished"
    assert services.start(live).id == agenda[0].id  # starting again is explicit
