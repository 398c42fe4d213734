"""The personal-data guard (facilitation/cases/guard.py): pure Python, no app.

The shared cases in guard_cases.json run here and, through Node, against
static/js/guard.js (test_guard_js.py). The tests below add what is easier to
say in Python: every century sign of a HETU, every wrong check character,
phone formats one by one, highlight()'s HTML, the data file and speed.
"""

import dataclasses
import json
from pathlib import Path

import pytest
from markupsafe import Markup

from facilitation.cases import guard
from facilitation.cases.guard import Finding, highlight, scan

CASES = json.loads((Path(__file__).with_name("guard_cases.json")).read_text("utf-8"))["cases"]
CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text)]


def hetu(ddmmyy: str, sign: str, serial: str) -> str:
    """A HETU with its check character computed here, independently of guard.py."""
    return f"{ddmmyy}{sign}{serial}{CHECK[int(ddmmyy + serial) % 31]}"


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_shared_case(case: dict) -> None:
    assert [[kind, text] for kind, text in found(case["text"])] == case["expect"]


def test_shared_cases_cover_every_kind_both_ways() -> None:
    kinds = {kind for case in CASES for kind, _ in case["expect"]}
    assert kinds == set(guard.PRIORITY)
    assert sum(1 for case in CASES if not case["expect"]) >= 25  # false positives avoided
    assert len(CASES) >= 100


# -- HETU ----------------------------------------------------------------------

CENTURY_SIGNS = {
    "+": "050505",  # 1800s
    "-": "131052",
    "U": "070707",
    "V": "150175",
    "W": "121212",
    "X": "300690",
    "Y": "311299",
    "A": "150304",  # 2000s
    "B": "241210",
    "C": "220822",
    "D": "101010",
    "E": "030303",
    "F": "010620",
}


@pytest.mark.parametrize("sign", CENTURY_SIGNS)
def test_valid_hetu_with_every_century_sign(sign: str) -> None:
    code = hetu(CENTURY_SIGNS[sign], sign, "234")
    assert found(f"Tunnus {code} lomakkeessa.") == [("hetu", code)]
    assert found(f"tunnus {code.lower()}") == [("hetu", code.lower())]


@pytest.mark.parametrize("sign", CENTURY_SIGNS)
def test_wrong_check_character_is_never_a_hetu(sign: str) -> None:
    right = hetu(CENTURY_SIGNS[sign], sign, "234")
    for check in CHECK:
        if check == right[-1]:
            continue
        wrong = right[:-1] + check
        assert found(wrong) == [("hetu_like", wrong)], wrong


@pytest.mark.parametrize(
    "code", ["131052-308T", "010101-123N", "150384A215P", "290200A1239", "050505+555E"]
)
def test_hard_coded_valid_hetus(code: str) -> None:
    assert code == hetu(code[:6], code[6], code[7:10])
    assert found(code) == [("hetu", code)]


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (hetu("131052", "-", "001"), "serial below 002"),
        (hetu("131052", "-", "950"), "temporary serial 900-999"),
        (hetu("310452", "-", "308"), "31 April"),
        (hetu("290201", "A", "123"), "2001 is no leap year"),
        (hetu("290200", "-", "123"), "1900 is no leap year"),
    ],
)
def test_hetu_shaped_but_invalid_is_only_hetu_like(code: str, why: str) -> None:
    assert found(code) == [("hetu_like", code)], why


def test_leap_day_2000_is_valid() -> None:
    code = hetu("290200", "A", "123")
    assert found(code) == [("hetu", code)]


@pytest.mark.parametrize(
    "text", ["A131052-308T", "131052-308TX", "9131052-308T", "131052Z308T", "011352-308T"]
)
def test_no_hetu_inside_words_or_with_impossible_parts(text: str) -> None:
    assert found(text) == []


def test_the_check_character_helper_matches_the_spec() -> None:
    assert guard.hetu_check_char("131052", "308") == "T"


