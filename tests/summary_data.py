"""A run session with known content, for the summary tests (unit and HTTP).

Everything is written as rows, with fixed times, so the summary's numbers
are known exactly:

- steps in agenda order 1-9; "Tervetuloa" (2) ran before "Lähtötaso" (1),
  "Kysymykset" (3) ran twice, "Tauko" (7) never ran;
- questions: visible (answered, open, asked outside the steps, answered
  afterwards), hidden and pending;
- stories: approved, rejected and pending;
- a single-choice poll and a practical situation (free answers: approved,
  rejected, pending);
- self-assessments: three participants at the start and the end, a fourth
  only at the start;
- feedback: two approved, one pending, one rejected;
- registrations: 3 confirmed, 1 on the waiting list, 1 cancelled.
"""

import io
import random
import re
import secrets
from datetime import UTC, datetime, timedelta

from facilitation.agenda.models import AgendaStep, StepRun
from facilitation.assessments.models import AssessmentAnswer, FeedbackAnswer
from facilitation.cases.models import CaseStory
from facilitation.extensions import db
from facilitation.polls.models import Poll, PollAnswer
from facilitation.questions.models import Question
from facilitation.registration.models import Registration
from facilitation.trainings.models import Partner

T0 = datetime(2026, 3, 12, 7, 0, tzinfo=UTC)  # 9.00 in Helsinki
FINNISH_QUESTION = "Miten käännös toimii äidinkielellä?"
HIDDEN_QUESTION = "Piilotettu kysymys åäö"
PENDING_QUESTION = "Odottava kysymys"
A = "Tunnen kotoutumislain"
B = "Osaan käyttää tulkkia"


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _cid() -> str:
    return secrets.token_urlsafe(12)


