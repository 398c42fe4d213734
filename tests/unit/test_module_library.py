"""The shipped module library: every module complete in Finnish, Swedish and
English, with dated facts and valid agenda steps; templates that fit."""

import json
import re

import pytest

from facilitation.agenda.models import STEP_KINDS
from facilitation.modules import library
from facilitation.polls.services import _clean as clean_poll
from facilitation.trainings.models import TARGET_GROUPS

LANGS = ("fi", "sv", "en")
FILES = sorted((library.LIBRARY / "modules").glob("*.json"))
# How each language says "as of" a date in a module's text.
AS_OF = {"fi": r"tilanne|tilanteen", "sv": r"läge|läget|per ", "en": r"as of"}


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_library_has_the_issues_modules():
    slugs = {path.stem for path in FILES}
    for slug in (
        "statistics_history",
        "culturally_aware",
        "interpreter",
        "integration_act",
        "organisations_glossary",
        "integration_process",
    ):
        assert slug in slugs
    kinds = {_load(path)["kind"] for path in FILES}
    assert kinds == {"common", "toolkit"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_module_is_complete_in_every_language(path):
    data = _load(path)
    assert data["slug"] == path.stem and re.fullmatch(r"[a-z0-9_]+", data["slug"])
    assert data["kind"] in ("common", "toolkit")
    assert set(data["target_groups"]) <= set(TARGET_GROUPS)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", data["as_of"])
    if data["kind"] == "toolkit" and data["slug"] != "toolkit_general":
        assert data["target_groups"], "a sector toolkit names the sectors it serves"
    shapes = set()
    for lang in LANGS:
        text = data[lang]
        assert text["title"] and text["summary"] and 3 <= len(text["key_points"]) <= 8
        for link in text["links"]:
            assert link["title"] and link["url"].startswith("https://")
        steps = text["steps"]
        assert steps
        assert sum(step["minutes"] for step in steps) == data["minutes"]
        shapes.add(tuple((step["kind"], step["minutes"]) for step in steps))
        for step in steps:
            assert step["kind"] in STEP_KINDS and step["title"] and len(step["title"]) <= 200
            assert 1 <= step["minutes"] <= 120 and len(step.get("content", "")) <= 1500
            poll = step.get("poll")
            if poll:
                assert step["kind"] in ("poll", "practical_situation")
                fields = {k: v for k, v in poll.items() if k != "hide_results"}
                clean_poll(**fields)  # raises on an invalid poll
    assert len(shapes) == 1, "same steps, kinds and minutes in every language"


DATED = ("statistics_history", "integration_act", "organisations_glossary")


@pytest.mark.parametrize("slug", DATED)
def test_legal_and_statistical_statements_carry_their_date(slug):
    data = _load(library.LIBRARY / "modules" / f"{slug}.json")
    for lang in LANGS:
        text = " ".join(step.get("content", "") for step in data[lang]["steps"])
        assert re.search(AS_OF[lang], text, re.IGNORECASE), (data["slug"], lang)


def test_the_basic_half_day_template_fits_half_a_day():
    for lang in LANGS:
        template = library.template("basic_half_day", lang)
        assert template is not None and template.title
        minutes = 0
        for kind, value in template.items:
            if kind == "module":
                module = library.shipped_module(value, lang)
                assert module is not None, value
                assert module.language == lang
                minutes += module.minutes
            elif kind == "step":
                assert value["kind"] in STEP_KINDS and value["title"]
                minutes += value["minutes"]
        assert ("toolkits", None) in template.items
        assert any(kind == "step" and value["kind"] == "break" for kind, value in template.items)
        # with two toolkit sections of about 15 minutes: around four hours
        assert 180 <= minutes + 30 <= 260
