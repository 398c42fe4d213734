"""HTTP: the organisers' follow-up page, the public page /f/<id>, materials,
access, deleting raw data, and the follow-up link on the live pages."""

import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from facilitation.agenda import services as agenda
from facilitation.extensions import db
from facilitation.followup.models import Material
from facilitation.live.services import close_session
from facilitation.questions.models import Question
from facilitation.retention.models import PurgeRecord
from facilitation.trainings.services import create_training, invite_member
from tests import raw_data
from tests.conftest import csrf_from, login, swaps

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HOSTILE = (
    "**Kyllä.** Katso [ohje](https://example.fi/ohje).\n\n"
    "<script>alert('xss')</script>\n\n"
    '<a href="https://example.fi/x" onclick="steal()">linkki</a> '
    '<img src=x onerror="steal()">'
)


def _base(live) -> str:
    return f"/trainings/{live.training_id}/sessions/{live.id}/followup"


def _post(client, live, path="", **data):
    token = csrf_from(client, _base(live))
    return client.post(_base(live) + path, data={"csrf_token": token, **data})


@pytest.fixture
def questions(live):
    """Two visible questions (one with more votes), a hidden and a pending one."""
    rows = {
        "top": raw_data.question(live, "Miten tulkki tilataan?", votes=3),
        "other": raw_data.question(live, "Kuka maksaa tulkin?", votes=1),
        "hidden": raw_data.question(live, "Piilotettu kysymys", status="hidden"),
        "pending": raw_data.question(live, "Odottava kysymys", status="pending"),
    }
    db.session.commit()
    return rows


