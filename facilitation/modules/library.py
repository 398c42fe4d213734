"""The shipped module library and agenda templates, read from data files.

Shipped modules live in ``library/modules/<slug>.json`` with their text in
Finnish, Swedish and English; templates in ``library/templates.json``. They
are read once per process and never written: organisers edit copies
(``Module`` rows), so a product update never overwrites their work.

Both shipped modules and organisers' own modules are handed to templates and
services as one shape, :class:`ModuleView`.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

LIBRARY = Path(__file__).parent / "library"
FALLBACK_LANGUAGE = "fi"


@dataclass(frozen=True)
class ModuleView:
    """A module in one language, shipped or the organisers' own."""

    key: str  # "lib:<slug>" or "own:<id>"
    kind: str
    title: str
    summary: str
    key_points: tuple[str, ...]
    minutes: int
    target_groups: tuple[str, ...]
    links: tuple[tuple[str, str], ...]  # (title, url)
    as_of: date | None
    steps: tuple[dict, ...]
    language: str
    order: int = 1000
    slug: str = ""  # the shipped module (or the one an own copy is based on)
    own_id: int | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def shipped(self) -> bool:
        return self.own_id is None

    @property
    def links_text(self) -> str:
        return "\n".join(f"{title} {url}" for title, url in self.links)

    def suits(self, groups) -> bool:
        """For everyone (no groups listed) or for one of ``groups``."""
        return not self.target_groups or bool(set(self.target_groups) & set(groups))


def _text(data: dict, language: str) -> tuple[dict, str]:
    if language in data:
        return data[language], language
    return data[FALLBACK_LANGUAGE], FALLBACK_LANGUAGE


@cache
def _raw_modules() -> dict[str, dict]:
    modules = {}
    for path in sorted((LIBRARY / "modules").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        modules[data["slug"]] = data
    return modules


@cache
def _raw_templates() -> dict[str, dict]:
    path = LIBRARY / "templates.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def shipped_module(slug: str, language: str) -> ModuleView | None:
    data = _raw_modules().get(slug)
    if data is None:
        return None
    text, lang = _text(data, language)
    return ModuleView(
        key=f"lib:{slug}",
        kind=data["kind"],
        title=text["title"],
        summary=text["summary"],
        key_points=tuple(text["key_points"]),
        minutes=int(data["minutes"]),
        target_groups=tuple(data["target_groups"]),
        links=tuple((link["title"], link["url"]) for link in text["links"]),
        as_of=date.fromisoformat(data["as_of"]) if data.get("as_of") else None,
        steps=tuple(text["steps"]),
        language=lang,
        order=int(data.get("order", 1000)),
        slug=slug,
    )


def shipped_modules(language: str) -> list[ModuleView]:
    views = [shipped_module(slug, language) for slug in _raw_modules()]
    return sorted(views, key=lambda view: (view.kind != "common", view.order, view.title))


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    summary: str
    minutes: int
    # ("module", slug) | ("step", {kind, minutes, title, content, notes}) | ("toolkits", None)
    items: tuple[tuple[str, object], ...]

    @property
    def module_slugs(self) -> list[str]:
        return [value for kind, value in self.items if kind == "module"]


def templates(language: str) -> list[Template]:
    return [template(key, language) for key in _raw_templates()]


def template(key: str, language: str) -> Template | None:
    data = _raw_templates().get(key)
    if data is None:
        return None
    text, lang = _text(data, language)
    items = []
    for item in data["items"]:
        if "module" in item:
            items.append(("module", item["module"]))
        elif "step" in item:
            step = item["step"]
            words, _lang = _text(step, lang)
            items.append(
                (
                    "step",
                    {
                        "kind": step["kind"],
                        "minutes": step["minutes"],
                        "title": words["title"],
                        "content": words.get("content", ""),
                        "notes": words.get("notes", ""),
                    },
                )
            )
        elif item.get("toolkits"):
            items.append(("toolkits", None))
    return Template(
        key=key,
        title=text["title"],
        summary=text.get("summary", ""),
        minutes=int(data.get("minutes", 0)),
        items=tuple(items),
    )
