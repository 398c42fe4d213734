from flask import Blueprint

# Routes hang under the live URLs (/j/<code>/..., /c/<code>/...).
bp = Blueprint("cases", __name__)

from . import views  # noqa: E402,F401