def _upload(client, live, name, data, lang="en", **fields):
    token = csrf_from(client, _base(live))
    response = client.post(
        _base(live) + "/materials",
        data={"csrf_token": token, "file": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
        headers={"Accept-Language": lang},
    )
    # The test client spools a large body to a temporary file and leaves it open.
    response.request.environ["wsgi.input"].close()
    return response


def _public(client, live, lang="fi"):
    return client.get(f"/f/{live.followup_id}", headers={"Accept-Language": lang})


def test_an_answer_is_published_sanitised_in_every_language(
    trainer_client, app, live, questions, training
):
    training.starts_at = datetime(2025, 2, 3, 8, 0, tzinfo=UTC)
    db.session.commit()
    top = questions["top"]
    response = _post(trainer_client, live, f"/questions/{top.id}", answer=HOSTILE)
    assert response.status_code == 302
    db.session.refresh(top)
    assert top.followup_answered_at is not None and "Kyllä" in top.followup_answer

    assert _post(trainer_client, live, "/publish").status_code == 302
    db.session.refresh(live)
    assert len(live.followup_id) == 12 and live.followup_published_at is not None

    visitor = app.test_client()  # no account
    dates = {"fi": "3. helmikuuta 2025", "sv": "3 februari 2025", "en": "February 3, 2025"}
    for lang, date in dates.items():
        response = _public(visitor, live, lang)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in html and date in html
        assert "Kotoutumisen perusteet" in html
        assert "<strong>Kyllä.</strong>" in html
        assert '<a href="https://example.fi/ohje" rel="noopener noreferrer">ohje</a>' in html
        assert "<script>alert" not in html and "alert('xss')" not in html
        assert "onclick" not in html and "onerror" not in html and "steal()" not in html
        # Answered first; the unanswered visible question is listed as not answered yet.
        assert html.index("Miten tulkki tilataan?") < html.index("Kuka maksaa tulkin?")
        assert response.headers["Referrer-Policy"] == "no-referrer"

    # Unpublished: gone, but the address is kept for the next publish.
    followup_id = live.followup_id
    assert _post(trainer_client, live, "/unpublish").status_code == 302
    assert _public(visitor, live).status_code == 404
    _post(trainer_client, live, "/publish")
    db.session.refresh(live)
    assert live.followup_id == followup_id and _public(visitor, live).status_code == 200


def test_an_unknown_or_never_published_page_is_not_found(client, live):
    assert client.get("/f/doesnotexist").status_code == 404
    live.followup_id = "abcdefghijkl"  # made, never published
    db.session.commit()
    assert client.get("/f/abcdefghijkl").status_code == 404


def test_hidden_and_pending_questions_never_appear(trainer_client, client, live, questions):
    organiser_html = trainer_client.get(_base(live)).get_data(as_text=True)
    _post(trainer_client, live, "/publish")
    db.session.refresh(live)
    public_html = _public(client, live).get_data(as_text=True)
    for html in (organiser_html, public_html):
        assert "Miten tulkki tilataan?" in html and "Kuka maksaa tulkin?" in html
        assert "Piilotettu kysymys" not in html and "Odottava kysymys" not in html
    # Nor can they be answered by a crafted post.
    response = _post(trainer_client, live, f"/questions/{questions['hidden'].id}", answer="Ei")
    assert response.status_code == 400
    db.session.refresh(questions["hidden"])
    assert questions["hidden"].followup_answer == ""


def test_stories_only_when_chosen_and_only_approved(trainer_client, client, live):
    raw_data.story(live, "Hyväksytty tarina kirjeestä")
    raw_data.story(live, "Odottava tarina", status="pending")
    raw_data.story(live, "Hylätty tarina", status="rejected")
    db.session.commit()
    _post(trainer_client, live, "/publish")
    db.session.refresh(live)
    assert "Hyväksytty tarina" not in _public(client, live).get_data(as_text=True)

    response = _post(
        trainer_client, live, "/settings", intro="Kiitos *kaikille*!", show_stories="1"
    )
    assert response.status_code == 302
    html = _public(client, live).get_data(as_text=True)
    assert "Hyväksytty tarina kirjeestä" in html and "<em>kaikille</em>" in html
    assert "Odottava tarina" not in html and "Hylätty tarina" not in html


def test_a_material_is_uploaded_and_downloaded(trainer_client, client, live):
    response = _upload(trainer_client, live, "Esitys työllisyys.pdf", PDF, title="Aamupäivän diat")
    assert response.status_code == 302
    material = db.session.scalar(select(Material))
    assert (material.title, material.filename, material.size) == (
        "Aamupäivän diat",
        "Esitys työllisyys.pdf",
        len(PDF),
    )
    _post(trainer_client, live, "/publish")
    db.session.refresh(live)
    html = _public(client, live).get_data(as_text=True)
    assert "Aamupäivän diat" in html
    href = re.search(r'href="([^"]+/materials/[^"]+)"', html).group(1)
    download = client.get(href)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "Esitys%20ty%C3%B6llisyys.pdf" in disposition
    # Another name in the address, or an unpublished page: not found.
    assert client.get(href.rsplit("/", 1)[0] + "/other.pdf").status_code == 404
    _post(trainer_client, live, "/unpublish")
    assert client.get(href).status_code == 404

    # Renamed and removed by the organiser.
    _post(trainer_client, live, f"/materials/{material.id}", title="Diat")
    db.session.refresh(material)
    assert material.title == "Diat"
    _post(trainer_client, live, f"/materials/{material.id}/delete")
    assert db.session.scalar(select(func.count()).select_from(Material)) == 0


def _office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part + "document.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ohjelma.exe", b"MZ\x90\x00", "cannot be added"),
        ("sivu.pdf", b"<!doctype html><script>alert(1)</script>", "not a PDF file"),
        ("diat.pptx", _office("word/"), "not a PPTX file"),
        ("kuva.png", PDF, "not a PNG file"),
    ],
)
def test_a_disallowed_file_is_refused_with_a_reason(trainer_client, live, name, data, message):
    response = _upload(trainer_client, live, name, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Material)) == 0


def test_office_files_and_text_are_accepted(trainer_client, live):
    for name, data in (("muistio.docx", _office("word/")), ("ohje.txt", "Hyvä ohje\n".encode())):
        response = _upload(trainer_client, live, name, data)
        assert response.status_code == 302, response.get_data(as_text=True)
    types = set(db.session.scalars(select(Material.content_type)))
    assert types == {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "text/plain; charset=utf-8",
    }


