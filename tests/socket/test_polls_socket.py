"""Polls over the socket: answers, replacing, closing, hidden results revealed."""

import pytest

from facilitation.agenda import services as agenda_services
from facilitation.extensions import db
from facilitation.polls import services as poll_services
from facilitation.polls.models import PollAnswer
from tests.conftest import swaps


def make_poll(live, kind="single", hide=True, **fields):
    step = agenda_services.add_step(live, "poll", "Kysely", 5)
    values = {"question": "Mikä auttaa eniten?", "options_text": "Tulkki\nSelkokieli\nAikaa"}
    values.update(fields)
    poll = poll_services.save_poll(live, step, hide_results=hide, kind=kind, **values)
    agenda_services.go_to(live, step.id)
    db.session.commit()
    return poll


def test_one_answer_per_participant_and_changing_replaces(live, connect):
    poll = make_poll(live)
    phone = connect(live.code)
    assert phone.emit("polls:answer", {"poll_id": poll.id, "value": "0"}, callback=True)["ok"]
    ack = phone.emit("polls:answer", {"poll_id": poll.id, "value": "2"}, callback=True)
    assert ack["ok"] and "checked" in ack["html"]
    assert db.session.query(PollAnswer).one().value == [2]


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("single", "7"),
        ("single", ["0", "1"]),
        ("multiple", []),
        ("scale", "6"),
        ("words", "a b c d"),
        ("free", " "),
    ],
)
def test_malformed_answers_are_refused(live, connect, kind, value):
    poll = make_poll(live, kind=kind, scale_low="huono", scale_high="hyvä")
    ack = connect(live.code).emit(
        "polls:answer", {"poll_id": poll.id, "value": value}, callback=True
    )
    assert ack["ok"] is False and ack["message"]
    assert db.session.query(PollAnswer).count() == 0


def test_hidden_results_are_revealed_when_the_trainer_closes(live, connect, trainer_client):
    poll = make_poll(live, hide=True)
    phone_a, phone_b = connect(live.code), connect(live.code)
    projector = connect(live.code, "projector", trainer_client)
    control = connect(live.code, "moderator", trainer_client)
    phone_a.emit("polls:answer", {"poll_id": poll.id, "value": "1"}, callback=True)
    phone_b.emit("polls:answer", {"poll_id": poll.id, "value": "1"}, callback=True)
    (hidden,) = swaps(projector.get_received(), f"#poll-results-{poll.id}")[-1:]
    assert "<svg" not in hidden["html"] and "2" in hidden["html"]

    assert control.emit("polls:close", {"poll_id": poll.id}, callback=True)["open"] is False
    (shown,) = swaps(projector.get_received(), f"#poll-results-{poll.id}")[-1:]
    assert "<svg" in shown["html"] and "Selkokieli" in shown["html"]
    (phone_piece,) = swaps(phone_a.get_received(), f"#poll-{poll.id}")[-1:]
    assert "<form" not in phone_piece["html"]  # closed: nothing to answer any more

    late = phone_b.emit("polls:answer", {"poll_id": poll.id, "value": "0"}, callback=True)
    assert late["ok"] is False and late["error"] == "closed"
    assert [a.value for a in db.session.query(PollAnswer)] == [[1], [1]]


def test_word_cloud_counts_case_insensitively(live, connect):
    poll = make_poll(live, kind="words", hide=False)
    for words in ("Tulkki", "tulkki aika", "TULKKI"):
        connect(live.code).emit("polls:answer", {"poll_id": poll.id, "value": words}, callback=True)
    assert poll_services.results(poll)["words"] == {"tulkki": 3, "aika": 1}


def test_free_answers_are_moderated(live, connect, trainer_client):
    poll = make_poll(live, kind="free", hide=False, question="Mitä tekisit?")
    phone = connect(live.code)
    control = connect(live.code, "moderator", trainer_client)
    phone.emit(
        "polls:answer", {"poll_id": poll.id, "value": "Varaisin tulkin heti."}, callback=True
    )
    answer = db.session.query(PollAnswer).one()
    assert answer.status == "pending"
    assert poll_services.results(poll)["answers"] == []
    assert (
        phone.emit("polls:approve", {"poll_id": poll.id, "answer_id": answer.id}, callback=True)[
            "error"
        ]
        == "forbidden"
    )
    control.emit("polls:approve", {"poll_id": poll.id, "answer_id": answer.id}, callback=True)
    assert [a.value for a in poll_services.results(poll)["answers"]] == ["Varaisin tulkin heti."]


def test_a_poll_with_answers_cannot_change_its_options(live, connect):
    poll = make_poll(live)
    connect(live.code).emit("polls:answer", {"poll_id": poll.id, "value": "0"}, callback=True)
    step = agenda_services.current_step(live)
    with pytest.raises(poll_services.PollError):
        poll_services.save_poll(live, step, kind="single", question="Uusi?", options_text="A\nB")


def test_a_poll_that_is_not_on_now_takes_no_answers(live, connect, trainer_client):
    poll = make_poll(live)
    agenda_services.add_step(live, "info", "Seuraava", 5)
    db.session.commit()
    control = connect(live.code, "moderator", trainer_client)
    phone = connect(live.code)
    control.emit("agenda:next", {}, callback=True)
    ack = phone.emit("polls:answer", {"poll_id": poll.id, "value": "0"}, callback=True)
    assert ack["ok"] is False and ack["error"] == "not_current"
    assert db.session.query(PollAnswer).count() == 0


def test_several_choices_arrive_as_a_list(live, connect):
    poll = make_poll(live, kind="multiple")
    phone = connect(live.code)
    assert phone.emit("polls:answer", {"poll_id": poll.id, "value": ["0", "2"]}, callback=True)[
        "ok"
    ]
    assert db.session.query(PollAnswer).one().value == [0, 2]


def test_only_free_answers_are_moderated(live, connect, trainer_client):
    poll = make_poll(live)
    connect(live.code).emit("polls:answer", {"poll_id": poll.id, "value": "0"}, callback=True)
    control = connect(live.code, "moderator", trainer_client)
    answer = db.session.query(PollAnswer).one()
    ack = control.emit("polls:reject", {"poll_id": poll.id, "answer_id": answer.id}, callback=True)
    assert ack["ok"] is False
    db.session.refresh(answer)
    assert answer.status == "approved"