# -- phone numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "040 123 4567",
        "040-1234567",
        "0401234567",
        "050 123 45 67",
        "045 678 9012",
        "09 123 4567",
        "(09) 1234 567",
        "020 692 200",
        "+358 40 123 4567",
        "+358401234567",
        "00358 40 1234567",
        "+358 (0)40 123 4567",
        "+46 70 123 45 67",
        "+44 20 7946 0958",
        "+1 212 555 0100",
        "+46 8 123 456 78",
    ],
)
def test_phone_formats(number: str) -> None:
    assert found(f"Soita numeroon {number}, kiitos.") == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Vuonna 2024 tuli 2025 asiakasta.",
        "Tapaaminen 12.3.2025 klo 10.15.",
        "Päivä 01-02-2025 oli maanantai.",
        "Tuki 1 200 € ja 14 400 euroa.",
        "Laki 681/2023 ja 1386/2010.",
        "Hätänumero 112 ja koodi 12345.",
        "Osuus 10,8 % ja 8 %.",
        "Luku 558 294.",
        "Postinumero 00100 ja 0400 123.",
        "131052-308T",
        "Aika 08.00-16.00.",
    ],
)
def test_not_phone_numbers(text: str) -> None:
    assert "phone" not in {kind for kind, _ in found(text)}


# -- e-mail, addresses -----------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["fatima.ali@example.com", "a.b+c@mail.example.co.uk", "etunimi.sukunimi(at)kela.fi"],
)
def test_email(address: str) -> None:
    assert found(f"Viesti osoitteeseen {address}.") == [("email", address)]


@pytest.mark.parametrize(
    "street",
    [
        "Mannerheimintie 12 B 5",
        "Hämeenkatu 3 a 10",
        "Storgatan 5",
        "Ratapihantie 11",
        "Kotikatu 3 as. 4",
        "Koivukuja 2 A",
        "Rantaraitti 14",
        "Kauppatori 1",
        "Skolvägen 12 A 3",
        "Esplanaden 7",
    ],
)
def test_street_addresses(street: str) -> None:
    assert found(f"Osoite on {street}, ovikoodi tiedossa.") == [("address", street)]


@pytest.mark.parametrize(
    "postal", ["00100 Helsinki", "33100 TAMPERE", "65100 Vasa", "FI-02100 Espoo"]
)
def test_postal_code_and_town(postal: str) -> None:
    assert found(f"Postiosoite on {postal}.") == [("address", postal)]


def test_street_suffixes_come_from_the_data_file() -> None:
    data = guard.load_data()
    assert {"katu", "tie", "kuja", "gatan", "vägen"} <= set(data.street_suffixes)


# -- names -----------------------------------------------------------------------


def test_helsinki_is_not_a_name() -> None:
    assert found("Asun nykyään Helsinki-talossa, ja Helsinki on kaunis.") == []


def test_name_at_sentence_start_is_not_reported() -> None:
    assert found("Matti meni Kelaan.") == []
    assert found("Asiakas Fatima kertoi tarinansa.") == [("name", "Fatima")]


def test_full_name_is_reported_even_at_sentence_start() -> None:
    assert found("Fatima Ali kertoi tarinansa.") == [("name", "Fatima Ali")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kävin Fatiman kanssa Kelassa.", "Fatiman"),
        ("Annoin paperit Fatimalle.", "Fatimalle"),
        ("Tapasin eilen Matin.", "Matin"),
        ("Puhuin Pekalle ja", "Pekalle"),
        ("Soitin Ahmedille.", "Ahmedille"),
        ("Kysyin Mohammedilta.", "Mohammedilta"),
        ("Tapasin Olgan.", "Olgan"),
    ],
)
def test_inflected_names(text: str, name: str) -> None:
    assert found(text) == [("name", name)]


def test_names_that_are_also_words_only_when_capitalised_mid_sentence() -> None:
    assert found("Toivo on tärkeää. Ulkona tuuli, ja toivo ja usko kantoivat.") == []
    assert found("Kävin Toivon ja Usko Virtasen kanssa.") == [
        ("name", "Toivon"),
        ("name", "Usko Virtasen"),
    ]


# -- results -------------------------------------------------------------------------

STORY = (
    "Tapasin viime viikolla asiakkaan, jonka nimi on Fatima Hassan. Hän antoi "
    "henkilötunnuksensa 131052-308T ja puhelinnumeronsa 040 123 4567, ja kertoi, että "
    "hänen poikansa Abdi on koulussa Ratapihantie 11:ssä.\n"
    "Kerroin lain 681/2023 muutoksista ja siitä, että tuki on 1 200 € kuussa."
)


