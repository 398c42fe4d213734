from flask import Blueprint

bp = Blueprint("assessments", __name__)

from . import views  # noqa: E402,F401
