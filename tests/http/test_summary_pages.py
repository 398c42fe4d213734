"""HTTP: the summary page and its downloads, for the training's members only."""

import csv
import io
import json
import re

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from facilitation.extensions import db
from facilitation.summaries.services import build_summary
from facilitation.trainings.services import create_training, invite_member
from tests.conftest import login
from tests.summary_data import FINNISH_QUESTION, HIDDEN_QUESTION, docx_headings, pdf_text, seed

DOWNLOADS = {
    "summary.pdf": "application/pdf",
    "summary.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "summary.md": "text/markdown; charset=utf-8",
    "summary.json": "application/json",
    "summary.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "summary-questions.csv": "text/csv; charset=utf-8",
    "summary-stories.csv": "text/csv; charset=utf-8",
    "summary-answers.csv": "text/csv; charset=utf-8",
}


@pytest.fixture
def seeded(training, live):
    return seed(training, live)


def base(training, live) -> str:
    return f"/trainings/{training.id}/sessions/{live.id}"


def test_page_and_every_download_for_a_member(trainer_client, training, live, seeded):
    page = trainer_client.get(base(training, live) + "/summary", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert FINNISH_QUESTION in html and HIDDEN_QUESTION not in html
    # The page speaks the reader's language, the document the training's.
    assert "Session summary" in html and 'lang="fi"' in html
    assert "4 posts are waiting for approval" in html
    for name, mimetype in DOWNLOADS.items():
        assert f"{base(training, live)}/{name}" in html, name
        response = trainer_client.get(f"{base(training, live)}/{name}")
        assert response.status_code == 200, name
        assert response.headers["Content-Type"] == mimetype, name
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment; filename=Kotoutumisen_perusteet_"), disposition
        assert f"_{live.code}_2026-03-12" in disposition
        assert response.headers["Cache-Control"] == "private, no-store"


def test_training_page_links_each_session_summary(trainer_client, training, live):
    html = trainer_client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert f'href="{base(training, live)}/summary"' in html


def test_also_while_the_session_is_live(trainer_client, training, live, seeded):
    assert live.is_open
    html = trainer_client.get(base(training, live) + "/summary").get_data(as_text=True)
    assert "3. Kysymykset" in html


def test_strangers_get_404_and_anonymous_the_login(app, training, live, make_user, seeded):
    other_owner = make_user("toinen@example.fi")
    other = create_training(other_owner, "Toinen koulutus")
    helper = make_user("apu@example.fi")
    invite_member(other, helper.email, "co_organiser")
    db.session.commit()
    client = app.test_client()
    login(client, helper.email)
    for name in ("summary", *DOWNLOADS):
        assert client.get(f"{base(training, live)}/{name}").status_code == 404, name
    # Their own training's id with this session: not theirs either.
    assert client.get(f"/trainings/{other.id}/sessions/{live.id}/summary").status_code == 404

    anonymous = app.test_client().get(f"{base(training, live)}/summary.pdf")
    assert anonymous.status_code == 302 and "/accounts/login" in anonymous.headers["Location"]


def test_trainer_of_the_training_may_read(app, training, live, make_user, seeded):
    helper = make_user("kouluttaja2@example.fi")
    invite_member(training, helper.email, "trainer")
    db.session.commit()
    client = app.test_client()
    login(client, helper.email)
    assert client.get(f"{base(training, live)}/summary").status_code == 200


def test_pdf_text_finnish_characters_and_page_numbers(trainer_client, training, live, seeded):
    pdf = trainer_client.get(f"{base(training, live)}/summary.pdf").data
    text = pdf_text(pdf)
    assert FINNISH_QUESTION in text
    assert "Tampereen kaupunki" in text and "Käytännön tilanne" in text
    assert HIDDEN_QUESTION not in text
    pages = re.findall(r"(\d+) / (\d+)", text)
    assert pages and pages[0][0] == "1" and int(pages[-1][0]) == int(pages[-1][1]) > 1


def test_docx_headings_are_the_pages_headings(trainer_client, training, live, seeded):
    html = trainer_client.get(f"{base(training, live)}/summary").get_data(as_text=True)
    document = html[html.index('<article class="summary"') :]
    headings = [
        h.replace("&#39;", "'").replace("&amp;", "&")
        for h in re.findall(r'<h\d class="summary-h\d"[^>]*>([^<]*)</h\d>', document)
    ]
    assert "3. Kysymykset" in headings and "4. Tapaukset" in headings
    docx = trainer_client.get(f"{base(training, live)}/summary.docx").data
    assert docx_headings(docx) == headings


def test_csv_has_every_question_with_its_status(trainer_client, training, live, seeded):
    data = trainer_client.get(f"{base(training, live)}/summary-questions.csv").data
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    with force_locale(training.language):
        header = [_("Id"), _("Step"), _("Asked at"), _("Question"), _("Votes"), _("Status")]
        hidden, visible = _("Hidden"), _("Visible")
    assert rows[0][:6] == header
    by_text = {row[3]: row for row in rows[1:]}
    assert len(by_text) == 6
    assert by_text[HIDDEN_QUESTION][5] == hidden and by_text[HIDDEN_QUESTION][4] == "9"
    assert by_text[FINNISH_QUESTION][5] == visible
    assert by_text[FINNISH_QUESTION][1] == "Kysymykset"
    assert by_text[FINNISH_QUESTION][2] == "2026-03-12 09:16"  # Helsinki time

    stories = trainer_client.get(f"{base(training, live)}/summary-stories.csv").data
    text = stories.decode("utf-8-sig")
    assert "Hylätty tarina" in text and "Odottava tarina" in text


def test_csv_cells_never_become_formulas(trainer_client, training, live, seeded):
    seeded["q_open"].body = '=HYPERLINK("http://evil")'
    db.session.commit()
    data = trainer_client.get(f"{base(training, live)}/summary-questions.csv").data
    assert "'=HYPERLINK" in data.decode("utf-8-sig")


def test_xlsx_sheets_round_trip(trainer_client, training, live, seeded):
    from openpyxl import load_workbook

    data = trainer_client.get(f"{base(training, live)}/summary.xlsx").data
    book = load_workbook(io.BytesIO(data))
    with force_locale(training.language):
        names = [_("Questions"), _("Case stories"), _("Answers")]
        hidden, rejected, pending = _("Hidden"), _("Rejected"), _("Waiting for approval")
        approved = _("Approved")
    assert book.sheetnames == names
    questions = list(book[names[0]].iter_rows(values_only=True))
    by_text = {row[3]: row for row in questions[1:]}
    assert by_text[HIDDEN_QUESTION][5] == hidden and by_text[HIDDEN_QUESTION][4] == 9
    assert by_text[FINNISH_QUESTION][2].isoformat() == "2026-03-12T09:16:00"
    stories = list(book[names[1]].iter_rows(values_only=True))
    assert {row[7] for row in stories[1:]} == {approved, rejected, pending}
    answers = list(book[names[2]].iter_rows(values_only=True))
    assert ("Kysyisin Virtaselta." in [row[4] for row in answers]) and any(
        row[5] == rejected for row in answers
    )
    # 3 + 3 poll answers, 7 assessments x 2 statements, feedback: 4 ratings + 4 texts
    assert len(answers) - 1 == 6 + 14 + 8


def test_json_is_the_summary(trainer_client, training, live, seeded):
    data = trainer_client.get(f"{base(training, live)}/summary.json").data
    assert json.loads(data) == build_summary(live)


def test_markdown_download(trainer_client, training, live, seeded):
    md = trainer_client.get(f"{base(training, live)}/summary.md").get_data(as_text=True)
    assert md.startswith("# Kotoutumisen perusteet") and FINNISH_QUESTION in md


def test_unknown_format_is_404(trainer_client, training, live):
    assert trainer_client.get(f"{base(training, live)}/summary.exe").status_code == 404
    assert trainer_client.get(f"{base(training, live)}/summary-votes.csv").status_code == 404
