from flask import Blueprint

bp = Blueprint("budget", __name__, url_prefix="/trainings")

from . import views  # noqa: E402,F401
