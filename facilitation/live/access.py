"""Loading a live session for a request and checking who may run it."""

from flask import abort
from flask_login import current_user

from ..trainings.services import is_member
from .models import LiveSession
from .services import find_open_session, normalise_code


def open_session_or_404(code: str) -> LiveSession:
    live = find_open_session(normalise_code(code))
    if live is None:
        abort(404)
    return live


def run_session_or_404(code: str) -> LiveSession:
    """For trainer pages: the session, if the signed-in user belongs to its training."""
    live = open_session_or_404(code)
    if not is_member(current_user, live.training_id):
        abort(404)
    return live
