"""Poll charts: valid, escaped, deterministic SVG with the right numbers in it."""

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from facilitation.polls import charts
from facilitation.polls.charts import bar_chart, scale_chart, word_cloud

NS = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"
EVIL = "<script>alert('x')</script> & <b>bold</b>"


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    root = ET.fromstring(str(svg))  # raises on anything that is not well-formed XML
    assert root.tag == f"{NS}svg"
    return root


def texts(root: ET.Element, cls: str) -> list[str]:
    return [
        "".join(node.itertext())
        for node in root.iter(f"{NS}text")
        if cls in node.get("class", "").split()
    ]


def rects(root: ET.Element, cls: str) -> list[ET.Element]:
    return [node for node in root.iter(f"{NS}rect") if cls in node.get("class", "").split()]


def assert_svg_basics(svg: Markup, title: str) -> ET.Element:
    root = parse(svg)
    assert root.get("width") == "100%"
    assert root.get("role") == "img"
    assert root.get("aria-label") == title
    assert root.get("viewBox").startswith("0 0 ")
    assert root.find(f"{NS}title").text == title
    assert "<script" not in str(svg)
    return root


# --- bar chart ------------------------------------------------------------------


def test_bar_chart_shows_labels_counts_and_percentages():
    svg = bar_chart([("Kyllä", 3), ("Ei", 1), ("En osaa sanoa", 0)], title="Kysymys")
    root = assert_svg_basics(svg, "Kysymys")
    assert texts(root, "chart__label") == ["Kyllä", "Ei", "En osaa sanoa"]
    assert texts(root, "chart__value") == [
        f"3 · 75{NBSP}%",
        f"1 · 25{NBSP}%",
        f"0 · 0{NBSP}%",
    ]
    bars = rects(root, "chart__bar")
    assert len(bars) == 2  # a zero count has an empty track only
    assert len(rects(root, "chart__track")) == 3
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[0] == pytest.approx(3 * widths[1], abs=0.2)


def test_bar_chart_has_inline_colours_and_css_hooks():
    root = parse(bar_chart([("A", 1)], title="t"))
    (bar,) = rects(root, "chart__bar")
    assert bar.get("fill") == "#0b5cad"
    for node in root.iter(f"{NS}text"):
        assert node.get("fill", "").startswith("#")  # no currentColor: a PDF has no page CSS
    assert root.get("font-family") == "system-ui, sans-serif"


def test_bar_chart_with_zero_total_has_empty_bars():
    root = parse(bar_chart([("Kyllä", 0), ("Ei", 0)], title="t", total_label="0 vastausta"))
    assert rects(root, "chart__bar") == []
    assert texts(root, "chart__value") == [f"0 · 0{NBSP}%"] * 2
    assert texts(root, "chart__total") == ["0 vastausta"]


def test_bar_chart_without_items_shows_the_empty_text():
    root = parse(bar_chart([], title="t", empty_text="Ei vastauksia"))
    assert texts(root, "chart__empty") == ["Ei vastauksia"]


def test_bar_chart_formatters_are_used():
    svg = bar_chart(
        [("A", 1), ("B", 2)],
        title="t",
        percent_format=lambda p: f"{p:.1f} pct",
        number_format=lambda n: f"n={n}",
    )
    assert texts(parse(svg), "chart__value") == ["n=1 · 33.3 pct", "n=2 · 66.7 pct"]


def test_default_percent_rounds_halves_up():
    assert charts.default_percent(12.5) == f"13{NBSP}%"
    assert charts.default_percent(0.4) == f"0{NBSP}%"


def test_bar_chart_escapes_labels_and_title():
    svg = bar_chart([(EVIL, 2), ("R&D", 1)], title='<T> & "quotes"', total_label="<n>")
    root = assert_svg_basics(svg, '<T> & "quotes"')
    assert texts(root, "chart__label") == [EVIL, "R&D"]
    assert texts(root, "chart__total") == ["<n>"]
    assert "&lt;script&gt;" in str(svg)


def test_control_characters_do_not_break_the_xml():
    svg = bar_chart([("a\x00b\x0bc\x1f", 1)], title="x\x08y")
    root = parse(svg)
    assert texts(root, "chart__label") == ["ab c"]
    assert root.get("aria-label") == "xy"


def test_long_labels_wrap_onto_two_lines_then_get_an_ellipsis():
    long = " ".join(["tulkkauspalvelu"] * 20)
    root = parse(bar_chart([(long, 1), ("x" * 200, 1), ("Lyhyt", 1)], title="t"))
    labels = texts(root, "chart__label")
    # two lines for each long label, one for the short one
    assert len(labels) == 5
    assert labels[1].endswith("…") and labels[3].endswith("…")
    assert labels[4] == "Lyhyt"
    limit = charts.BAR_WIDTH - 2 * charts.BAR_PAD
    for line in labels:
        assert charts.estimate_text_width(line, charts.BAR_LABEL_SIZE) <= limit
    # the full text stays available as a tooltip
    tooltips = [g.find(f"{NS}title") for g in root.iter(f"{NS}g")]
    assert tooltips[0].text == long


