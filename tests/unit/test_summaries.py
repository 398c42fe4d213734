"""The session summary: its data, what moderation keeps out, the renderers,
and the snapshot that stands in for the deleted raw rows."""

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import escape
from sqlalchemy import delete, event, select

from facilitation.assessments.models import AssessmentAnswer, FeedbackAnswer
from facilitation.cases.models import CaseStory
from facilitation.dbtypes import utcnow
from facilitation.extensions import db
from facilitation.polls.models import PollAnswer
from facilitation.questions.models import Question
from facilitation.registration.models import Registration
from facilitation.summaries import render
from facilitation.summaries.charts import change_chart
from facilitation.summaries.services import build_summary
from tests.summary_data import (
    BIG_QUESTIONS,
    BIG_STORIES,
    FINNISH_QUESTION,
    HIDDEN_QUESTION,
    PENDING_QUESTION,
    A,
    B,
    big_numbers,
    docx_headings,
    docx_text,
    pdf_text,
    seed,
    seed_big,
)


@pytest.fixture
def seeded(training, live):
    return seed(training, live)


def step(summary, title):
    return next(s for s in summary["steps"] if s["title"] == title)


def every_text(summary) -> str:
    return json.dumps(summary, ensure_ascii=False)


def test_steps_in_run_order_with_planned_and_actual_times(live, seeded):
    summary = build_summary(live)
    assert [(s["title"], s["run"]) for s in summary["steps"]] == [
        ("Tervetuloa", True),
        ("Lähtötaso", True),
        ("Kysymykset", True),
        ("Tapaukset", True),
        ("Kysely", True),
        ("Käytännön tilanne", True),
        ("Loppukysely", True),
        ("Palaute", True),
        ("Tauko", False),  # never run: last
    ]
    questions_step = step(summary, "Kysymykset")
    assert questions_step["planned_minutes"] == 15
    # Visited twice: 18 + 5 minutes.
    assert questions_step["actual_seconds"] == 23 * 60
    assert questions_step["runs"] == [
        {"started_at": "2026-03-12T07:15:00+00:00", "ended_at": "2026-03-12T07:33:00+00:00"},
        {"started_at": "2026-03-12T08:15:00+00:00", "ended_at": "2026-03-12T08:20:00+00:00"},
    ]
    assert step(summary, "Tauko")["actual_seconds"] is None
    assert summary["session"]["started_at"] == "2026-03-12T07:00:00+00:00"
    assert summary["session"]["ended_at"] == "2026-03-12T08:20:00+00:00"


def test_header_and_participation(live, seeded):
    summary = build_summary(live)
    assert summary["training"]["title"] == "Kotoutumisen perusteet"
    assert summary["training"]["organisers"] == ["Järjestö ry", "Tampereen kaupunki"]
    assert summary["training"]["venue_name"] == "Kaupungintalo"
    assert summary["session"]["code"] == live.code
    assert summary["participation"] == {
        "registered": 3,
        "waitlisted": 1,
        "peak_participants": 14,
        "posts": {
            "questions": 6,
            "stories": 3,
            "poll_answers": 6,
            "assessment_answers": 7,
            "feedback": 4,
        },
    }


def test_questions_by_step_visible_only_with_votes_and_answered(live, seeded):
    summary = build_summary(live)
    assert step(summary, "Kysymykset")["questions"] == [
        {
            "id": seeded["q_answered"].id,
            "body": FINNISH_QUESTION,
            "votes": 5,
            "answered": True,
            "answer": "",
        },
        {
            "id": seeded["q_open"].id,
            "body": "Kuka maksaa tulkin?",
            "votes": 2,
            "answered": False,
            "answer": "",
        },
    ]
    # Asked before any step: in its own section; answered afterwards counts as answered.
    assert summary["outside"]["questions"] == [
        {
            "id": seeded["q_outside"].id,
            "body": "Ennen alkua kysytty",
            "votes": 1,
            "answered": True,
            "answer": "Katso opas.",
        }
    ]
    assert [(q["body"], q["step"]) for q in summary["open_questions"]] == [
        ("Kuka maksaa tulkin?", "Kysymykset"),
        ("Missä diat ovat?", "Tervetuloa"),
    ]


