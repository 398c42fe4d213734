from flask import Blueprint

bp = Blueprint("summaries", __name__)

from . import views  # noqa: E402,F401
