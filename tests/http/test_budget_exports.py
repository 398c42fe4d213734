"""HTTP: the budget as CSV (Finnish Excel) and XLSX, read back as a user's program would."""

import csv
import io

import pytest
from openpyxl import load_workbook

from facilitation.budget import services
from facilitation.extensions import db
from facilitation.trainings.services import add_partner, create_training, invite_member
from tests.conftest import login


@pytest.fixture
def budget(training):
    training.title = "Kotoutumisen perusteet: Äänekoski"
    a = add_partner(training, {"name": "Kunta", "kind": "municipality"})
    b = add_partner(training, {"name": "Järjestö Öljymäki", "kind": "ngo_project"})
    services.save_line(
        training,
        {
            "category": "venue",
            "description": "Sali",
            "rule": "percent",
            "estimated": "1 250,50",
            "actual": "1 000",
            "partners": [a.id, b.id],
            f"percent_{a.id}": "60",
            f"percent_{b.id}": "40",
        },
    )
    services.save_line(
        training,
        {
            "category": "other",
            "description": "=SUM(A1)",  # stays text in the spreadsheet
            "rule": "single",
            "estimated": "0,03",
            "partners": [b.id],
        },
    )
    services.save_speaker(
        training, {"name": "Aino Asiantuntija", "status": "confirmed", "fee": "300,01"}
    )
    db.session.commit()
    return training, a, b


def test_csv_for_finnish_excel(trainer_client, budget):
    training, a, b = budget
    response = trainer_client.get(
        f"/trainings/{training.id}/budget.csv", headers={"Accept-Language": "fi"}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "Kotoutumisen_perusteet_Aanekoski-budget.csv" in disposition
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header, venue, other, fee, total = rows[:5]
    assert len(header) == 5 + 2 * 2
    assert "Järjestö Öljymäki" in header[5]
    # Partners by name: Järjestö Öljymäki first, then Kunta.
    assert venue[1] == "Sali" and venue[3:] == ["1250,50", "1000,00", "500,20", "400,00"] + [
        "750,30",
        "600,00",
    ]
    assert other[1] == "'=SUM(A1)" and other[3:6] == ["0,03", "", "0,03"] and other[7:] == ["", ""]
    assert fee[1] == "Aino Asiantuntija" and fee[3] == "300,01" and fee[4] == ""
    # Shared equally; the odd cent goes to the first partner by name.
    assert fee[5] == "150,01" and fee[7] == "150,00"
    assert total[3:] == ["1550,54", "1000,00", "650,24", "400,00", "900,30", "600,00"]
    # Each partner's totals after an empty row; they add up to the whole.
    assert rows[5] == []
    partners = rows[7:9]
    assert partners == [
        ["Järjestö Öljymäki", "650,24", "400,00"],
        ["Kunta", "900,30", "600,00"],
    ]
    assert rows[9][1:] == ["1550,54", "1000,00"]


def test_csv_in_english_has_a_decimal_point(trainer_client, budget):
    training = budget[0]
    response = trainer_client.get(
        f"/trainings/{training.id}/budget.csv", headers={"Accept-Language": "en"}
    )
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0][:5] == ["Category", "Description", "Sharing", "Estimated (€)", "Actual (€)"]
    assert rows[1][0] == "Venue" and rows[1][3] == "1250.50"


def test_xlsx_has_real_numbers_and_a_partner_sheet(trainer_client, budget):
    training, a, b = budget
    response = trainer_client.get(
        f"/trainings/{training.id}/budget.xlsx", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "-budget.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Budget", "Partners"]
    sheet = book["Budget"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][5] == "Järjestö Öljymäki: estimated (€)"
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    venue = rows[1]
    assert venue[:3] == ("Venue", "Sali", "Järjestö Öljymäki 40 %, Kunta 60 %")
    assert [round(v, 2) for v in venue[3:]] == [1250.5, 1000.0, 500.2, 400.0, 750.3, 600.0]
    assert sheet["D2"].number_format == "#,##0.00 €"
    assert rows[2][1] == "=SUM(A1)" and sheet["B3"].data_type == "s"  # text, not a formula
    assert rows[3][1] == "Aino Asiantuntija" and rows[3][4] is None
    total = rows[4]
    assert total[0] == "Total" and sheet["A5"].font.b
    assert [round(v, 2) for v in total[3:]] == [1550.54, 1000.0, 650.24, 400.0, 900.3, 600.0]
    assert sheet.column_dimensions["B"].width >= len("Aino Asiantuntija")
    partners = list(book["Partners"].iter_rows(values_only=True))
    assert partners[0] == ("Partner", "Estimated (€)", "Actual (€)")
    assert partners[1][0] == "Järjestö Öljymäki" and round(partners[1][1], 2) == 650.24
    assert round(partners[1][1] + partners[2][1], 2) == round(partners[3][1], 2) == 1550.54


def test_exports_are_for_members_only(app, budget, make_user):
    training = budget[0]
    # A co-organiser of another training learns nothing about this one.
    elsewhere = make_user("muualla@example.fi")
    other = create_training(make_user(), "Toinen")
    invite_member(other, elsewhere.email, "co_organiser")
    helper = make_user("apu@example.fi")
    invite_member(training, helper.email, "trainer")
    db.session.commit()
    client = app.test_client()
    login(client, elsewhere.email)
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/trainings/{training.id}/budget.{fmt}").status_code == 404
    client = app.test_client()
    login(client, helper.email)
    assert client.get(f"/trainings/{training.id}/budget.xlsx").status_code == 200
    assert client.get(f"/trainings/{training.id}/budget.pdf").status_code == 404
    assert app.test_client().get(f"/trainings/{training.id}/budget.csv").status_code == 302


def test_the_budget_page_links_the_downloads(trainer_client, budget):
    training = budget[0]
    html = trainer_client.get(f"/trainings/{training.id}/budget").get_data(as_text=True)
    assert f'href="/trainings/{training.id}/budget.xlsx"' in html
    assert f'href="/trainings/{training.id}/budget.csv"' in html
