"""Jinja globals shared by all templates."""

from flask import Flask, g, request
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..questions.forms import new_client_id

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def csrf_field() -> Markup:
    """The hidden CSRF input, left out of HTML rendered for a broadcast.

    A token belongs to one browser session; HTML pushed to a whole room must
    not carry the actor's token. Live pages send the token in the
    X-CSRFToken header instead (see base.html).
    """
    if g.get("broadcasting"):
        return Markup("")
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


def register(app: Flask) -> None:
    # A global, not a context variable: imported macros see globals only.
    app.jinja_env.globals.update(
        csrf_field=csrf_field,
        is_broadcasting=lambda: bool(g.get("broadcasting")),
        new_client_id=new_client_id,
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        format_currency=format_currency,
    )

    @app.context_processor
    def inject():
        return {
            "current_locale": str(get_locale()),
            "language_names": LANGUAGE_NAMES,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
