"""Accounts: creating users, checking and changing passwords."""

from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .models import User

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A rule was broken; the message is already translated for the user."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(email: str, name: str, password: str) -> User:
    from flask_babel import gettext as _

    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountError(_("Enter a valid e-mail address."))
    if not name.strip():
        raise AccountError(_("Enter a name."))
    if get_by_email(email) is not None:
        raise AccountError(_("An account with this e-mail address already exists."))
    _check_password_rules(password)
    user = User(email=email, name=name.strip(), password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """A new password ends every session signed in with the old one."""
    _check_password_rules(password)
    user.password_hash = generate_password_hash(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Every session cookie and remember-me token of ``user`` stops working
    (they carry the session version, see User.get_id). One UPDATE, so two
    sign-outs at once both count."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user, ["session_version"])


def user_for_session(session_id: str) -> User | None:
    """The user a session cookie's "<id>.<version>" names, if that version
    is still the user's; None for a signed-out, changed or malformed one."""
    user_id, _dot, version = str(session_id).partition(".")
    if not (user_id.isdigit() and version.isdigit()) or len(user_id) > 18 or len(version) > 18:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or (user.session_version or 0) != int(version):
        return None
    return user


def authenticate(email: str, password: str) -> User | None:
    user = get_by_email(email)
    if user is None:
        # Spend the same time as a real check so timing does not reveal accounts.
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def change_password(user: User, current: str, new: str) -> None:
    from flask_babel import gettext as _

    if not check_password_hash(user.password_hash, current):
        raise AccountError(_("The current password is not correct."))
    set_password(user, new)


def _check_password_rules(password: str) -> None:
    from flask_babel import gettext as _

    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH)
        )


_DUMMY_HASH = generate_password_hash("not-a-real-password")