def test_hidden_pending_and_rejected_are_left_out_but_counted(live, seeded):
    summary = build_summary(live)
    text = every_text(summary)
    for left_out in (
        HIDDEN_QUESTION,
        PENDING_QUESTION,
        "Hylätty tarina",
        "Odottava tarina",
        "Kysyisin Virtaselta",
        "Odottava vastaus",
        "Salainen palaute",
        "Asiaton palaute",
    ):
        assert left_out not in text
    assert [s["situation"] for s in step(summary, "Tapaukset")["stories"]] == [
        "Asiakas ei ymmärtänyt päätöstä."
    ]
    assert summary["left_out"] == {
        "questions_hidden": 1,
        "questions_pending": 1,
        "stories_pending": 1,
        "stories_rejected": 1,
        "poll_answers_pending": 1,
        "poll_answers_rejected": 1,
        "feedback_pending": 1,
        "feedback_rejected": 1,
    }


def test_polls(live, seeded):
    summary = build_summary(live)
    assert step(summary, "Kysely")["poll"] == {
        "id": seeded["choice"].id,
        "kind": "single",
        "question": "Onko tulkki tuttu?",
        "answers": 3,
        "options": [
            {"label": "Kyllä", "count": 2},
            {"label": "Ei", "count": 1},
            {"label": "En tiedä", "count": 0},
        ],
    }
    free = step(summary, "Käytännön tilanne")["poll"]
    assert free["answers"] == 3 and free["texts"] == ["Soittaisin tulkille."]


def test_self_assessment_change_pairs_participants(live, seeded):
    summary = build_summary(live)
    data = summary["self_assessment"]
    assert data["start_step_id"] == seeded["steps"]["Lähtötaso"].id
    assert data["end_step_id"] == seeded["steps"]["Loppukysely"].id
    assert (data["start_answers"], data["end_answers"], data["paired"]) == (4, 3, 3)
    # v4 answered only at the start: with it the start average of A would be 2.5.
    assert data["statements"] == [
        {
            "statement": A,
            "n": 3,
            "start_count": 4,
            "end_count": 3,
            "start": 3.0,
            "end": 4.33,
            "change": 1.33,
        },
        {
            "statement": B,
            "n": 3,
            "start_count": 4,
            "end_count": 3,
            "start": 2.67,
            "end": 3.67,
            "change": 1.0,
        },
    ]
    assert step(summary, "Lähtötaso")["assessment"] == {"role": "start", "answers": 4}
    assert step(summary, "Loppukysely")["assessment"] == {"role": "end", "answers": 3}


def test_one_self_assessment_gives_averages_without_change(live, seeded):
    db.session.execute(
        delete(AssessmentAnswer).where(
            AssessmentAnswer.step_id == seeded["steps"]["Loppukysely"].id
        )
    )
    db.session.commit()
    data = build_summary(live)["self_assessment"]
    assert data["end_step_id"] is None
    assert data["statements"][0] == {
        "statement": A,
        "n": 4,
        "start_count": 4,
        "end_count": 0,
        "start": 2.5,
        "end": None,
        "change": None,
    }
    html = render.document_html(build_summary(live))
    assert "2,5" in html


def test_too_few_pairs_are_not_shown(live, seeded):
    end = seeded["steps"]["Loppukysely"].id
    db.session.execute(
        delete(AssessmentAnswer).where(
            AssessmentAnswer.step_id == end, AssessmentAnswer.voter_hash != "v1"
        )
    )
    db.session.commit()
    row = build_summary(live)["self_assessment"]["statements"][0]
    # One pair: its "average" would be that participant's own answers.
    assert (row["n"], row["start"], row["end"], row["change"]) == (1, None, None, None)


def test_feedback_ratings_all_texts_approved_only(live, seeded):
    # A rating is a number: it counts whatever became of the text beside it.
    assert step(build_summary(live), "Palaute")["feedback"] == {
        "answers": 4,
        "distribution": [1, 1, 0, 1, 1],
        "average": 3.0,
        "most_useful": ["Tulkkiosuus"],
        "to_improve": ["Lisää aikaa"],
    }


def test_links_in_document_order_each_url_once(live, seeded):
    assert build_summary(live)["links"] == [
        {"title": "Työkalupakki", "url": "https://example.fi/toolkit"},
        {"title": "example.fi/a", "url": "https://example.fi/a"},
        {"title": "example.fi/cases", "url": "https://example.fi/cases"},
    ]


def test_plain_json_data(live, seeded):
    summary = build_summary(live)
    assert json.loads(json.dumps(summary)) == summary


def test_a_fixed_number_of_queries(app, training, live, seeded):
    """No query per question or story: 200 more questions, the same count."""

    def queries() -> int:
        db.session.expire_all()
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            build_summary(db.session.get(type(live), live.id))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    before = queries()
    step_id = seeded["steps"]["Kysymykset"].id
    for n in range(200):
        db.session.add(
            Question(session_id=live.id, client_id=f"bulk-{n}", step_id=step_id, body=f"Q {n}")
        )
    db.session.commit()
    assert queries() == before <= 14


