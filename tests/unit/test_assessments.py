"""Self-assessment and feedback steps: answering, replacing, moderation."""

import pytest

from facilitation.agenda import services as agenda
from facilitation.assessments import services
from facilitation.assessments.models import AssessmentAnswer, FeedbackAnswer
from facilitation.assessments.statements import DEFAULT_STATEMENTS
from facilitation.extensions import db


@pytest.fixture
def steps(live):
    start = agenda.add_step(live, "self_assessment", "Alussa", 5)
    feedback = agenda.add_step(live, "feedback", "Palaute", 5)
    custom = agenda.add_step(live, "self_assessment", "Omat", 5, "Yksi\n\nKaksi\nYksi\n")
    db.session.commit()
    return start, feedback, custom


def test_statements_default_to_the_training_language(live, steps):
    start, _feedback, custom = steps
    assert services.statements_of(start) == list(DEFAULT_STATEMENTS["fi"])
    live.training.language = "sv"
    assert services.statements_of(start) == list(DEFAULT_STATEMENTS["sv"])
    # blank lines and repeats are dropped
    assert services.statements_of(custom) == ["Yksi", "Kaksi"]


def test_answers_only_while_the_step_runs_and_replace_earlier_ones(live, steps):
    start, feedback, custom = steps
    with pytest.raises(services.AssessmentError) as exc:
        services.answer_assessment(live, start.id, "v1", {"0": 3, "1": 3})
    assert exc.value.code == "not_current"
    agenda.go_to(live, custom.id)
    services.answer_assessment(live, custom.id, "v1", {"0": "2", "1": "4"})
    services.answer_assessment(live, custom.id, "v1", {"0": "3", "1": "5"})
    (row,) = db.session.query(AssessmentAnswer).all()
    assert row.ratings == {"Yksi": 3, "Kaksi": 5}
    assert services.my_assessment(custom, "v1") == {"Yksi": 3, "Kaksi": 5}
    assert services.my_assessment(custom, "v2") == {}


@pytest.mark.parametrize("ratings", [{"0": "3"}, {"0": "3", "1": "6"}, {"0": "x", "1": "2"}, {}])
def test_every_statement_needs_a_rating_from_1_to_5(live, steps, ratings):
    custom = steps[2]
    agenda.go_to(live, custom.id)
    with pytest.raises(services.AssessmentError):
        services.answer_assessment(live, custom.id, "v1", ratings)
    db.session.rollback()
    assert db.session.query(AssessmentAnswer).count() == 0


def test_a_step_of_another_kind_or_session_is_not_found(live, steps, training):
    from facilitation.live.services import open_session

    start, feedback, _custom = steps
    agenda.go_to(live, feedback.id)
    with pytest.raises(services.AssessmentError) as exc:
        services.answer_assessment(live, feedback.id, "v1", {})
    assert exc.value.code == "not_found"
    other = open_session(training, "B")
    with pytest.raises(services.AssessmentError) as exc:
        services.answer_feedback(other, feedback.id, "v1", {"rating": "4"})
    assert exc.value.code == "not_found"


def test_feedback_text_waits_for_review_a_rating_alone_does_not(live, steps):
    _start, feedback, _custom = steps
    agenda.go_to(live, feedback.id)
    only_rating = services.answer_feedback(live, feedback.id, "v1", {"rating": "5"})
    assert only_rating.status == "approved"
    with_text = services.answer_feedback(
        live, feedback.id, "v2", {"rating": "4", "most_useful": "Tulkkaus", "to_improve": ""}
    )
    assert with_text.status == "pending"
    # answering again replaces, and changed text is reviewed again
    services.moderate_feedback(live, with_text.id, "approved")
    again = services.answer_feedback(live, feedback.id, "v2", {"most_useful": "Tapaukset"})
    assert again.id == with_text.id and again.status == "pending" and again.rating is None
    assert db.session.query(FeedbackAnswer).count() == 2
    assert services.rating_counts(live) == {1: 0, 2: 0, 3: 0, 4: 0, 5: 1}


@pytest.mark.parametrize(
    "data", [{}, {"rating": "0"}, {"rating": "9"}, {"most_useful": "x" * 1001}, {"rating": ""}]
)
def test_bad_feedback_is_refused(live, steps, data):
    feedback = steps[1]
    agenda.go_to(live, feedback.id)
    with pytest.raises(services.AssessmentError):
        services.answer_feedback(live, feedback.id, "v1", data)
    db.session.rollback()
    assert db.session.query(FeedbackAnswer).count() == 0


def test_moderation_accepts_only_approve_or_reject(live, steps):
    feedback = steps[1]
    agenda.go_to(live, feedback.id)
    row = services.answer_feedback(live, feedback.id, "v1", {"to_improve": "Lisää aikaa"})
    for status in ("pending", "deleted"):
        with pytest.raises(services.AssessmentError):
            services.moderate_feedback(live, row.id, status)
    services.moderate_feedback(live, row.id, "rejected")
    assert [r.id for r in services.feedback_of(live, "rejected")] == [row.id]
    with pytest.raises(services.AssessmentError):
        services.moderate_feedback(live, 9999, "approved")