def test_too_large_files_are_refused(trainer_client, live):
    for size, status in ((10 * 1024 * 1024 + 100_000, 400), (11 * 1024 * 1024, 413)):
        response = _upload(trainer_client, live, "iso.pdf", PDF + b"0" * size)
        assert response.status_code == status
        assert "The file is too large: at most 10 MB." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Material)) == 0


def test_access(app, trainer_client, live, questions, make_user, trainer):
    page = _base(live)
    anonymous = app.test_client()
    response = anonymous.get(page)
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]

    # A co-organiser of another training learns nothing about this one.
    stranger = make_user("vieras@example.fi")
    other = create_training(stranger, "Toinen koulutus")
    db.session.commit()
    outsider = app.test_client()
    login(outsider, stranger.email)
    assert outsider.get(page).status_code == 404
    assert outsider.get(f"/trainings/{other.id}/sessions/{live.id}/followup").status_code == 404

    # A trainer of this training may look, not change.
    helper = make_user("apu@example.fi")
    invite_member(live.training, helper.email, "trainer")
    db.session.commit()
    viewer = app.test_client()
    login(viewer, helper.email)
    html = viewer.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Miten tulkki tilataan?" in html and "Save answer" not in html
    for path, data in (
        (f"/questions/{questions['top'].id}", {"answer": "Ei"}),
        ("/publish", {}),
        ("/settings", {"intro": "Hei"}),
        ("/materials", {}),
    ):
        assert _post(viewer, live, path, **data).status_code == 403
    token = csrf_from(viewer, page)
    delete = viewer.post(
        f"/trainings/{live.training_id}/sessions/{live.id}/raw-data/delete",
        data={"csrf_token": token, "confirm": live.code},
    )
    assert delete.status_code == 403


