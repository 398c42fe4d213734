"""summaries views."""

from . import bp  # noqa: F401
