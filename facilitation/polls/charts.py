"""Poll result charts as inline SVG, rendered on the server.

Pure functions: no request, no app context. Each returns ``Markup`` holding one
``<svg>`` that scales to its container (``width="100%"`` and a ``viewBox``).

* Every text is XML-escaped; control characters that XML cannot carry are
  dropped, so a participant's answer can never break the page or the PDF.
* Colours are inline presentation attributes, so the SVG looks right on its own
  (PDF, ``<img>``, a saved file). Page CSS can still restyle it through the
  classes (``chart__bar``, ``chart__label``, ``chart__value`` ...), because CSS
  rules win over presentation attributes.
* SVG has no text measurement: widths are estimated per character
  (:func:`estimate_text_width`), on the wide side (DejaVu Sans metrics, the
  usual ``system-ui`` fallback on Linux), so text does not overflow.
* Output is deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = [
    "bar_chart",
    "estimate_text_width",
    "scale_chart",
    "word_box",
    "word_cloud",
    "wrap_text",
]

FONT_FAMILY = "system-ui, sans-serif"
ELLIPSIS = "\u2026"
NBSP = "\u00a0"

# --- Themes ------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    background: str
    text: str
    muted: str
    track: str
    bar: str
    bar_highlight: str
    accent: str
    words: tuple[str, ...]


THEMES: dict[str, Theme] = {
    # Dark text on white: PDFs and the trainer's control page.
    "light": Theme(
        background="#ffffff",
        text="#17202a",
        muted="#4a5562",
        track="#e4e8ed",
        bar="#0b5cad",
        bar_highlight="#1e7a3c",
        accent="#b54708",
        words=("#0b5cad", "#1e7a3c", "#b3261e", "#6b3fa0", "#8a5a00"),
    ),
    # Light text on the projector background (#0f1720).
    "dark": Theme(
        background="#0f1720",
        text="#f4f6f8",
        muted="#c9d3dd",
        track="#263445",
        bar="#5aa9ff",
        bar_highlight="#ffd75e",
        accent="#ffd75e",
        words=("#ffd75e", "#7cc4ff", "#7ee2a8", "#ffab91", "#d7b8ff"),
    ),
}


def _theme(name: str) -> Theme:
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown chart theme {name!r}; use 'light' or 'dark'") from None


# --- Text helpers ------------------------------------------------------------

# Advance widths in em, close to DejaVu Sans (wider than most UI fonts).
_WIDTH_CLASSES: tuple[tuple[str, float], ...] = (
    ("iljI'|.,:;!\u00b7", 0.32),
    ('ftr()[]{}- \u00a0"`/\\', 0.42),
    ("mw", 0.9),
    ("MW@%", 0.95),
    ("\u2026", 1.0),
)
_CHAR_WIDTH = {ch: w for chars, w in _WIDTH_CLASSES for ch in chars}
_BOLD_FACTOR = 1.13


def _char_width(ch: str) -> float:
    width = _CHAR_WIDTH.get(ch)
    if width is not None:
        return width
    if unicodedata.combining(ch):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch.isdigit():
        return 0.64
    if ch.isupper():
        return 0.74
    if ch.isalpha():
        return 0.62
    return 0.7  # symbols, emoji, other punctuation


def estimate_text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated rendered width of ``text`` at font size ``size`` (user units)."""
    em = sum(_char_width(ch) for ch in text)
    return em * size * (_BOLD_FACTOR if bold else 1.0)


# Spaces that must not become line breaks (``40\u00a0%``) are kept as they are.
_KEPT_SPACES = "\u00a0\u2007\u202f"


def _clean(text: object) -> str:
    """One line of XML-safe text: whitespace collapsed, control characters dropped."""
    out: list[str] = []
    for ch in str(text):
        if ch.isspace() and ch not in _KEPT_SPACES:
            if out and out[-1] != " ":
                out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff":
            continue  # not allowed in XML 1.0 (or a broken surrogate)
        else:
            out.append(ch)
    return "".join(out).strip(" ")


def _truncate(text: str, size: float, max_width: float, *, bold: bool = False) -> str:
    if estimate_text_width(text, size, bold=bold) <= max_width:
        return text
    for end in range(len(text) - 1, -1, -1):
        head = text[:end].rstrip(" ,.;:-")
        candidate = head + ELLIPSIS
        if estimate_text_width(candidate, size, bold=bold) <= max_width or not head:
            return candidate
    return ELLIPSIS  # pragma: no cover - the loop always returns


