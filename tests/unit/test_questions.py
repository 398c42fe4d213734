"""Question rules: validation, once-only posting, votes, moderation, order."""

import pytest
from flask_babel import force_locale

from facilitation.extensions import db
from facilitation.live.services import close_session, set_moderation
from facilitation.questions import services
from facilitation.questions.models import Question, QuestionVote
from tests.conftest import new_client_id


def ask(live, body="Miten tulkki varataan?", client_id=None):
    result = services.ask(live, body, client_id or new_client_id())
    db.session.commit()
    return result.question


@pytest.mark.parametrize(
    ("body", "code"),
    [("", "empty"), ("   \n\t ", "empty"), (None, "empty"), ("x" * 501, "too_long")],
)
def test_bad_questions_are_refused_with_a_reason(live, body, code):
    with pytest.raises(services.QuestionError) as info:
        services.ask(live, body, new_client_id())
    assert info.value.code == code
    assert db.session.query(Question).count() == 0


def test_error_messages_speak_the_participants_language(live):
    with force_locale("fi"), pytest.raises(services.QuestionError) as fi:
        services.ask(live, " ", new_client_id())
    with force_locale("sv"), pytest.raises(services.QuestionError) as sv:
        services.ask(live, "x" * 600, new_client_id())
    assert str(fi.value) == "Kirjoita kysymys ensin."
    assert "600" in str(sv.value) and "500" in str(sv.value)
    assert str(sv.value) != services.QuestionError.__name__


def test_exactly_500_characters_is_allowed_and_text_is_trimmed(live):
    question = ask(live, "  " + "ä" * 500 + "  ")
    assert question.body == "ä" * 500


def test_a_resent_post_is_stored_once(live):
    client_id = new_client_id()
    first = services.ask(live, "Sama kysymys", client_id)
    db.session.commit()
    again = services.ask(live, "Sama kysymys", client_id)
    assert again.created is False and again.question.id == first.question.id
    assert db.session.query(Question).count() == 1


@pytest.mark.parametrize("client_id", ["", "short", "x" * 65, "has space inside", 42])
def test_malformed_client_ids_are_refused(live, client_id):
    with pytest.raises(services.QuestionError) as info:
        services.ask(live, "Kysymys", client_id)
    assert info.value.code == "client_id"


def test_closed_session_takes_no_questions(live):
    close_session(live)
    with pytest.raises(services.QuestionError) as info:
        services.ask(live, "Myöhässä", new_client_id())
    assert info.value.code == "closed"


def test_vote_toggles_and_counts_once_per_participant(live):
    question = ask(live)
    assert services.toggle_vote(live, question.id, "a" * 64) is True
    assert services.toggle_vote(live, question.id, "b" * 64) is True
    db.session.commit()
    assert question.vote_count == 2
    assert services.toggle_vote(live, question.id, "a" * 64) is False
    db.session.commit()
    assert question.vote_count == 1
    assert db.session.query(QuestionVote).count() == 1
    assert services.voted_ids(live, "b" * 64) == {question.id}
    assert services.voted_ids(live, "a" * 64) == set()


def test_list_is_ordered_by_votes_then_time(live):
    first, second, third = ask(live, "1"), ask(live, "2"), ask(live, "3")
    services.toggle_vote(live, third.id, "v" * 64)
    db.session.commit()
    assert [q.body for q in services.visible_questions(live)] == ["3", "1", "2"]
    assert first.created_at <= second.created_at


def test_approve_mode_holds_questions_until_approved(live):
    set_moderation(live, "approve")
    question = ask(live)
    assert question.status == "pending"
    assert services.visible_questions(live) == []
    assert services.pending_questions(live) == [question]
    services.moderate(live, "show", question.id)
    assert services.visible_questions(live) == [question]
    assert services.pending_questions(live) == []


def test_pending_and_hidden_questions_cannot_be_voted(live):
    question = ask(live)
    services.moderate(live, "hide", question.id)
    with pytest.raises(services.QuestionError) as info:
        services.toggle_vote(live, question.id, "v" * 64)
    assert info.value.code == "not_found"


def test_one_question_is_pinned_at_a_time_and_hiding_unpins(live):
    a, b = ask(live, "a"), ask(live, "b")
    services.moderate(live, "pin", a.id)
    assert services.pinned_question(live) == a
    services.moderate(live, "pin", b.id)
    db.session.commit()
    db.session.refresh(a)
    assert (a.pinned, b.pinned) == (False, True)
    services.moderate(live, "hide", b.id)
    assert services.pinned_question(live) is None
    with pytest.raises(services.QuestionError):
        services.moderate(live, "pin", b.id)  # a hidden question cannot go on screen


def test_answered_toggles(live):
    question = ask(live)
    services.moderate(live, "answer", question.id)
    assert question.answered
    services.moderate(live, "answer", question.id)
    assert not question.answered


def test_hidden_questions_stay_listed_for_the_trainer_after_visible_ones(live):
    a, b = ask(live, "a"), ask(live, "b")
    services.toggle_vote(live, a.id, "v" * 64)
    services.moderate(live, "hide", a.id)
    assert [q.body for q in services.moderated_questions(live)] == ["b", "a"]
    assert services.visible_questions(live) == [b]


def test_unknown_action_and_foreign_question_are_refused(live, training):
    from facilitation.live.services import open_session

    other = open_session(training)
    foreign = ask(other, "muualla")
    with pytest.raises(services.QuestionError) as info:
        services.moderate(live, "hide", foreign.id)
    assert info.value.code == "not_found"
    with pytest.raises(services.QuestionError) as info:
        services.moderate(live, "delete", foreign.id)
    assert info.value.code == "invalid"


def test_times_are_aware_utc(live):
    question = ask(live)
    db.session.expire_all()
    stored = db.session.get(Question, question.id)
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset().total_seconds() == 0


def test_projector_shows_the_top_questions_and_always_the_newest(live):
    questions = [ask(live, f"q{i}") for i in range(5)]
    for voter, q in enumerate(questions[:4]):
        services.toggle_vote(live, q.id, f"{voter:064d}")
    db.session.commit()
    visible = services.visible_questions(live)
    shown, more = services.for_projector(visible, 3)
    assert [q.body for q in shown] == [visible[0].body, visible[1].body, "q4"]
    assert more == 2
    assert services.for_projector(visible, 10) == (visible, 0)
