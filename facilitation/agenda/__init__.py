from flask import Blueprint

# Routes hang under the control URL (/c/<code>/...), like the other live areas.
bp = Blueprint("agenda", __name__)

from . import views  # noqa: E402,F401
