from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

from . import views  # noqa: E402,F401
