from flask import Blueprint

bp = Blueprint("modules", __name__)

from . import views  # noqa: E402,F401
