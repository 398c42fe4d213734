"""Self-assessment and feedback over Socket.IO: acks, counts on the screens."""

from facilitation.agenda import services as agenda
from facilitation.assessments.models import AssessmentAnswer
from facilitation.extensions import db
from tests.conftest import swaps


def test_assess_over_the_socket_and_the_projector_counts(live, connect, trainer_client):
    step = agenda.add_step(live, "self_assessment", "Alussa", 5, "Tunnen palvelut\nOsaan tulkata")
    agenda.go_to(live, step.id)
    db.session.commit()
    phone = connect(live.code)
    projector = connect(live.code, "projector", trainer_client)
    projector.get_received()
    ack = phone.emit(
        "assessments:answer",
        {"step_id": step.id, "rating-0": "2", "rating-1": "5"},
        callback=True,
    )
    assert ack["ok"] is True and 'id="assessment-' in ack["html"]
    assert "checked" in ack["html"] and "csrf_token" not in ack["html"]
    (piece,) = swaps(projector.get_received(), f"#answer-count-{step.id}")
    assert "1 " in piece["html"]
    row = db.session.query(AssessmentAnswer).one()
    assert row.ratings == {"Tunnen palvelut": 2, "Osaan tulkata": 5}
    # nothing that identifies the phone is stored
    assert len(row.voter_hash) == 64

    bad = phone.emit("assessments:answer", {"step_id": step.id, "rating-0": "2"}, callback=True)
    assert bad["ok"] is False and bad["error"] == "incomplete" and "field__error" in bad["html"]


def test_feedback_over_the_socket(live, connect):
    step = agenda.add_step(live, "feedback", "Palaute", 5)
    agenda.go_to(live, step.id)
    db.session.commit()
    phone = connect(live.code, language="en")
    ack = phone.emit(
        "feedback:answer",
        {"step_id": step.id, "rating": "4", "most_useful": "Tulkkaus"},
        callback=True,
    )
    assert ack["ok"] is True and "reads the written feedback" in ack["html"]
    refused = phone.emit("feedback:answer", {"step_id": step.id}, callback=True)
    assert refused["ok"] is False and refused["error"] == "empty"
    projector_only = phone.emit("feedback:answer", {"step_id": 999, "rating": "3"}, callback=True)
    assert projector_only["ok"] is False and projector_only["error"] == "not_found"
