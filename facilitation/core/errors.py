"""Error pages in the user's language, for full pages and htmx requests alike."""

from flask import Flask, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, SecurityError

from ..htmx import fragment, wants_fragment


def _messages(code: int) -> tuple[str, str]:
    return {
        400: (
            _("Something in the request was wrong"),
            _("Go back, reload the page and try again."),
        ),
        403: (_("Not allowed"), _("You do not have the right to do that.")),
        404: (
            _("Not found"),
            _("The page or session was not found. Check the address or the join code."),
        ),
        405: (_("Not allowed"), _("That address does not take this kind of request.")),
        413: (_("Too large"), _("What you sent was too large. Nothing was saved.")),
        429: (
            _("Too many at once"),
            _(
                "Many requests came from your network at once. "
                "Wait a minute and try again; nothing was lost."
            ),
        ),
    }.get(code, (_("Something went wrong"), _("Try again in a moment.")))


def _render(code: int, title: str, message: str):
    if wants_fragment():
        return fragment("core/_flash_error.html", status=code, message=message)
    return render_template("core/error.html", title=title, message=message, status=code), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        # Most often a page left open overnight or a lost cookie: nothing was saved.
        return _render(
            400,
            _("The form had expired"),
            _("Nothing was saved. Reload the page and send it again."),
        )

    @app.errorhandler(SecurityError)
    def unknown_host(_exc):
        # The Host header is not one of TRUSTED_HOSTS. No URL can be built for
        # this request, so the page is plain: no links, no styles.
        title = _("Unknown address")
        message = _("This server does not answer to that address. Use the link you were given.")
        body = (
            f'<!doctype html><html lang="{escape(str(get_locale()))}"><meta charset="utf-8">'
            f"<title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(message)}</p></html>"
        )
        return body, 400, {"Content-Type": "text/html; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        title, message = _messages(exc.code)
        return _render(exc.code, title, message)

    @app.errorhandler(500)
    def server_error(_exc):
        title, message = _messages(500)
        return _render(500, title, message)