def test_an_organiser_deletes_the_raw_data_after_confirming(trainer_client, client, live, trainer):
    raw_data.question(live, "Miten tulkki tilataan?", votes=2, answer="Tulkkikeskuksesta.")
    raw_data.question(live, "Kuka maksaa?", votes=1)
    db.session.commit()
    _post(trainer_client, live, "/publish")
    url = f"/trainings/{live.training_id}/sessions/{live.id}/raw-data/delete"
    token = csrf_from(trainer_client, _base(live))

    # Open: the page asks to close it first, and a post is refused.
    assert "close the session first" in trainer_client.get(
        _base(live), headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert (
        trainer_client.post(url, data={"csrf_token": token, "confirm": live.code}).status_code
        == 400
    )

    close_session(live)
    db.session.commit()
    wrong = trainer_client.post(
        url, data={"csrf_token": token, "confirm": "XXXXXX"}, headers={"Accept-Language": "en"}
    )
    assert wrong.status_code == 400 and f"join code {live.code}" in wrong.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 2

    response = trainer_client.post(url, data={"csrf_token": token, "confirm": live.code})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0
    record = db.session.scalar(select(PurgeRecord))
    assert (record.reason, record.user_id, record.session_id) == ("organiser", trainer.id, live.id)
    assert record.counts["questions"] == 2 and record.counts["question_votes"] == 3

    # The organisers' page, the public page and the summary still render.
    html = trainer_client.get(_base(live), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Tulkkikeskuksesta." in html and "can no longer be changed" in html
    db.session.refresh(live)
    public = _public(client, live).get_data(as_text=True)
    assert "Miten tulkki tilataan?" in public and "Tulkkikeskuksesta." in public
    assert "Kuka maksaa?" not in public  # can never be answered now: not listed
    summary = trainer_client.get(f"/trainings/{live.training_id}/sessions/{live.id}/summary")
    assert summary.status_code == 200 and "Miten tulkki tilataan?" in summary.get_data(as_text=True)


def test_retention_is_set_on_the_training_form(trainer_client, training):
    page = f"/trainings/{training.id}/edit"
    token = csrf_from(trainer_client, page)
    form = {
        "csrf_token": token,
        "title": training.title,
        "date": "2099-03-04",
        "start_time": "09:00",
    }
    for bad in ("0", "3651", "kolme", "1.5"):
        response = trainer_client.post(
            page, data={**form, "retention_days": bad}, headers={"Accept-Language": "en"}
        )
        assert response.status_code == 400
        assert "whole number of days, from 1 to 3650" in response.get_data(as_text=True)
    assert trainer_client.post(page, data={**form, "retention_days": "30"}).status_code == 302
    db.session.refresh(training)
    assert training.retention_days == 30
    html = trainer_client.get(f"/trainings/{training.id}", headers={"Accept-Language": "en"})
    assert "will be deleted on Apr 3, 2099 (30 days after the training)" in html.get_data(
        as_text=True
    )
    # An empty field is the default; the edit form shows the stored value.
    trainer_client.post(page, data={**form, "date": "2020-01-10", "retention_days": ""})
    db.session.refresh(training)
    assert training.retention_days == 90
    assert 'name="retention_days" type="number"' in trainer_client.get(page).get_data(as_text=True)
    html = trainer_client.get(f"/trainings/{training.id}", headers={"Accept-Language": "en"})
    assert "retention period ended on Apr 9, 2020" in html.get_data(as_text=True)


def test_an_undated_training_says_it_is_never_purged(trainer_client, training):
    html = trainer_client.get(
        f"/trainings/{training.id}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "not deleted automatically" in html


# --- the live pages -----------------------------------------------------------------


@pytest.fixture
def steps(live):
    first = agenda.add_step(
        live, "info", "Tervetuloa", 10, "", "Infopankki https://www.infopankki.fi"
    )
    last = agenda.add_step(
        live, "questions", "Kysymykset ja lopetus", 10, "", "https://kotoutuminen.fi"
    )
    db.session.commit()
    return first, last


def test_phones_and_projector_show_the_follow_up_once_published(
    app, trainer_client, live, steps, connect
):
    phone_client = app.test_client()
    assert 'id="followup-link" hidden' in phone_client.get(f"/j/{live.code}").get_data(as_text=True)
    phone = connect(live.code, "participant", phone_client)
    projector = connect(live.code, "projector", trainer_client)
    phone.get_received(), projector.get_received()

    _post(trainer_client, live, "/publish")
    db.session.refresh(live)
    link = f"/f/{live.followup_id}"
    (piece,) = swaps(phone.get_received(), "#followup-link")
    assert f'href="{link}"' in piece["html"]
    (stage,) = swaps(projector.get_received(), "#stage")
    assert f"training.test{link}" in stage["html"] and "<svg" in stage["html"]  # the lobby

    phone_html = phone_client.get(f"/j/{live.code}").get_data(as_text=True)
    assert f'<a id="followup-link" class="phone-bar__followup" href="{link}"' in phone_html

    agenda.start(live)
    db.session.commit()
    first_step = trainer_client.get(f"/p/{live.code}").get_data(as_text=True)
    assert link not in first_step
    agenda.next_step(live)
    db.session.commit()
    last_step = trainer_client.get(f"/p/{live.code}").get_data(as_text=True)
    assert f"training.test{link}" in last_step and "stage-followup" in last_step

    # The toolkit links of all steps reach the public page, each once.
    html = app.test_client().get(link).get_data(as_text=True)
    assert html.count("https://www.infopankki.fi") == 1 and "https://kotoutuminen.fi" in html


def test_the_end_screen_keeps_the_follow_up_link(trainer_client, live, connect, steps):
    _post(trainer_client, live, "/publish")
    phone = connect(live.code)
    phone.get_received()
    token = csrf_from(trainer_client, f"/trainings/{live.training_id}")
    trainer_client.post(
        f"/trainings/{live.training_id}/sessions/{live.id}/close", data={"csrf_token": token}
    )
    db.session.refresh(live)
    # The phone is disconnected right after the end screen; its queue holds it.
    assert not phone.is_connected()
    (closed,) = swaps(phone.queue, "#live-main")
    assert f"/f/{live.followup_id}" in closed["html"]
