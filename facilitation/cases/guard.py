"""Personal-data guard: finds personal data in a case story before it is posted.

The same rules run twice: on the phone (static/js/guard.js), before the text
leaves it, and here on the server. The two must find the same things:
tests/unit/guard_cases.json is run against both, and tests/unit/test_guard_js.py
compares their findings text by text. Change one, change the other.

Kinds, most important first (of two overlapping findings the more important
one is kept, the other dropped):

- ``hetu``: a valid Finnish personal identity code: a real date, a century
  sign (+ - U-Y A-F), a serial 002-899 and the right check character.
- ``hetu_like``: shaped like one, with a day 01-31 and a month 01-12, but the
  check character, the date (31 February) or the serial (000, 001, 900-999:
  temporary codes) is wrong. A typo in a real code is still personal data,
  but it is never called a HETU.
- ``email``: an e-mail address, also written ``name(at)example.fi``.
- ``phone``: a Finnish number (040 123 4567, (09) 1234 567...) or an
  international one (+358..., 00358..., +46...); 8-12 digits at home, 8-15
  with a country code.
- ``address``: a capitalised street name with a street suffix from the data
  file and a house number (Hämeenkatu 3 a 10, Storgatan 5), or a postal code
  with a town (00100 Helsinki).
- ``name``: a first name from the data file (also with a Finnish case ending:
  Fatiman, Ahmedille, Matin), capitalised and not the first word of a
  sentence; or such a name followed by one or two capitalised words (a full
  name, "Fatima Ali"), also at the start of a sentence.

A sentence starts at the start of the text or of a line, or after . ! ? : or
an ellipsis and a space (opening quotes and brackets in between are skipped),
but not after an abbreviation from the data file or an initial ("esim.
Fatima", "Dr. Ahmed", "A. Virtanen").

The data (first names per language, words that are never names, Finnish case
endings, abbreviations, street suffixes) is static/data/guard-names.json,
shared with the phone; it is read once per process.

Only kinds here: the words shown to people are translated in the templates.

The regular expressions use only what Python's ``re`` and JavaScript's
``RegExp`` (with the ``u`` flag) read the same way: explicit character classes
(no ``\\d``, ``\\s``, ``\\w``, ``\\b``, ``\\p{..}``), no lookbehind (older
Safari lacks it); what a lookbehind would check is checked in code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

DATA_PATH = Path(__file__).resolve().parents[2] / "static" / "data" / "guard-names.json"

# Most important first: of overlapping findings the earlier kind wins.
PRIORITY = ("hetu", "hetu_like", "email", "phone", "address", "name")

# The patterns, written with <TOKENS> for the character classes below. guard.js
# has the same templates and tokens; its expanded patterns must equal SOURCES.
TOKENS = {
    "<WORD>": r"0-9A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0370-\u03FF\u0400-\u04FF",
    "<LETTER>": r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F",
    "<UPPER>": r"A-Z\u00C0-\u00D6\u00D8-\u00DE\u0106\u010C\u0110\u011E\u0130\u0141\u0143\u0150"
    r"\u015A\u015E\u0160\u0162\u0170\u0179\u017B\u017D",
    "<LOWER>": r"a-z\u00DF-\u00F6\u00F8-\u00FF\u0100-\u017F",
    "<LATIN1>": r"\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF",
    "<TOWN>": r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u017F",
    "<SP>": r" \u00A0",
    "<NUM_END>": r"(?![0-9]|[.,:][0-9])",
}
TEMPLATES = {
    # DDMMYY, century sign, serial, check character; not inside a longer word.
    "hetu": r"([0-9]{2})([0-9]{2})([0-9]{2})([-+A-FU-Ya-fu-y])([0-9]{3})([0-9A-Za-z])(?![<WORD>])",
    # E-mail is found from its "@" (or "(at)", "[at]"): the local part before it
    # is read backwards in code (email_char), the domain after it is matched.
    "email_at": r"@|[<SP>]?[(\[]at[)\]][<SP>]?",
    "email_char": r"[A-Za-z0-9_%+\-.<LATIN1>]",
    "email_domain": r"(?:[A-Za-z0-9<LATIN1>](?:[A-Za-z0-9\-<LATIN1>]*[A-Za-z0-9<LATIN1>])?\.)+"
    r"[A-Za-z]{2,24}(?![A-Za-z0-9\-<LATIN1>])",
    # 040 123 4567, 040-1234567, 0401234567, (09) 1234 567: area code, then groups of 2+.
    "phone_fi": r"(?:\(0[1-9][0-9]{0,3}\)[<SP>]?[0-9]{2,10}|0[1-9][0-9]{0,12})"
    r"(?:(?:[<SP>]?-[<SP>]?|[<SP>])[0-9]{2,10}){0,4}(?![<WORD>]|[.,:/][0-9])",
    # +358 40 123 4567, 00358 40 1234567, +358 (0)40 123 4567, +46 8 123 456 78.
    "phone_intl": r"(?:\+|00)[1-9][0-9]{0,13}(?:[<SP>]?\(0\)[<SP>]?[0-9]{1,12})?"
    r"(?:[<SP>\-][0-9]{1,12})?(?:(?:[<SP>]?-[<SP>]?|[<SP>])[0-9]{2,12}){0,5}"
    r"(?![<WORD>]|[.,:/][0-9])",
    # A capitalised word (its ending is checked in code), a house number or range,
    # then a staircase letter and an apartment: "12 B 5", "3 a 10", "3 as. 4".
    "street": r"([<UPPER>][<LOWER>]*(?:-[<UPPER>]?[<LOWER>]+)*)"
    r"[<SP>]+[1-9][0-9]{0,3}(?:[<SP>]?[-\u2013][<SP>]?[1-9][0-9]{0,3})?<NUM_END>"
    r"(?:[<SP>]?[A-Ha-h](?![<WORD>])(?:[<SP>]?(?:(?:as|lgh|bst)\.?[<SP>]?)?[1-9][0-9]{0,2}"
    r"<NUM_END>)?|[<SP>]+(?:as|lgh|bst)\.?[<SP>]?[1-9][0-9]{0,2}<NUM_END>)?",
    # 00100 Helsinki, FI-33100 TAMPERE (the town is group 1).
    "postal": r"(?:FI-?)?[0-9]{5}[<SP>]+([<UPPER>][<TOWN>]+(?:-[<UPPER>][<TOWN>]+)?)(?![<WORD>])",
    # A capitalised word, hyphenated parts capitalised too (Anna-Liisa).
    "word": r"[<UPPER>][<LOWER>]+(?:-[<UPPER>][<LOWER>]+)*(?![<WORD>])",
    # A date written with spaces or hyphens is not a phone number (01-02-2025).
    "date": r"0[1-9][<SP>\-]+(?:0?[1-9]|1[0-2])[<SP>\-]+(?:19|20)[0-9]{2}",
    "trailing_group": r"[<SP>\-]+[0-9]+$",
    "spaces": r"[<SP>]+",
    "word_char": r"[<WORD>]",
    "letter": r"[<LETTER>]",
}


def _fill(template: str) -> str:
    for token, value in TOKENS.items():
        template = template.replace(token, value)
    return template


SOURCES = {key: _fill(template) for key, template in TEMPLATES.items()}
_RE = {key: re.compile(source) for key, source in SOURCES.items()}

HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY = {"+": 1800, "-": 1900, "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}
CENTURY.update({sign: 1900 for sign in "UVWXY"})
VOWELS = "aeiouyäöå"
# Skipped when looking back for the start of a sentence: spaces, opening quotes and brackets.
SENTENCE_SKIP = " \t\u00a0\u202f\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e(["
SENTENCE_END = ".!?:\u2026"
SPACES = " \t\u00a0\u202f"
NEWLINES = "\n\r\u2028\u2029"


@dataclass(frozen=True)
class Finding:
    kind: str  # one of PRIORITY
    start: int  # index into the text (code points)
    end: int
    text: str


def norm(word: str) -> str:
    """Lower case for look-ups; "İ".lower() leaves a combining dot, dropped here (and in JS)."""
    return word.lower().replace("\u0307", "")


@dataclass(frozen=True)
class GuardData:
    names: frozenset
    not_names: frozenset
    endings: tuple  # longest first
    abbreviations: frozenset
    street_suffixes: tuple
    not_streets: frozenset
    not_town_endings: tuple


def prepare(raw: dict) -> GuardData:
    """The JSON file's content, normalised for look-ups (as guard.js's prepare does)."""
    names = set()
    for key, value in raw.items():
        if re.fullmatch(r"[a-z]{2,3}", key) and isinstance(value, list):
            names.update(norm(name) for name in value)
    suffixes = set()
    for group in raw.get("street_suffixes", {}).values():
        suffixes.update(norm(suffix) for suffix in group)

    def by_length(items):
        return tuple(sorted(items, key=lambda item: (-len(item), item)))

    return GuardData(
        names=frozenset(names),
        not_names=frozenset(norm(word) for word in raw.get("not_names", [])),
        endings=by_length({norm(ending) for ending in raw.get("case_endings", [])}),
        abbreviations=frozenset(norm(word) for word in raw.get("abbreviations", [])),
        street_suffixes=by_length(suffixes),
        not_streets=frozenset(norm(word) for word in raw.get("not_streets", [])),
        not_town_endings=by_length({norm(e) for e in raw.get("not_town_endings", [])}),
    )


@lru_cache(maxsize=1)
def load_data() -> GuardData:
    with open(DATA_PATH, encoding="utf-8") as fh:
        return prepare(json.load(fh))


# -- helpers -----------------------------------------------------------------


def _matches(name: str, text: str, accept):
    """Every accepted match, left to right. A refused match is retried one
    character further on; ``accept`` returns (start, end, kind) or None."""
    pattern = _RE[name]
    pos = 0
    while pos <= len(text):
        match = pattern.search(text, pos)
        if match is None:
            return
        found = accept(match)
        if found is None:
            pos = match.start() + 1
        else:
            yield found
            pos = max(found[1], match.start() + 1)


def _word_before(text: str, start: int) -> bool:
    """Whether the character before ``start`` is part of a word."""
    return start > 0 and _RE["word_char"].fullmatch(text[start - 1]) is not None


def _number_start_ok(text: str, start: int) -> bool:
    """A number's start: not inside a word, nor right after "12." or "3/"."""
    if _word_before(text, start):
        return False
    return not (start >= 2 and text[start - 1] in ".,:/" and "0" <= text[start - 2] <= "9")


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def hetu_check_char(ddmmyy: str, serial: str) -> str:
    return HETU_CHECK[int(ddmmyy + serial) % 31]