def test_realistic_story_end_to_end() -> None:
    findings = scan(STORY)
    assert [(f.kind, f.text) for f in findings] == [
        ("name", "Fatima Hassan"),
        ("hetu", "131052-308T"),
        ("phone", "040 123 4567"),
        ("name", "Abdi"),
        ("address", "Ratapihantie 11"),
    ]
    for f in findings:
        assert STORY[f.start : f.end] == f.text
    html = str(highlight(STORY, findings))
    assert '<mark class="pd pd--hetu" data-kind="hetu">131052-308T</mark>' in html
    assert '<mark class="pd pd--name" data-kind="name">Fatima Hassan</mark>' in html
    assert "</mark>:ssä.\nKerroin" in html  # newlines kept for white-space: pre-line


def test_findings_are_sorted_disjoint_and_frozen() -> None:
    findings = scan(STORY + " " + STORY)
    starts = [f.start for f in findings]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))
    with pytest.raises(dataclasses.FrozenInstanceError):
        findings[0].kind = "other"  # type: ignore[misc]


def test_overlaps_keep_the_more_important_kind() -> None:
    assert found("Kysy Ali.Hassan@example.org") == [("email", "Ali.Hassan@example.org")]
    assert found("010203-1230") == [("hetu", "010203-1230")]  # also phone-shaped
    assert guard.PRIORITY == ("hetu", "hetu_like", "email", "phone", "address", "name")


def test_empty_text() -> None:
    assert scan("") == []
    assert highlight("", []) == Markup("")


# -- highlight -------------------------------------------------------------------------


def test_highlight_escapes_html_and_wraps_findings() -> None:
    text = '<script>alert("x")</script> Asiakas <b>Fatima</b> & 040 123 4567'
    html = highlight(text, scan(text))
    assert isinstance(html, Markup)
    assert str(html) == (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Asiakas &lt;b&gt;"
        '<mark class="pd pd--name" data-kind="name">Fatima</mark>&lt;/b&gt; &amp; '
        '<mark class="pd pd--phone" data-kind="phone">040 123 4567</mark>'
    )


def test_highlight_escapes_the_marked_text_too() -> None:
    html = highlight("a<b>c", [Finding("name", 1, 4, "<b>")])
    assert str(html) == 'a<mark class="pd pd--name" data-kind="name">&lt;b&gt;</mark>c'


def test_highlight_skips_overlapping_and_out_of_range_findings() -> None:
    findings = [
        Finding("phone", 2, 4, "cd"),
        Finding("name", 1, 3, "bc"),
        Finding("email", 5, 99, "f"),
        Finding("name", 4, 4, ""),
    ]
    assert str(highlight("abcdef", findings)) == (
        'a<mark class="pd pd--name" data-kind="name">bc</mark>def'
    )


def test_highlight_keeps_newlines() -> None:
    text = "Rivi 1\nAsiakas Fatima\n\nloppu"
    assert str(highlight(text, scan(text))) == (
        'Rivi 1\nAsiakas <mark class="pd pd--name" data-kind="name">Fatima</mark>\n\nloppu'
    )


# -- data and speed ----------------------------------------------------------------------


def test_data_file_has_names_for_the_main_languages() -> None:
    raw = json.loads(guard.DATA_PATH.read_text("utf-8"))
    for lang in ("fi", "sv", "ar", "so", "ru", "uk", "et", "fa", "ku", "en"):
        assert len(raw[lang]) >= 100, lang
    data = guard.load_data()
    assert len(data.names) >= 1500
    assert {"fatima", "mohammed", "abdullahi", "oksana", "kadri", "matti", "karin"} <= data.names
    assert not data.names & data.not_names  # a word is one or the other
    assert {"helsinki", "kela", "migri", "suomi"} <= data.not_names


def test_data_is_loaded_once() -> None:
    assert guard.load_data() is guard.load_data()


def test_scan_finishes_on_long_and_hostile_texts() -> None:
    """Inputs that a careless pattern scans in quadratic time. How fast is
    measured in bench/guard_speed.py, not here."""
    texts = [
        STORY * 40,  # about 12,000 characters
        "a" * 20_000 + "@",
        "0" * 5_000 + " " + "1 " * 5_000,
        "Fatima " * 3_000,
        "+" + "1 " * 8_000,
        "a." * 10_000 + "@b",
        "Ab" * 10_000 + " 1",
    ]
    results = [scan(text) for text in texts]
    assert {f.kind for f in results[0]} >= {"hetu", "phone"}
    assert results[1] == [] and results[5] == []