def seed(training, live) -> dict:
    """Fill ``live`` (of ``training``); returns the rows by name."""
    training.starts_at, training.ends_at = T0, at(180)
    training.venue_name, training.venue_address = "Kaupungintalo", "Katu 1, Tampere"
    training.partners.append(Partner(name="Tampereen kaupunki", kind="municipality"))
    training.partners.append(Partner(name="Järjestö ry", kind="ngo_project"))
    live.peak_participants = 14

    plan = [
        ("self_assessment", "Lähtötaso", 5, ""),
        ("info", "Tervetuloa", 10, "Työkalupakki https://example.fi/toolkit\nhttps://example.fi/a"),
        ("questions", "Kysymykset", 15, ""),
        ("case_stories", "Tapaukset", 20, "https://example.fi/cases"),
        ("poll", "Kysely", 5, ""),
        ("practical_situation", "Käytännön tilanne", 10, ""),
        ("break", "Tauko", 15, "Sama linkki https://example.fi/toolkit"),
        ("self_assessment", "Loppukysely", 5, ""),
        ("feedback", "Palaute", 5, ""),
    ]
    steps = []
    for position, (kind, title, minutes, links) in enumerate(plan, start=1):
        step = AgendaStep(
            session_id=live.id,
            position=position,
            kind=kind,
            title=title,
            planned_minutes=minutes,
            links=links,
        )
        db.session.add(step)
        steps.append(step)
    db.session.flush()
    s = {step.title: step for step in steps}

    runs = [
        ("Tervetuloa", 0, 10),
        ("Lähtötaso", 10, 15),
        ("Kysymykset", 15, 33),
        ("Tapaukset", 33, 50),
        ("Kysely", 50, 55),
        ("Käytännön tilanne", 55, 65),
        ("Loppukysely", 65, 70),
        ("Palaute", 70, 75),
        ("Kysymykset", 75, 80),
    ]
    for title, start, end in runs:
        db.session.add(
            StepRun(session_id=live.id, step_id=s[title].id, started_at=at(start), ended_at=at(end))
        )

    def question(body, step, status="visible", votes=0, answered=False, answer=""):
        q = Question(
            session_id=live.id,
            client_id=_cid(),
            step_id=step.id if step else None,
            body=body,
            status=status,
            vote_count=votes,
            answered_at=at(30) if answered else None,
            followup_answer=answer,
            created_at=at(16),
        )
        db.session.add(q)
        return q

    rows = {
        "q_answered": question(FINNISH_QUESTION, s["Kysymykset"], votes=5, answered=True),
        "q_open": question("Kuka maksaa tulkin?", s["Kysymykset"], votes=2),
        "q_hidden": question(HIDDEN_QUESTION, s["Kysymykset"], status="hidden", votes=9),
        "q_pending": question(PENDING_QUESTION, s["Kysymykset"], status="pending"),
        "q_outside": question("Ennen alkua kysytty", None, votes=1, answer="Katso opas."),
        "q_welcome": question("Missä diat ovat?", s["Tervetuloa"]),
    }

    def story(situation, status, votes=0, **texts):
        row = CaseStory(
            session_id=live.id,
            step_id=s["Tapaukset"].id,
            client_id=_cid(),
            situation=situation,
            status=status,
            vote_count=votes,
            created_at=at(40),
            **texts,
        )
        db.session.add(row)
        return row

    rows["s_approved"] = story(
        "Asiakas ei ymmärtänyt päätöstä.", "approved", 3, action="Varasin tulkin."
    )
    rows["s_rejected"] = story("Hylätty tarina, jossa nimi Matti Meikäläinen.", "rejected")
    rows["s_pending"] = story("Odottava tarina.", "pending")

    choice = Poll(
        session_id=live.id,
        step_id=s["Kysely"].id,
        kind="single",
        question="Onko tulkki tuttu?",
        options=["Kyllä", "Ei", "En tiedä"],
        closed_at=at(55),
    )
    free = Poll(
        session_id=live.id,
        step_id=s["Käytännön tilanne"].id,
        kind="free",
        question="Mitä tekisit?",
        closed_at=at(65),
    )
    db.session.add_all([choice, free])
    db.session.flush()
    for voter, value in (("v1", [0]), ("v2", [0]), ("v3", [1])):
        db.session.add(PollAnswer(poll_id=choice.id, voter_hash=voter, value=value))
    for voter, text, status in (
        ("v1", "Soittaisin tulkille.", "approved"),
        ("v2", "Kysyisin Virtaselta.", "rejected"),
        ("v3", "Odottava vastaus.", "pending"),
    ):
        db.session.add(PollAnswer(poll_id=free.id, voter_hash=voter, value=text, status=status))

    start = {"v1": {A: 2, B: 3}, "v2": {A: 3, B: 3}, "v3": {A: 4, B: 2}, "v4": {A: 1, B: 1}}
    end = {"v1": {A: 4, B: 4}, "v2": {A: 4, B: 5}, "v3": {A: 5, B: 2}}
    for step, answers in ((s["Lähtötaso"], start), (s["Loppukysely"], end)):
        for voter, ratings in answers.items():
            db.session.add(
                AssessmentAnswer(
                    session_id=live.id, step_id=step.id, voter_hash=voter, ratings=ratings
                )
            )

    for voter, rating, useful, improve, status in (
        ("v1", 5, "Tulkkiosuus", "Lisää aikaa", "approved"),
        ("v2", 4, "", "", "approved"),
        ("v3", 1, "Salainen palaute", "", "pending"),
        ("v4", 2, "", "Asiaton palaute", "rejected"),
    ):
        db.session.add(
            FeedbackAnswer(
                session_id=live.id,
                step_id=s["Palaute"].id,
                voter_hash=voter,
                rating=rating,
                most_useful=useful,
                to_improve=improve,
                status=status,
            )
        )

    for n, status in enumerate(("confirmed", "confirmed", "confirmed", "waitlisted", "cancelled")):
        db.session.add(
            Registration(
                training_id=training.id,
                name=f"Osallistuja {n}",
                email=f"osallistuja{n}@example.fi",
                status=status,
                token=secrets.token_urlsafe(32),
            )
        )
    db.session.commit()
    rows["steps"] = s
    rows["choice"], rows["free"] = choice, free
    return rows