def test_wrap_text_breaks_at_spaces_and_splits_only_overlong_words():
    assert charts.wrap_text("aaa bbb ccc", 10, 1000) == ["aaa bbb ccc"]
    width = charts.estimate_text_width("aaaa bbbb", 10)
    assert charts.wrap_text("aaaa bbbb cccc", 10, width) == ["aaaa bbbb", "cccc"]
    assert charts.wrap_text("aaaa bbbb cccc dddd", 10, width) == ["aaaa bbbb", "cccc dddd"]
    assert charts.wrap_text("aaaa bbbb cccc dddd eeee", 10, width)[1].endswith("…")
    parts = charts.wrap_text("x" * 50, 10, 100, 3)  # one word wider than a line
    assert len(parts) == 3 and parts[0] == "x" * len(parts[0]) and parts[2].endswith("…")
    assert charts.wrap_text("", 10, 100) == [""]
    assert charts.wrap_text(f"40{NBSP}%", 10, 1) != ["40", "%"]  # never breaks at NBSP


def test_highlighted_rows_are_marked():
    root = parse(bar_chart([("A", 1), ("B", 1)], title="t", highlight={1}))
    bars = rects(root, "chart__bar")
    assert "chart__bar--highlight" not in bars[0].get("class")
    assert "chart__bar--highlight" in bars[1].get("class")
    assert bars[0].get("fill") != bars[1].get("fill")
    assert texts(root, "chart__label")[1] == "✓ B"


# --- scale chart ----------------------------------------------------------------


def scale(counts, **kwargs):
    kwargs.setdefault("low_label", "Eri mieltä")
    kwargs.setdefault("high_label", "Samaa mieltä")
    kwargs.setdefault("title", "Arvio")
    return scale_chart(counts, **kwargs)


def test_scale_chart_always_has_five_columns():
    root = assert_svg_basics(scale({5: 2}), "Arvio")
    assert texts(root, "chart__label") == ["1", "2", "3", "4", "5"]
    assert texts(root, "chart__value") == ["0", "0", "0", "0", "2"]
    assert len(rects(root, "chart__bar")) == 1  # zero counts draw no bar
    assert len(list(root.iter(f"{NS}g"))) == 5
    assert texts(root, "chart__end") == ["Eri mieltä", "Samaa mieltä"]


def test_scale_chart_average():
    root = parse(scale({1: 1, 5: 1}))
    assert texts(root, "chart__average") == ["⌀ 3.0"]
    root = parse(scale({1: 1, 2: 3, 3: 2, 4: 12, 5: 9, 7: 100}))  # 7 is not on the scale
    assert texts(root, "chart__average") == ["⌀ 3.9"]  # 106 / 27 = 3.93


def test_scale_chart_uses_the_average_formatter():
    seen = []

    def finnish(value: float) -> str:
        seen.append(value)
        return "ka. " + f"{value:.1f}".replace(".", ",")

    root = parse(scale({2: 1, 3: 1, 5: 2}, average_label=finnish))
    assert seen == [3.75]
    assert texts(root, "chart__average") == ["ka. 3,8"]


def test_scale_chart_without_answers_has_no_average():
    root = parse(scale({}))
    assert texts(root, "chart__average") == []
    assert texts(root, "chart__value") == ["0"] * 5
    assert rects(root, "chart__bar") == []


def test_scale_chart_escapes_end_labels():
    root = assert_svg_basics(scale({3: 1}, low_label=EVIL, high_label="A & B"), "Arvio")
    ends = texts(root, "chart__end")
    assert ends[-1] == "A & B"
    assert "".join(ends[:-1]).startswith("<script>")


# --- word cloud -----------------------------------------------------------------

WORDS = {
    "tulkki": 14,
    "selkokieli": 11,
    "aika": 9,
    "luottamus": 8,
    "kieli": 7,
    "byrokratia": 6,
    "kohtaaminen": 5,
    "kuunteleminen": 5,
    "Kela": 4,
    "TE-toimisto": 4,
    "asunto": 3,
    "perhe": 3,
    "työ": 2,
    "koulutus": 2,
    "kotoutumissuunnitelma": 1,
    "ystävät": 1,
}


def cloud_words(root: ET.Element) -> list[tuple[str, float, float, float]]:
    return [
        (
            "".join(node.itertext()),
            float(node.get("x")),
            float(node.get("y")),
            float(node.get("font-size")),
        )
        for node in root.iter(f"{NS}text")
        if "chart__word" in node.get("class", "")
    ]


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_word_cloud_is_deterministic():
    first = word_cloud(WORDS, title="Sanat")
    assert word_cloud(dict(reversed(list(WORDS.items()))), title="Sanat") == first
    assert str(word_cloud(WORDS, title="Sanat")) == str(first)