# -- detectors ---------------------------------------------------------------


def _hetus(text: str):
    def accept(m):
        if _word_before(text, m.start()):
            return None
        dd, mm, yy, sign, serial, check = m.groups()
        day, month = int(dd), int(mm)
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        year = CENTURY[sign.upper()] + int(yy)
        valid = (
            day <= _days_in_month(year, month)
            and 2 <= int(serial) <= 899
            and check.upper() == hetu_check_char(dd + mm + yy, serial)
        )
        return m.start(), m.end(), "hetu" if valid else "hetu_like"

    return _matches("hetu", text, accept)


def _emails(text: str):
    """E-mail addresses, found from their "@" so that a long run of letters
    without one costs linear time, not quadratic as one regex would."""
    found = []
    done = 0  # the end of the last address: the next one starts after it
    pos = 0
    while True:
        at = _RE["email_at"].search(text, pos)
        if at is None:
            return found
        pos = at.start() + 1
        start = at.start()
        while start > done and _RE["email_char"].fullmatch(text[start - 1]):
            start -= 1
        local = text[start : at.start()]
        if ".." in local:
            local = local[local.rfind("..") + 2 :]
        local = local.lstrip(".")
        if not local or local.endswith("."):
            continue
        domain = _RE["email_domain"].match(text, at.end())
        if domain is None:
            continue
        found.append((at.start() - len(local), domain.end(), "email"))
        done = pos = domain.end()


