from flask import Blueprint

bp = Blueprint("assessments", __name__)

from . import views  # noqa: E402,F401
from .broadcasts import MODELS  # noqa: E402
from .services import answer_count, statements_of  # noqa: E402

bp.add_app_template_global(statements_of, "statements_of")
bp.add_app_template_global(lambda step: answer_count(MODELS[step.kind], step), "answer_count_of")