def wrap_text(
    text: str, size: float, max_width: float, max_lines: int = 2, *, bold: bool = False
) -> list[str]:
    """Break ``text`` into at most ``max_lines`` lines that fit ``max_width``.

    Breaks at spaces, splits a word only when it alone is too wide, and ends the
    last line with an ellipsis when the text does not fit.
    """
    text = _clean(text)
    if not text:
        return [""]

    def fits(part: str) -> bool:
        return estimate_text_width(part, size, bold=bold) <= max_width

    lines: list[str] = []
    start, length = 0, len(text)
    while start < length:
        if len(lines) == max_lines - 1:
            lines.append(_truncate(text[start:], size, max_width, bold=bold))
            break
        end = start
        while end < length and fits(text[start : end + 1]):
            end += 1
        if end == length:
            lines.append(text[start:])
            break
        space = text.rfind(" ", start, end + 1)
        if space > start:
            lines.append(text[start:space])
            start = space + 1
        else:  # one word wider than the line: split it
            end = max(end, start + 1)
            lines.append(text[start:end])
            start = end
    return lines


def _num(value: float) -> str:
    """A coordinate rounded to one decimal, without a useless ``.0``."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _e(text: object) -> str:
    return str(escape(text))


def default_percent(percent: float) -> str:
    """``40 %`` with a non-breaking space (Finnish style); halves round up."""
    return f"{math.floor(percent + 0.5)}{NBSP}%"


def default_average(average: float) -> str:
    return f"\u2300 {average:.1f}"


# --- SVG assembly ------------------------------------------------------------


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float,
    fill: str,
    cls: str,
    anchor: str | None = None,
    bold: bool = False,
) -> str:
    attrs = [f'class="{cls}"', f'x="{_num(x)}"', f'y="{_num(y)}"', f'font-size="{_num(size)}"']
    if anchor:
        attrs.append(f'text-anchor="{anchor}"')
    if bold:
        attrs.append('font-weight="700"')
    attrs.append(f'fill="{fill}"')
    return f"<text {' '.join(attrs)}>{content}</text>"


def _rect(x: float, y: float, w: float, h: float, *, fill: str, cls: str) -> str:
    return (
        f'<rect class="{cls}" x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" '
        f'height="{_num(h)}" fill="{fill}"/>'
    )


def _svg(
    kind: str,
    width: float,
    height: float,
    *,
    title: str,
    description: str,
    theme: Theme,
    theme_name: str,
    body: Iterable[str],
) -> Markup:
    title = _clean(title)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="100%" role="img" aria-label="{_e(title)}" '
        f'class="chart chart--{kind} chart--{theme_name}" font-family="{FONT_FAMILY}">'
        f"<title>{_e(title)}</title>"
    )
    if description:
        head += f"<desc>{_e(description)}</desc>"
    background = _rect(0, 0, width, height, fill=theme.background, cls="chart__bg")
    return Markup("\n".join([head, background, *body, "</svg>"]))


def _empty_chart(
    kind: str, *, title: str, empty_text: str, theme: Theme, theme_name: str
) -> Markup:
    width, height = 800, 200
    body = []
    message = _clean(empty_text)
    if message:
        line = _truncate(message, 32, width - 64)
        body.append(
            _text(
                width / 2,
                height / 2 + 11,
                _e(line),
                size=32,
                fill=theme.muted,
                cls="chart__empty",
                anchor="middle",
            )
        )
    return _svg(
        kind,
        width,
        height,
        title=title,
        description=message,
        theme=theme,
        theme_name=theme_name,
        body=body,
    )


# --- Bar chart -----------------------------------------------------------------

BAR_WIDTH = 800
BAR_PAD = 16
BAR_LABEL_SIZE = 30
BAR_LINE_HEIGHT = 36
BAR_HEIGHT = 44
BAR_VALUE_SIZE = 30
BAR_ROW_GAP = 26
CHECK = "\u2713"


def bar_chart(
    items: list[tuple[str, int]],
    *,
    title: str,
    total_label: str | None = None,
    highlight: set[int] | None = None,
    percent_format: Callable[[float], str] | None = None,
    number_format: Callable[[int], str] | None = None,
    theme: str = "light",
    empty_text: str = "",
) -> Markup:
    """Horizontal bars, one per ``(label, count)`` in the given order.

    Each row shows the label above its bar (up to two lines, then an ellipsis)
    and ``count · percent`` at the right. Bars are the share of the total, the
    pale track behind them is 100 %. ``highlight`` holds indexes of rows to mark
    (e.g. the right answer): another colour, bold label and a check mark.
    ``percent_format`` gets the percentage (0-100), ``number_format`` the count.
    """
    colours = _theme(theme)
    if not items:
        return _empty_chart(
            "bar", title=title, empty_text=empty_text, theme=colours, theme_name=theme
        )
    percent_format = percent_format or default_percent
    number_format = number_format or str
    highlight = highlight or set()

    counts = [max(0, int(count)) for _, count in items]
    total = sum(counts)
    percents = [count * 100 / total if total else 0.0 for count in counts]
    values = [
        _clean(f"{number_format(count)} \u00b7 {percent_format(percent)}")
        for count, percent in zip(counts, percents, strict=True)
    ]

    inner = BAR_WIDTH - 2 * BAR_PAD
    value_width = max(estimate_text_width(v, BAR_VALUE_SIZE, bold=True) for v in values)
    value_width = min(value_width, inner * 0.45)
    track_x = BAR_PAD
    track_width = inner - value_width - 20

    body: list[str] = []
    summary: list[str] = []
    y = BAR_PAD
    for index, ((label, _), count, percent, value) in enumerate(
        zip(items, counts, percents, values, strict=True)
    ):
        marked = index in highlight
        label = _clean(label)
        shown = f"{CHECK} {label}" if marked else label
        lines = wrap_text(shown, BAR_LABEL_SIZE, inner, 2, bold=marked)
        summary.append(f"{label}: {value}")

        row = [f'<g class="chart__row{" chart__row--highlight" if marked else ""}">']
        if lines != [shown]:  # shortened: keep the full label as a tooltip
            row.append(f"<title>{_e(label)}</title>")
        for number, line in enumerate(lines):
            baseline = y + BAR_LABEL_SIZE * 0.8 + number * BAR_LINE_HEIGHT
            if marked and number == 0 and line.startswith(CHECK):
                content = f'<tspan class="chart__mark">{CHECK}</tspan>{_e(line[1:])}'
            else:
                content = _e(line)
            row.append(
                _text(
                    track_x,
                    baseline,
                    content,
                    size=BAR_LABEL_SIZE,
                    fill=colours.text,
                    cls="chart__label",
                    bold=marked,
                )
            )
        bar_y = y + BAR_LABEL_SIZE * 0.8 + (len(lines) - 1) * BAR_LINE_HEIGHT + 14
        row.append(
            _rect(track_x, bar_y, track_width, BAR_HEIGHT, fill=colours.track, cls="chart__track")
        )
        if count:
            width = max(6.0, track_width * percent / 100)
            fill = colours.bar_highlight if marked else colours.bar
            cls = "chart__bar chart__bar--highlight" if marked else "chart__bar"
            row.append(_rect(track_x, bar_y, width, BAR_HEIGHT, fill=fill, cls=cls))
        value_text = _truncate(value, BAR_VALUE_SIZE, value_width, bold=True)
        row.append(
            _text(
                BAR_WIDTH - BAR_PAD,
                bar_y + BAR_HEIGHT / 2 + BAR_VALUE_SIZE * 0.36,
                _e(value_text),
                size=BAR_VALUE_SIZE,
                fill=colours.text,
                cls="chart__value",
                anchor="end",
                bold=True,
            )
        )
        row.append("</g>")
        body.append("".join(row))
        y = bar_y + BAR_HEIGHT + BAR_ROW_GAP

    if total_label:
        text = _truncate(_clean(total_label), 26, inner)
        body.append(
            _text(track_x, y + 26 * 0.8, _e(text), size=26, fill=colours.muted, cls="chart__total")
        )
        summary.append(text)
        y += 26 + BAR_ROW_GAP
    height = y - BAR_ROW_GAP + BAR_PAD
    return _svg(
        "bar",
        BAR_WIDTH,
        height,
        title=title,
        description="; ".join(summary),
        theme=colours,
        theme_name=theme,
        body=body,
    )


# --- Scale chart (1..5) --------------------------------------------------------

SCALE_WIDTH = 800
SCALE_PAD = 16
SCALE_VALUES = (1, 2, 3, 4, 5)
SCALE_AVERAGE_SIZE = 38
SCALE_COUNT_SIZE = 30
SCALE_BARS_HEIGHT = 230
SCALE_DIGIT_SIZE = 34
SCALE_END_SIZE = 26


def scale_chart(
    counts: dict[int, int],
    *,
    low_label: str,
    high_label: str,
    title: str,
    average_label: Callable[[float], str] | None = None,
    number_format: Callable[[int], str] | None = None,
    theme: str = "light",
) -> Markup:
    """Vertical bars for the answers 1..5 (always all five), with the average.

    ``counts`` maps an answer (1-5) to how many gave it; other keys are ignored.
    Bars are scaled to the largest count, each with its count above. The
    average is written at the top and marked with a dashed line at its place
    on the scale; with no answers there is no average. ``low_label`` and
    ``high_label`` go under the ends of the scale.
    """
    colours = _theme(theme)
    average_label = average_label or default_average
    number_format = number_format or str

    values = {value: max(0, int(counts.get(value, 0))) for value in SCALE_VALUES}
    total = sum(values.values())
    average = sum(value * n for value, n in values.items()) / total if total else None
    biggest = max(values.values())

    inner = SCALE_WIDTH - 2 * SCALE_PAD
    column = inner / len(SCALE_VALUES)
    bar_width = column * 0.62
    centres = {v: SCALE_PAD + column * (i + 0.5) for i, v in enumerate(SCALE_VALUES)}

    body: list[str] = []
    top = SCALE_PAD + SCALE_AVERAGE_SIZE + 16  # room for the average
    axis = top + SCALE_COUNT_SIZE + 10 + SCALE_BARS_HEIGHT
    count_boxes: list[tuple[float, float, float, float]] = []
    for value in SCALE_VALUES:
        n = values[value]
        height = SCALE_BARS_HEIGHT * n / biggest if biggest else 0
        if n:
            height = max(height, 4)
        x = centres[value] - bar_width / 2
        count = _clean(number_format(n))
        baseline = axis - height - 10
        half = estimate_text_width(count, SCALE_COUNT_SIZE, bold=True) / 2
        count_boxes.append(
            (
                centres[value] - half,
                baseline - SCALE_COUNT_SIZE * 0.8,
                centres[value] + half,
                baseline,
            )
        )
        parts = ['<g class="chart__column">']
        if n:
            parts.append(
                _rect(x, axis - height, bar_width, height, fill=colours.bar, cls="chart__bar")
            )
        parts.append(
            _text(
                centres[value],
                baseline,
                _e(count),
                size=SCALE_COUNT_SIZE,
                fill=colours.text,
                cls="chart__value",
                anchor="middle",
                bold=True,
            )
        )
        parts.append(
            _text(
                centres[value],
                axis + 12 + SCALE_DIGIT_SIZE * 0.8,
                str(value),
                size=SCALE_DIGIT_SIZE,
                fill=colours.text,
                cls="chart__label",
                anchor="middle",
                bold=True,
            )
        )
        parts.append("</g>")
        body.append("".join(parts))
    body.append(
        f'<path class="chart__axis" d="M{_num(SCALE_PAD)} {_num(axis)}'
        f'H{_num(SCALE_WIDTH - SCALE_PAD)}" stroke="{colours.muted}" stroke-width="2"/>'
    )

    summary = [f"{value}: {number_format(n)}" for value, n in values.items()]
    if average is not None:
        shown = _clean(average_label(average))
        summary.insert(0, shown)
        x = centres[1] + (average - 1) * column
        # a dashed line at the average, interrupted where it would cross a count
        segments, y = [], top - 6
        for left, upper, right, lower in sorted(count_boxes, key=lambda box: box[1]):
            if left - 6 <= x <= right + 6 and upper - 4 < axis:
                if upper - 4 - y >= 14:  # no stubs shorter than one dash
                    segments.append(f"M{_num(x)} {_num(y)}V{_num(upper - 4)}")
                y = max(y, lower + 6)
        if axis - y >= 14:
            segments.append(f"M{_num(x)} {_num(y)}V{_num(axis)}")
        body.append(
            f'<path class="chart__average-line" d="{"".join(segments)}" '
            f'stroke="{colours.accent}" stroke-width="3" stroke-dasharray="8 6"/>'
        )
        text = _truncate(shown, SCALE_AVERAGE_SIZE, inner, bold=True)
        half = estimate_text_width(text, SCALE_AVERAGE_SIZE, bold=True) / 2
        tx = min(max(x, SCALE_PAD + half), SCALE_WIDTH - SCALE_PAD - half)
        body.append(
            _text(
                tx,
                SCALE_PAD + SCALE_AVERAGE_SIZE * 0.8,
                _e(text),
                size=SCALE_AVERAGE_SIZE,
                fill=colours.accent,
                cls="chart__average",
                anchor="middle",
                bold=True,
            )
        )

    ends_top = axis + 12 + SCALE_DIGIT_SIZE + 14
    end_width = inner / 2 - 12
    end_lines = 1
    for label, x, anchor in (
        (low_label, SCALE_PAD, "start"),
        (high_label, SCALE_WIDTH - SCALE_PAD, "end"),
    ):
        lines = wrap_text(label, SCALE_END_SIZE, end_width, 2)
        end_lines = max(end_lines, len(lines))
        for number, line in enumerate(lines):
            body.append(
                _text(
                    x,
                    ends_top + SCALE_END_SIZE * 0.8 + number * (SCALE_END_SIZE + 6),
                    _e(line),
                    size=SCALE_END_SIZE,
                    fill=colours.muted,
                    cls="chart__end",
                    anchor=anchor,
                )
            )
    summary.append(f"1 = {_clean(low_label)}, 5 = {_clean(high_label)}")
    height = ends_top + end_lines * (SCALE_END_SIZE + 6) + SCALE_PAD
    return _svg(
        "scale",
        SCALE_WIDTH,
        height,
        title=title,
        description="; ".join(summary),
        theme=colours,
        theme_name=theme,
        body=body,
    )


# --- Word cloud ------------------------------------------------------------------

CLOUD_WIDTH = 800
CLOUD_HEIGHT = 450
CLOUD_PAD = 12
CLOUD_MIN_SIZE = 22
CLOUD_MAX_SIZE = 80
CLOUD_GAP = 6  # free space kept around each word
_ASCENT = 0.8  # share of the font size above the baseline (incl. Ä dots)
_DESCENT = 0.24


def word_box(x: float, y: float, size: float, word: str) -> tuple[float, float, float, float]:
    """Estimated ``(left, top, right, bottom)`` of a centred, bold cloud word at baseline ``y``."""
    half = estimate_text_width(word, size, bold=True) / 2
    return (x - half, y - size * _ASCENT, x + half, y + size * _DESCENT)


def _spiral() -> tuple[tuple[float, float], ...]:
    """Offsets from the centre along an elliptic spiral shaped like the canvas."""
    stretch = CLOUD_WIDTH / CLOUD_HEIGHT
    limit = math.hypot(CLOUD_WIDTH / 2 / stretch, CLOUD_HEIGHT / 2) + 1  # past the corners
    points, theta = [], 0.0
    while (radius := 2.2 * theta) <= limit:
        points.append((radius * math.cos(theta) * stretch, radius * math.sin(theta)))
        theta += min(0.5, 6 / max(radius, 1))  # about 6 units along the curve per step
    return tuple(points)


_SPIRAL = _spiral()


def _font_sizes(counts: list[int]) -> list[float]:
    """Font size per count: area grows with the count (square-root scale)."""
    high, low = math.sqrt(counts[0]), math.sqrt(counts[-1])
    if high == low:
        return [CLOUD_MAX_SIZE if len(counts) < 4 else 48.0] * len(counts)
    span = CLOUD_MAX_SIZE - CLOUD_MIN_SIZE
    return [CLOUD_MIN_SIZE + span * (math.sqrt(c) - low) / (high - low) for c in counts]


def _place(
    words: list[str], sizes: list[float], *, skip_misfits: bool = False
) -> list[tuple[float, float] | None] | None:
    """Baselines ``(x, y)`` on the spiral from the centre.

    When a word finds no free spot: ``None`` for the whole layout, or, with
    ``skip_misfits``, ``None`` in that word's place.
    """
    cx, cy = CLOUD_WIDTH / 2, CLOUD_HEIGHT / 2
    low_x, high_x = CLOUD_PAD, CLOUD_WIDTH - CLOUD_PAD
    low_y, high_y = CLOUD_PAD, CLOUD_HEIGHT - CLOUD_PAD
    placed: list[tuple[float, float, float, float]] = []  # boxes grown by the gap
    spots: list[tuple[float, float] | None] = []
    for word, size in zip(words, sizes, strict=True):
        half = estimate_text_width(word, size, bold=True) / 2
        rise, fall = size * _ASCENT, size * _DESCENT
        shift = (rise - fall) / 2  # baseline below the spiral point: box centred on it
        last_hit = None
        for dx, dy in _SPIRAL:
            x, y = round(cx + dx, 1), round(cy + dy + shift, 1)
            left, top, right, bottom = x - half, y - rise, x + half, y + fall
            if left < low_x or right > high_x or top < low_y or bottom > high_y:
                continue
            if last_hit is not None:  # neighbours tend to collide again
                o = last_hit
                if left < o[2] and o[0] < right and top < o[3] and o[1] < bottom:
                    continue
            for o in placed:
                if left < o[2] and o[0] < right and top < o[3] and o[1] < bottom:
                    last_hit = o
                    break
            else:
                placed.append(
                    (left - CLOUD_GAP, top - CLOUD_GAP, right + CLOUD_GAP, bottom + CLOUD_GAP)
                )
                spots.append((x, y))
                break
        else:
            if not skip_misfits:
                return None
            spots.append(None)
    return spots


def word_cloud(
    words: dict[str, int],
    *,
    title: str,
    max_words: int = 40,
    theme: str = "light",
    empty_text: str = "",
) -> Markup:
    """Words sized by count, the most frequent in the centre, none overlapping.

    Deterministic: words are taken by count (desc) then alphabetically, sizes
    follow the square root of the count, and each word goes to the first free
    spot on a spiral from the centre. When not all words fit, all sizes shrink
    together down to a floor; words that still do not fit are left out. A word
    too long for the width gets smaller, then an ellipsis.
    """
    colours = _theme(theme)
    merged: dict[str, int] = {}
    for raw, count in words.items():
        word, count = _clean(raw), int(count)
        if word and count > 0:
            merged[word] = merged.get(word, 0) + count
    ranked = sorted(merged.items(), key=lambda item: (-item[1], item[0]))[: max(0, max_words)]
    if not ranked:
        return _empty_chart(
            "cloud", title=title, empty_text=empty_text, theme=colours, theme_name=theme
        )

    base_sizes = _font_sizes([count for _, count in ranked])
    inner = CLOUD_WIDTH - 2 * CLOUD_PAD - 2
    floor = CLOUD_MIN_SIZE * 0.75

    def layout(scale: float) -> tuple[list[str], list[float]]:
        texts, sizes = [], []
        for (word, _), base in zip(ranked, base_sizes, strict=True):
            size = max(floor, base * scale)
            width = estimate_text_width(word, size, bold=True)
            if width > inner:  # a long word gets smaller, down to the floor, then an ellipsis
                size = max(floor, size * inner / width)
            size = math.floor(size * 10) / 10
            texts.append(_truncate(word, size, inner, bold=True))
            sizes.append(size)
        return texts, sizes

    # Start at a scale where the words' boxes would cover about half the canvas.
    texts, sizes = layout(1.0)
    area = sum(
        (estimate_text_width(text, size, bold=True) + CLOUD_GAP)
        * (size * (_ASCENT + _DESCENT) + CLOUD_GAP)
        for text, size in zip(texts, sizes, strict=True)
    )
    scale = min(1.0, math.sqrt(0.5 * CLOUD_WIDTH * CLOUD_HEIGHT / area))
    while True:
        texts, sizes = layout(scale)
        spots = _place(texts, sizes)
        if spots is not None:
            break
        if all(size <= floor for size in sizes):  # cannot shrink: leave out what does not fit
            spots = _place(texts, sizes, skip_misfits=True)
            break
        scale *= 0.9

    body, shown = [], []
    for index, ((word, count), text, size, spot) in enumerate(
        zip(ranked, texts, sizes, spots, strict=True)
    ):
        if spot is None:
            continue
        shown.append(f"{word} ({count})")
        element = (
            f'<text class="chart__word" x="{_num(spot[0])}" y="{_num(spot[1])}" '
            f'font-size="{_num(size)}" text-anchor="middle" font-weight="700" '
            f'fill="{colours.words[index % len(colours.words)]}">{_e(text)}</text>'
        )
        if text != word:  # shortened: the whole word as a tooltip
            element = f"<g><title>{_e(word)} ({count})</title>{element}</g>"
        body.append(element)
    description = ", ".join(shown)
    return _svg(
        "cloud",
        CLOUD_WIDTH,
        CLOUD_HEIGHT,
        title=title,
        description=description,
        theme=colours,
        theme_name=theme,
        body=body,
    )
