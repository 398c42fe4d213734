from flask import Blueprint

# The live pages sit on short URLs (/j, /p, /c) because people type them
# from a projector; that is the one deviation from "prefix = package name".
bp = Blueprint("live", __name__)

from . import views  # noqa: E402,F401
