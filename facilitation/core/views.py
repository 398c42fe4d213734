"""Home page, joining by code and the language switch."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..live import services as live_services
from ..trainings import services as training_services
from . import bp
from .i18n import LANG_COOKIE


@bp.get("/")
def home():
    """Everyone: the join-by-code form; a signed-in user also sees their trainings."""
    trainings = (
        training_services.trainings_for(current_user) if current_user.is_authenticated else []
    )
    from ..modules.library import templates

    return render_template(
        "core/home.html",
        trainings=trainings,
        training_templates=templates(str(get_locale())) if trainings is not None else [],
    )


@bp.post("/join")
def participant_join_code():
    """Participant: typed a join code on the home page."""
    code = live_services.normalise_code(request.form.get("code", ""))
    session = live_services.find_open_session(code) if code else None
    if session is None:
        flash(_("No open session has that code. Check the code on the screen."), "error")
        return render_template(
            "core/home.html", trainings=[], code=request.form.get("code", "")
        ), 404
    return redirect(url_for("live.participant_page", code=session.code))


@bp.get("/lang/<locale>")
def language_switch(locale: str):
    """Everyone: the language switch on every page; remembers the choice in a cookie."""
    target = request.args.get("next") or url_for("core.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        target = url_for("core.home")  # only local redirects
    response = redirect(target)
    if locale in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANG_COOKIE, locale, max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True
        )
    return response
