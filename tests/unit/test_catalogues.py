"""Every user-visible string is translated: a catalogue that lacks one fails."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def source_messages() -> set[str]:
    """msgids in the code and templates now (not what the .pot last said)."""
    with open(ROOT / "babel.cfg") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT,
        method_map,
        options_map,
        keywords={**KEYWORDS, "ngettext": (1, 2)},
        directory_filter=lambda path: not Path(path).name.startswith((".", "node_modules")),
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="module")
def messages():
    found = source_messages()
    assert len(found) > 50, "extraction found suspiciously few strings"
    return found


def catalogue(locale):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_catalogue_has_every_string_translated(messages, locale):
    cat = catalogue(locale)
    assert not cat.fuzzy, f"{locale}: the header is fuzzy, so pybabel compile would skip it"
    missing = sorted(m for m in messages if m not in cat or not _translated(cat[m]))
    assert not missing, f"{locale}: untranslated or missing: {missing}"
    fuzzy = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id and m.fuzzy)
    assert not fuzzy, f"{locale}: fuzzy entries: {fuzzy}"


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_placeholders_survive_translation(locale):
    for message in catalogue(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= expected, (locale, ids[0], text)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(s.strip() for s in strings)


def test_the_checker_catches_a_missing_translation(tmp_path):
    """The test above can fail: a template string absent from the catalogue is found."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html").write_text('{{ _("A string nobody translated") }}')
    found = {
        m[2]
        for m in extract_from_dir(
            tmp_path, [("templates/**.html", "jinja2")], {}, keywords=KEYWORDS
        )
    }
    assert "A string nobody translated" in found
    assert "A string nobody translated" not in catalogue("fi")
