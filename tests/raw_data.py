"""Participant data of every raw kind, for the follow-up and retention tests."""

import secrets

from facilitation.agenda.models import AgendaStep
from facilitation.assessments.models import AssessmentAnswer, FeedbackAnswer
from facilitation.cases.models import CaseStory, StoryVote
from facilitation.extensions import db
from facilitation.polls.models import Poll, PollAnswer
from facilitation.questions.models import Question, QuestionVote
from facilitation.registration.models import Registration


def question(live, body, status="visible", votes=0, answer=""):
    row = Question(
        session_id=live.id,
        client_id=secrets.token_urlsafe(12),
        body=body,
        status=status,
        vote_count=votes,
        followup_answer=answer,
    )
    db.session.add(row)
    db.session.flush()
    for n in range(votes):
        db.session.add(QuestionVote(question_id=row.id, voter_hash=f"q{row.id}-{n}"))
    return row


def story(live, situation, status="approved", votes=0):
    row = CaseStory(
        session_id=live.id,
        client_id=secrets.token_urlsafe(12),
        situation=situation,
        action="Soitin tulkin.",
        status=status,
        vote_count=votes,
    )
    db.session.add(row)
    db.session.flush()
    for n in range(votes):
        db.session.add(StoryVote(story_id=row.id, voter_hash=f"s{row.id}-{n}"))
    return row


def step(live, position, kind="info", title="Vaihe", links=""):
    row = AgendaStep(session_id=live.id, position=position, kind=kind, title=title, links=links)
    db.session.add(row)
    db.session.flush()
    return row


def seed(live, tag=""):
    """One session's raw data; returns the expected count per table."""
    question(live, f"Miten tulkki tilataan? {tag}", votes=2, answer="Tulkkikeskuksesta.")
    question(live, f"Kuka maksaa? {tag}", votes=1)
    question(live, f"Piilotettu {tag}", status="hidden")
    story(live, f"Asiakas ei ymmärtänyt kirjettä {tag}", votes=3)
    poll_step = step(live, 1, "poll", "Kysely")
    assess_step = step(live, 2, "self_assessment", "Itsearvio")
    feedback_step = step(live, 3, "feedback", "Palaute")
    poll = Poll(
        session_id=live.id, step_id=poll_step.id, kind="single", question="?", options=["a", "b"]
    )
    db.session.add(poll)
    db.session.flush()
    for n in range(4):
        db.session.add(PollAnswer(poll_id=poll.id, voter_hash=f"p{live.id}-{n}", value=[n % 2]))
    for n in range(3):
        db.session.add(
            AssessmentAnswer(
                session_id=live.id,
                step_id=assess_step.id,
                voter_hash=f"a{live.id}-{n}",
                ratings={"Tunnen palvelut": 3},
            )
        )
    db.session.add(
        FeedbackAnswer(
            session_id=live.id,
            step_id=feedback_step.id,
            voter_hash=f"f{live.id}",
            rating=5,
            most_useful="Tapaukset",
            status="approved",
        )
    )
    db.session.flush()
    return {
        "question_votes": 3,
        "questions": 3,
        "story_votes": 3,
        "case_stories": 1,
        "poll_answers": 4,
        "assessment_answers": 3,
        "feedback_answers": 1,
    }


def registrations(training, count=2):
    for n in range(count):
        db.session.add(
            Registration(
                training_id=training.id,
                name=f"Osallistuja {n}",
                email=f"osallistuja{n}-{training.id}@example.fi",
                token=secrets.token_urlsafe(32),
            )
        )
    db.session.flush()