def _phone_digits(number: str, international: bool) -> int:
    if international:
        number = number.replace("(0)", "")
        if number.startswith("00"):
            number = number[2:]
    return sum(1 for ch in number if "0" <= ch <= "9")


def _phones(text: str, international: bool):
    low, high = (8, 15) if international else (8, 12)

    def accept(m):
        if not _number_start_ok(text, m.start()):
            return None
        number = m.group(0)
        # Two numbers in a row ("040 123 4567 050 765 4321"): drop trailing groups.
        while _phone_digits(number, international) > high:
            tail = _RE["trailing_group"].search(number)
            if tail is None or tail.start() == 0:
                return None
            number = number[: tail.start()]
        if _phone_digits(number, international) < low:
            return None
        if not international and _RE["date"].fullmatch(number):
            return None
        return m.start(), m.start() + len(number), "phone"

    return _matches("phone_intl" if international else "phone_fi", text, accept)


def _addresses(text: str, data: GuardData):
    def street(m):
        if _word_before(text, m.start()):
            return None
        word = norm(m.group(1))
        if word in data.not_streets:
            return None
        if not any(word.endswith(suffix) for suffix in data.street_suffixes):
            return None
        return m.start(), m.end(), "address"

    def postal(m):
        if _word_before(text, m.start()):
            return None
        town = norm(m.group(1))
        if any(town.endswith(ending) for ending in data.not_town_endings):
            return None
        return m.start(), m.end(), "address"

    yield from _matches("street", text, street)
    yield from _matches("postal", text, postal)


