"""Sign in, sign out, change password."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, login_manager
from ..realtime import disconnect_room, user_room
from . import bp
from .forms import LoginForm, PasswordForm
from .models import User
from .services import AccountError, authenticate, change_password, end_sessions, user_for_session

login_manager.login_view = "accounts.login"
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    # On every request and socket event: a copied cookie from before a
    # sign-out or a password change names an old version and is refused.
    return user_for_session(session_id)


@login_manager.unauthorized_handler
def unauthorized():
    flash(_("Sign in to continue."), "info")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not urlsplit(target).netloc and "//" not in target:
        return target
    return url_for("core.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Organiser or trainer: sign in."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Wrong e-mail address or password."))
    status = 400 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Signed-in user: sign out (everywhere: every copy of the session ends)."""
    user_id = current_user.id
    end_sessions(current_user)
    db.session.commit()
    logout_user()
    disconnect_room(user_room(user_id))
    flash(_("You have signed out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Signed-in user: change their password."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.new.data)
        except AccountError as exc:
            form.current.errors.append(str(exc))
        else:
            db.session.commit()
            # Other browsers and their sockets are signed out; this one stays in.
            login_user(current_user._get_current_object())
            disconnect_room(user_room(current_user.id))
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("core.home"))
    status = 400 if form.errors else 200
    return render_template("accounts/password.html", form=form), status
