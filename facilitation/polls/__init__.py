from flask import Blueprint

# Routes hang under the live URLs (/j/<code>/..., /c/<code>/...).
bp = Blueprint("polls", __name__)

from . import views  # noqa: E402,F401
from .presentation import chart  # noqa: E402

bp.add_app_template_global(chart, "poll_chart")