def test_running_session(live, seeded):
    from facilitation.agenda.models import StepRun

    db.session.add(
        StepRun(session_id=live.id, step_id=seeded["steps"]["Palaute"].id, started_at=utcnow())
    )
    db.session.commit()
    palaute = step(build_summary(live), "Palaute")
    assert palaute["running"] is True and palaute["actual_seconds"] == 5 * 60
    assert "Palaute" in render.to_markdown(build_summary(live))


# --- renderers -------------------------------------------------------------------


def test_documents_leave_out_what_moderation_kept_out(live, seeded):
    summary = build_summary(live)
    documents = {
        "html": render.to_html(summary),
        "md": render.to_markdown(summary),
        "docx": docx_text(render.to_docx(summary)),
    }
    for name, text in documents.items():
        assert FINNISH_QUESTION in text, name
        assert "Soittaisin tulkille." in text, name
        for left_out in (HIDDEN_QUESTION, PENDING_QUESTION, "Hylätty tarina", "Salainen palaute"):
            assert left_out not in text, name


def test_headings_are_the_same_in_every_format(live, seeded):
    summary = build_summary(live)
    headings = render.outline(summary, "en").headings
    assert "3. Kysymykset" in headings and "Steps not run" in headings
    html = render.document_html(summary, "en")
    assert re.findall(r"<h\d[^>]*>([^<]*)</h\d>", html) == [str(escape(h)) for h in headings]
    assert docx_headings(render.to_docx(summary, "en")) == headings
    md_headings = [
        line.lstrip("#").strip()
        for line in render.to_markdown(summary, "en").splitlines()
        if line.startswith("#")
    ]
    assert md_headings == headings


def test_documents_in_the_trainings_language(app, training, live, seeded):
    training.language = "en"
    db.session.commit()
    md = render.to_markdown(build_summary(live))
    assert "## Participation" in md and "| Registered (confirmed places) | 3 |" in md
    assert "| Tunnen kotoutumislain | 3.0 | 4.3 | +1.3 | 3 |" in md
    training.language = "fi"
    db.session.commit()
    md = render.to_markdown(build_summary(live))
    assert "| Tunnen kotoutumislain | 3,0 | 4,3 | +1,3 | 3 |" in md


def test_markdown_keeps_participants_text_as_text(live, seeded):
    seeded["q_open"].body = "# otsikko *tähti* [linkki](http://x) <b>"
    db.session.commit()
    md = render.to_markdown(build_summary(live))
    assert r"\# otsikko \*tähti\* \[linkki\](http://x) \<b\>" in md


NS = "{http://www.w3.org/2000/svg}"


def test_change_chart_is_valid_escaped_svg():
    svg = change_chart(
        [
            {"statement": "<script>&", "start": 2.0, "end": 4.5, "change": 2.5},
            {"statement": "Ei näytetä", "start": None, "end": None, "change": None},
        ],
        title="Muutos",
        start_label="Alussa",
        end_label="Lopussa",
        number_format=lambda x: f"{x:.1f}",
        change_format=lambda x: f"{x:+.1f}",
    )
    root = ET.fromstring(str(svg))
    text = "".join(root.itertext())
    assert "<script>&amp;" not in str(svg) and "&lt;script&gt;&amp;" in str(svg)
    assert "(+2.5)" in text and "2.0" in text and "4.5" in text and "Ei näytetä" not in text
    bars = [r for r in root.iter(f"{NS}rect") if "chart__bar" in r.get("class", "")]
    assert len(bars) == 2


# --- the snapshot ------------------------------------------------------------------


def test_snapshot_replaces_the_deleted_rows(live, seeded):
    snapshot = build_summary(live)
    live.summary_snapshot = snapshot
    live.raw_deleted_at = utcnow()
    for model in (Question, CaseStory, AssessmentAnswer, FeedbackAnswer):
        db.session.execute(delete(model).where(model.session_id == live.id))
    db.session.execute(delete(PollAnswer))
    db.session.execute(delete(Registration))
    db.session.commit()
    db.session.expire_all()

    summary = build_summary(live)
    assert summary == snapshot
    assert step(summary, "Kysymykset")["questions"][0]["body"] == FINNISH_QUESTION
    assert FINNISH_QUESTION in render.to_html(summary)
    assert FINNISH_QUESTION in render.to_markdown(summary)
    assert FINNISH_QUESTION in docx_text(render.to_docx(summary))
    assert json.loads(render.to_json(summary)) == snapshot
    pdf = render.to_pdf(summary)
    assert pdf.startswith(b"%PDF") and FINNISH_QUESTION in pdf_text(pdf)