def test_word_cloud_sizes_follow_counts_and_the_biggest_is_central():
    root = assert_svg_basics(word_cloud(WORDS, title="Sanat"), "Sanat")
    placed = cloud_words(root)
    assert [word for word, *_ in placed] == sorted(WORDS, key=lambda w: (-WORDS[w], w))
    sizes = {word: size for word, _, _, size in placed}
    assert sizes["tulkki"] == max(sizes.values())
    assert sizes["tulkki"] > sizes["selkokieli"] > sizes["kotoutumissuunnitelma"]
    word, x, y, size = placed[0]
    left, top, right, bottom = charts.word_box(x, y, size, word)
    assert left < charts.CLOUD_WIDTH / 2 < right
    assert top < charts.CLOUD_HEIGHT / 2 < bottom


@pytest.mark.parametrize(
    "words",
    [
        WORDS,
        {f"sana{i}": 3 for i in range(40)},  # all equal: everything shrinks to fit
        {f"{'pitkä' * (i % 4 + 1)}{i}": 60 // (i + 1) + 1 for i in range(60)},
        {"<b>": 3, "&": 2, "R&D": 1, 'x"y': 1},
    ],
)
def test_word_cloud_words_do_not_overlap_and_stay_inside(words):
    root = parse(word_cloud(words, title="t"))
    placed = cloud_words(root)
    assert placed
    boxes = [charts.word_box(x, y, size, word) for word, x, y, size in placed]
    for a, b in itertools.combinations(boxes, 2):
        assert not overlap(a, b), (a, b)
    for left, top, right, bottom in boxes:
        assert left >= 0 and right <= charts.CLOUD_WIDTH
        assert top >= 0 and bottom <= charts.CLOUD_HEIGHT


def test_word_cloud_limits_the_number_of_words():
    many = {f"w{i:02}": 100 - i for i in range(60)}
    placed = cloud_words(parse(word_cloud(many, title="t", max_words=10)))
    assert [word for word, *_ in placed] == [f"w{i:02}" for i in range(10)]


def test_word_cloud_escapes_words():
    svg = word_cloud({"<b>": 3, "&": 2, "<script>x</script>": 1}, title="<t>")
    root = assert_svg_basics(svg, "<t>")
    assert {word for word, *_ in cloud_words(root)} == {"<b>", "&", "<script>x</script>"}


def test_word_cloud_shortens_a_word_too_long_for_the_width():
    root = parse(word_cloud({"Epäjärjestelmällisyydellä" * 4: 2, "ok": 1}, title="t"))
    (word, x, _, size), _ = cloud_words(root)
    assert word.endswith("…")
    half = charts.estimate_text_width(word, size, bold=True) / 2
    assert x - half >= 0 and x + half <= charts.CLOUD_WIDTH
    tooltip = root.find(f".//{NS}g/{NS}title")  # the whole word stays as a tooltip
    assert tooltip.text == "Epäjärjestelmällisyydellä" * 4 + " (2)"


def test_word_cloud_empty_input():
    root = assert_svg_basics(word_cloud({}, title="t", empty_text="Ei vielä sanoja"), "t")
    assert cloud_words(root) == []
    assert texts(root, "chart__empty") == ["Ei vielä sanoja"]
    root = parse(word_cloud({"  ": 3, "x": 0}, title="t"))  # blank and zero count skipped
    assert list(root.iter(f"{NS}text")) == []


# --- themes -----------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_both_themes_render_valid_svg(theme):
    rendered = [
        bar_chart([("A", 2), ("B", 1)], title="t", theme=theme, highlight={0}),
        scale({1: 1, 4: 2}, theme=theme),
        word_cloud(WORDS, title="t", theme=theme),
        word_cloud({}, title="t", theme=theme, empty_text="-"),
    ]
    background = charts.THEMES[theme].background
    for svg in rendered:
        root = parse(svg)
        assert f"chart--{theme}" in root.get("class")
        assert rects(root, "chart__bg")[0].get("fill") == background


def test_dark_theme_uses_light_text():
    light = parse(bar_chart([("A", 1)], title="t"))
    dark = parse(bar_chart([("A", 1)], title="t", theme="dark"))
    assert light.find(f".//{NS}text").get("fill") == "#17202a"
    assert dark.find(f".//{NS}text").get("fill") == "#f4f6f8"
    assert rects(dark, "chart__bg")[0].get("fill") == "#0f1720"


def test_unknown_theme_is_refused():
    with pytest.raises(ValueError):
        bar_chart([("A", 1)], title="t", theme="neon")


def test_coordinates_have_at_most_one_decimal():
    svg = str(bar_chart([("A", 1), ("B", 2)], title="t")) + str(word_cloud(WORDS, title="t"))
    for number in re.findall(r' (?:x|y|width|height|font-size)="([^"]+)"', svg):
        assert re.fullmatch(r"-?\d+(\.\d)?|100%", number), number