def _stems(word: str, data: GuardData) -> list[str]:
    """Possible base forms of a Finnish inflected name: Fatiman -> fatima,
    Ahmedille -> ahmed, Matin -> mati, matti (consonant gradation undone)."""
    stems = []
    for ending in data.endings:
        if len(word) - len(ending) >= 2 and word.endswith(ending):
            stem = word[: -len(ending)]
            stems.append(stem)
            if len(stem) >= 3 and stem[-1] in VOWELS and stem[-2] in "kpt" and stem[-3] != stem[-2]:
                stems.append(stem[:-1] + stem[-2] + stem[-1])
    return stems


def _is_not_name(word: str, data: GuardData) -> bool:
    w = norm(word)
    if w in data.not_names:
        return True
    return any(stem in data.not_names for stem in _stems(w, data))


def _name_form(word: str, data: GuardData) -> str | None:
    """ "base" (a listed name as such), "inflected" (with a case ending) or None."""
    if _is_not_name(word, data):
        return None
    w = norm(word)
    if w in data.names or ("-" in w and w.split("-")[0] in data.names):
        return "base"
    if any(stem in data.names for stem in _stems(w, data)):
        return "inflected"
    return None


def _sentence_start(text: str, start: int, data: GuardData) -> bool:
    """First word of the text, of a line, or after . ! ? : (or …) and a space;
    not after an abbreviation or an initial ("esim. Fatima", "Dr. Ahmed")."""
    i = start
    spaced = False
    while i > 0 and text[i - 1] in SENTENCE_SKIP:
        spaced = spaced or text[i - 1] in SPACES
        i -= 1
    if i == 0 or text[i - 1] in NEWLINES:
        return True
    if text[i - 1] not in SENTENCE_END or not spaced:
        return False
    if text[i - 1] == ".":
        k = i - 1
        while k > 0 and _RE["letter"].fullmatch(text[k - 1]):
            k -= 1
        before = text[k : i - 1]
        if before and (len(before) == 1 or norm(before) in data.abbreviations):
            return False
    return True


def _names(text: str, data: GuardData):
    tokens = [(s, e) for s, e, _ in _matches("word", text, _word_token(text))]
    i = 0
    while i < len(tokens):
        start, end = tokens[i]
        form = _name_form(text[start:end], data)
        if form is None:
            i += 1
            continue
        # Capitalised words right after it make a full name: "Fatima Ali".
        j = i
        while (
            j + 1 < len(tokens)
            and j - i < 2
            and _RE["spaces"].fullmatch(text[tokens[j][1] : tokens[j + 1][0]])
            and not _is_not_name(text[tokens[j + 1][0] : tokens[j + 1][1]], data)
        ):
            j += 1
        if _sentence_start(text, start, data) and not (form == "base" and j > i):
            i += 1
            continue
        yield start, tokens[j][1], "name"
        i = j + 1


def _word_token(text: str):
    def accept(m):
        if _word_before(text, m.start()):
            return None
        return m.start(), m.end(), "word"

    return accept


def _merge(candidates: Iterable[tuple[int, int, str]], text: str) -> list[Finding]:
    """Overlaps keep the more important kind (then the earlier, then the longer)."""
    ordered = sorted(candidates, key=lambda c: (PRIORITY.index(c[2]), c[0], c[0] - c[1]))
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in ordered:
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, kind))
    kept.sort()
    return [Finding(kind, start, end, text[start:end]) for start, end, kind in kept]


# -- API ---------------------------------------------------------------------


def scan(text: str) -> list[Finding]:
    """Likely personal data in ``text``, sorted by start, without overlaps."""
    if not text:
        return []
    data = load_data()
    candidates = [
        *_hetus(text),
        *_emails(text),
        *_phones(text, international=False),
        *_phones(text, international=True),
        *_addresses(text, data),
        *_names(text, data),
    ]
    return _merge(candidates, text)


def highlight(text: str, findings: Iterable[Finding]) -> Markup:
    """``text`` HTML-escaped, each finding in <mark class="pd pd--KIND" data-kind="KIND">.

    Newlines stay as they are (the page shows them with white-space: pre-line).
    Findings that overlap an earlier one or fall outside the text are skipped.
    """
    parts = []
    pos = 0
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        if finding.start < pos or finding.end > len(text) or finding.start >= finding.end:
            continue
        parts.append(escape(text[pos : finding.start]))
        parts.append(
            Markup('<mark class="pd pd--{0}" data-kind="{0}">{1}</mark>').format(
                finding.kind, text[finding.start : finding.end]
            )
        )
        pos = finding.end
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)