def test_without_a_snapshot_the_live_rows_count(live, seeded):
    live.raw_deleted_at = utcnow()  # the snapshot was never stored
    db.session.commit()
    assert build_summary(live)["participation"]["posts"]["questions"] == 6


def test_long_lists_are_complete_in_every_document(live, seeded):
    """No cuts: a step with many questions lists every one, most voted first."""
    step_id = seeded["steps"]["Kysymykset"].id
    extra = 60
    for n in range(extra):
        db.session.add(
            Question(
                session_id=live.id, client_id=f"bulk-{n}", step_id=step_id, body=f"Lisäkysymys {n}"
            )
        )
    db.session.commit()
    summary = build_summary(live)
    assert len(step(summary, "Kysymykset")["questions"]) == extra + 2
    md = render.to_markdown(summary)
    section = md[md.index("## 3. Kysymykset") : md.index("## 4. Tapaukset")]
    assert section.index(FINNISH_QUESTION) < section.index("Lisäkysymys 0\n")
    assert f"Lisäkysymys {extra - 1}\n" in section
    # The open ones again at the end, every one of them.
    follow_up = md[md.index("## Avoimet kysymykset") :]
    assert f"Lisäkysymys {extra - 1}\n" in follow_up
    assert "not listed" not in render.to_markdown(summary, "en")
    word = docx_text(render.to_docx(summary))
    assert f"Lisäkysymys {extra - 1}" in word
    text = pdf_text(render.to_pdf(summary))
    assert f"Lisäkysymys {extra - 1}" in text and HIDDEN_QUESTION not in text


def test_big_session_pdf_holds_every_question_and_story(app, training, live):
    """1,000 questions and 200 approved stories (the bench's session): the PDF
    read back holds the last question and the last story, and every visible
    question and story, and no hidden or pending one. Its speed is measured by
    bench/summary_pdf.py, not here."""
    seed_big(training, live)
    summary = build_summary(live)
    last_question = db.session.execute(
        select(Question.body).where(Question.session_id == live.id).order_by(Question.id.desc())
    ).scalar()
    last_story = db.session.execute(
        select(CaseStory).where(CaseStory.session_id == live.id).order_by(CaseStory.id.desc())
    ).scalar()
    assert last_question.startswith(f"Kysymys {BIG_QUESTIONS - 1}:")
    assert last_story.situation.startswith(f"Tapaus {BIG_STORIES - 1}:")

    pdf = render.to_pdf(summary)
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert " ".join(last_question.split()) in flat
    for part in (last_story.situation, last_story.action, last_story.discussion):
        assert " ".join(part.split()) in flat
    questions, stories = big_numbers(text)
    assert questions == {n for n in range(BIG_QUESTIONS) if n % 50}  # hidden/pending: not
    assert stories == set(range(BIG_STORIES))
    # The same in the other documents.
    for document in (render.to_markdown(summary), docx_text(render.to_docx(summary))):
        assert big_numbers(document) == (questions, stories)


def test_pdf_is_tagged_with_language_title_and_chart_text(live, seeded):
    from pypdf import PdfReader

    pdf = render.to_pdf(build_summary(live))
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fi"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert reader.metadata.title == "Kotoutumisen perusteet"
    assert b"pdfuaid" in pdf  # the PDF/UA-1 claim in its XMP metadata
    # The poll's chart has its question and counts as text alternative.
    assert b"/Alt" in pdf


def test_pdf_prints_participants_text_as_text(live, seeded):
    """Nothing a participant writes is read as Typst markup, and a very long
    word is broken inside the page."""
    body = '#panic("x") *tähti* _alleviivaus_ $x^2$ = otsikko <nimi> @viite \\ `koodi` ]'
    seeded["q_open"].body = body
    seeded["q_welcome"].body = "Pitkä " + "å" * 300
    db.session.commit()
    text = pdf_text(render.to_pdf(build_summary(live)))
    assert body in " ".join(text.split())
    # Broken into lines (read back as several), the letters all there.
    assert max(len(line) for line in text.splitlines()) < 120
    assert re.sub(r"\s", "", text).count("Pitkä" + "å" * 300) == 2


def test_an_empty_session_renders(live):
    summary = build_summary(live)
    assert summary["steps"] == [] and summary["self_assessment"] is None
    assert "Every question was answered." in render.to_markdown(summary, "en")
    assert render.to_pdf(summary).startswith(b"%PDF")
    assert docx_headings(render.to_docx(summary, "en"))[0] == "Kotoutumisen perusteet"