# --- a big session: the bench and the completeness test ------------------------

BIG_QUESTIONS = 1000
BIG_STORIES = 200
BIG_PARTICIPANTS = 60
BIG_STATEMENTS = (
    "Tunnen kotoutumislain pääkohdat",
    "Osaan toimia tulkin kanssa",
    "Tiedän, mihin asiakkaan voi ohjata",
    "Ymmärrän kulttuurisen taustan merkityksen",
    "Tunnen alueen palvelut",
)
BIG_WORDS = [
    "luottamus",
    "kieli",
    "tulkki",
    "aika",
    "kohtaaminen",
    "kiire",
    "selkokieli",
    "palvelu",
]


def seed_big(training, live) -> None:
    """A session far beyond a usual training, written as rows (no services:
    speed and fixed numbers): 16 steps, all run; 1,000 questions (every
    fiftieth hidden or pending, "Kysymys <n>: ..."), 200 approved stories
    ("Tapaus <n>: ..."), polls of every kind, self-assessments and feedback
    of 60 participants, 80 registrations. The summary bench
    (bench/summary_pdf.py) and the test that reads its PDF back use it."""
    rng = random.Random(42)
    t0 = datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    training.starts_at, training.ends_at = t0, t0 + timedelta(hours=6)
    training.venue_name = "Tampereen kaupungintalo"
    for name in ("Tampereen kaupunki", "TE-palvelut", "Järjestö ry"):
        training.partners.append(Partner(name=name))
    live.peak_participants = 87
    kinds = [
        "self_assessment",
        "info",
        "pair_discussion",
        "questions",
        "case_stories",
        "poll",
        "poll",
        "poll",
        "poll",
        "practical_situation",
        "break",
        "info",
        "questions",
        "case_stories",
        "self_assessment",
        "feedback",
    ]
    steps = []
    for position, kind in enumerate(kinds, start=1):
        step = AgendaStep(
            session_id=live.id,
            position=position,
            kind=kind,
            title=f"Vaihe {position}: {kind.replace('_', ' ')}",
            planned_minutes=15,
            links=f"Työkalupakki {position} https://example.fi/toolkit/{position % 6}",
        )
        db.session.add(step)
        steps.append(step)
    db.session.flush()
    for index, step in enumerate(steps):
        start = t0 + timedelta(minutes=20 * index)
        db.session.add(
            StepRun(
                session_id=live.id,
                step_id=step.id,
                started_at=start,
                ended_at=start + timedelta(minutes=rng.randint(8, 25)),
            )
        )

    asking = [s for s in steps if s.kind in ("questions", "info", "pair_discussion")]
    for n in range(BIG_QUESTIONS):
        status = "visible" if n % 50 else rng.choice(("hidden", "pending"))
        db.session.add(
            Question(
                session_id=live.id,
                client_id=f"q{n}",
                step_id=rng.choice(asking).id,
                body=f"Kysymys {n}: miten toimitaan, kun asiakas ei ymmärrä päätöstä "
                f"eikä tulkkia ole saatavilla? ({rng.choice(BIG_WORDS)})",
                status=status,
                vote_count=rng.randint(0, 40),
                answered_at=t0 if n % 10 == 0 else None,
                created_at=t0 + timedelta(seconds=n),
            )
        )
    telling = [s for s in steps if s.kind == "case_stories"]
    for n in range(BIG_STORIES):
        db.session.add(
            CaseStory(
                session_id=live.id,
                step_id=telling[n % len(telling)].id,
                client_id=f"s{n}",
                situation=f"Tapaus {n}: asiakas tuli vastaanotolle ilman tulkkia. " * 3,
                action="Varasin puhelintulkin ja sovin uuden ajan.",
                discussion="Miten tämä olisi voitu välttää?",
                status="approved",
                vote_count=rng.randint(0, 20),
                created_at=t0 + timedelta(seconds=n),
            )
        )

    poll_steps = [s for s in steps if s.kind in ("poll", "practical_situation", "feedback")]
    shapes = [
        ("single", ["Kyllä", "Ei", "En osaa sanoa"]),
        ("multiple", ["Tulkki", "Selkokieli", "Kuvat", "Kirjallinen ohje", "Muu"]),
        ("scale", []),
        ("words", []),
        ("free", []),
        ("scale", []),
    ]
    for step, (kind, options) in zip(poll_steps, shapes, strict=True):
        poll = Poll(
            session_id=live.id,
            step_id=step.id,
            kind=kind,
            question=f"Kysely ({kind}): mitä keinoja käytät?",
            options=options,
            scale_low="Ei lainkaan",
            scale_high="Erittäin hyvin",
        )
        db.session.add(poll)
        db.session.flush()
        for voter in range(BIG_PARTICIPANTS):
            if kind == "single":
                value = [rng.randrange(len(options))]
            elif kind == "multiple":
                value = sorted(rng.sample(range(len(options)), 2))
            elif kind == "scale":
                value = rng.randint(1, 5)
            elif kind == "words":
                value = rng.sample(BIG_WORDS, 2)
            else:
                value = f"Vastaus {voter}: soittaisin ensin tulkille ja kysyisin neuvoa."
            db.session.add(
                PollAnswer(poll_id=poll.id, voter_hash=f"v{voter}", value=value, status="approved")
            )

    first, last = [s for s in steps if s.kind == "self_assessment"]
    for voter in range(BIG_PARTICIPANTS):
        before = {text: rng.randint(1, 4) for text in BIG_STATEMENTS}
        db.session.add(
            AssessmentAnswer(
                session_id=live.id, step_id=first.id, voter_hash=f"v{voter}", ratings=before
            )
        )
        if voter % 6:  # some leave early
            after = {text: min(5, rating + rng.randint(0, 2)) for text, rating in before.items()}
            db.session.add(
                AssessmentAnswer(
                    session_id=live.id, step_id=last.id, voter_hash=f"v{voter}", ratings=after
                )
            )
    feedback_step = next(s for s in steps if s.kind == "feedback")
    for voter in range(BIG_PARTICIPANTS):
        db.session.add(
            FeedbackAnswer(
                session_id=live.id,
                step_id=feedback_step.id,
                voter_hash=f"v{voter}",
                rating=rng.randint(3, 5),
                most_useful="Tulkin kanssa toimiminen ja käytännön esimerkit.",
                to_improve="Enemmän aikaa keskustelulle." if voter % 2 else "",
                status="approved",
            )
        )
    for n in range(80):
        db.session.add(
            Registration(
                training_id=training.id,
                name=f"Osallistuja {n}",
                email=f"osallistuja{n}@example.invalid",
                status="confirmed" if n < 72 else "waitlisted",
                token=secrets.token_urlsafe(32),
            )
        )
    db.session.commit()


# --- reading the documents back -----------------------------------------------


def big_numbers(text: str) -> tuple[set[int], set[int]]:
    """The numbers of the big session's questions and stories found in a
    document's text ("Kysymys 12: ...", "Tapaus 7: ...")."""
    flat = " ".join(text.split())
    questions = {int(n) for n in re.findall(r"Kysymys (\d+): miten toimitaan", flat)}
    stories = {int(n) for n in re.findall(r"Tapaus (\d+): asiakas tuli", flat)}
    return questions, stories


def docx_text(data: bytes) -> str:
    from docx import Document

    word = Document(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def docx_headings(data: bytes) -> list[str]:
    from docx import Document

    word = Document(io.BytesIO(data))
    return [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
