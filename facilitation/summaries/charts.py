"""The self-assessment chart: average at the start and at the end per statement.

Built like the poll charts (``facilitation.polls.charts``), from their SVG
pieces and text measurement: a pure function returning ``Markup`` with one
``<svg>``, escaped, deterministic, scaling to its container.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from ..polls import charts as base

WIDTH = 800
PAD = 16
LABEL_SIZE = 24
LINE_HEIGHT = 30
BAR_HEIGHT = 24
BAR_GAP = 6
VALUE_SIZE = 22
ROW_GAP = 24
LEGEND_SIZE = 22
AXIS_SIZE = 20
SCALE_MAX = 5
START_COLOUR = "#9aa8b8"


def change_chart(
    rows: list[dict],
    *,
    title: str,
    start_label: str,
    end_label: str | None,
    number_format: Callable[[float], str],
    change_format: Callable[[float], str] | None = None,
) -> Markup:
    """Horizontal bars on a 1-5 scale: per statement the start average and,
    when ``end_label`` is given, the end average under it with the change.

    ``rows``: ``{"statement", "start", "end", "change"}`` with averages as
    numbers (rows without a start average are left out).
    """
    theme = base.THEMES["light"]
    rows = [row for row in rows if row.get("start") is not None]
    inner = WIDTH - 2 * PAD
    values = [number_format(row["start"]) for row in rows]
    if end_label:
        values += [number_format(row["end"]) for row in rows if row.get("end") is not None]
    value_width = max(
        (base.estimate_text_width(v, VALUE_SIZE, bold=True) for v in values), default=0
    )
    track_x = PAD
    track_width = inner - value_width - 16

    body: list[str] = []
    summary: list[str] = []
    y = PAD
    # Legend: a swatch and a label per series.
    x = PAD
    series = [(start_label, START_COLOUR)] + ([(end_label, theme.bar)] if end_label else [])
    for label, colour in series:
        body.append(
            base._rect(x, y + 2, LEGEND_SIZE, LEGEND_SIZE, fill=colour, cls="chart__swatch")
        )
        text = base._clean(label)
        body.append(
            base._text(
                x + LEGEND_SIZE + 8,
                y + LEGEND_SIZE * 0.85,
                base._e(text),
                size=LEGEND_SIZE,
                fill=theme.text,
                cls="chart__legend",
            )
        )
        x += LEGEND_SIZE + 8 + base.estimate_text_width(text, LEGEND_SIZE) + 28
    y += LEGEND_SIZE + ROW_GAP

    def bar(y: float, value: float, colour: str, cls: str) -> list[str]:
        width = max(4.0, track_width * value / SCALE_MAX)
        return [
            base._rect(track_x, y, track_width, BAR_HEIGHT, fill=theme.track, cls="chart__track"),
            base._rect(track_x, y, width, BAR_HEIGHT, fill=colour, cls=cls),
            base._text(
                WIDTH - PAD,
                y + BAR_HEIGHT / 2 + VALUE_SIZE * 0.36,
                base._e(number_format(value)),
                size=VALUE_SIZE,
                fill=theme.text,
                cls="chart__value",
                anchor="end",
                bold=True,
            ),
        ]

    for row in rows:
        statement = base._clean(row["statement"])
        label = statement
        if end_label and row.get("change") is not None and change_format:
            label = f"{statement} ({change_format(row['change'])})"
        lines = base.wrap_text(label, LABEL_SIZE, inner, 2)
        parts = ['<g class="chart__row">']
        if lines != [label]:
            parts.append(f"<title>{base._e(label)}</title>")
        for number, line in enumerate(lines):
            parts.append(
                base._text(
                    track_x,
                    y + LABEL_SIZE * 0.8 + number * LINE_HEIGHT,
                    base._e(line),
                    size=LABEL_SIZE,
                    fill=theme.text,
                    cls="chart__label",
                )
            )
        y += LABEL_SIZE * 0.8 + (len(lines) - 1) * LINE_HEIGHT + 10
        parts += bar(y, row["start"], START_COLOUR, "chart__bar chart__bar--start")
        described = f"{statement}: {number_format(row['start'])}"
        y += BAR_HEIGHT
        if end_label and row.get("end") is not None:
            y += BAR_GAP
            parts += bar(y, row["end"], theme.bar, "chart__bar chart__bar--end")
            described += f" \u2192 {number_format(row['end'])}"
            y += BAR_HEIGHT
        parts.append("</g>")
        body.append("".join(parts))
        summary.append(described)
        y += ROW_GAP

    # The scale under the bars: an axis with the values 1 to 5.
    axis = y - ROW_GAP / 2
    body.append(
        f'<path class="chart__axis" d="M{base._num(track_x)} {base._num(axis)}'
        f'H{base._num(track_x + track_width)}" stroke="{theme.muted}" stroke-width="1.5"/>'
    )
    for tick in range(1, SCALE_MAX + 1):
        tx = track_x + track_width * tick / SCALE_MAX
        body.append(
            f'<path class="chart__tick" d="M{base._num(tx)} {base._num(axis)}'
            f'V{base._num(axis + 6)}" stroke="{theme.muted}" stroke-width="1.5"/>'
        )
        body.append(
            base._text(
                tx,
                axis + 8 + AXIS_SIZE * 0.8,
                str(tick),
                size=AXIS_SIZE,
                fill=theme.muted,
                cls="chart__axis-label",
                anchor="middle",
            )
        )
    y = axis + 8 + AXIS_SIZE
    height = y + PAD
    return base._svg(
        "change",
        WIDTH,
        height,
        title=title,
        description="; ".join(summary),
        theme=theme,
        theme_name="light",
        body=body,
    )
