"""Poll results as server-rendered SVG charts, in the page's language."""

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from . import charts


def chart(poll, result: dict, theme: str = "light") -> Markup:
    """The right chart for the poll's kind (free answers are a list, not a chart)."""
    title = poll.question
    if poll.kind in ("single", "multiple"):
        return charts.bar_chart(
            result["items"],
            title=title,
            theme=theme,
            percent_format=lambda p: format_percent(p / 100),
            number_format=lambda n: format_decimal(n),
            total_label=_("%(n)s answers", n=format_decimal(result["count"])),
        )
    if poll.kind == "scale":
        return charts.scale_chart(
            result["scale"],
            title=title,
            low_label=poll.scale_low,
            high_label=poll.scale_high,
            theme=theme,
            average_label=lambda avg: _("average %(avg)s", avg=format_decimal(round(avg, 1))),
        )
    if poll.kind == "words":
        return charts.word_cloud(
            result["words"], title=title, theme=theme, empty_text=_("No words yet.")
        )
    return Markup("")
