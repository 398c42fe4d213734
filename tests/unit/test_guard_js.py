"""static/js/guard.js under Node agrees with facilitation/cases/guard.py.

Node loads guard.js in a ``vm`` context with a fake ``window`` (and a fake
``fetch`` serving static/data/guard-names.json), scans every text it is given
and prints the findings as JSON. The texts: the shared cases in
guard_cases.json (each must give its expected findings) and a few hundred
generated ones (JS and Python must give the same findings, indices included
where the text has no characters outside the BMP; JS counts UTF-16 units).
Without ``node`` the tests skip, except in CI (CI=true), where they fail.
"""

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from facilitation.cases import guard

ROOT = Path(__file__).resolve().parents[2]
GUARD_JS = ROOT / "static" / "js" / "guard.js"
DATA = ROOT / "static" / "data" / "guard-names.json"
CASES = json.loads((Path(__file__).with_name("guard_cases.json")).read_text("utf-8"))["cases"]

RUNNER = r"""
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const source = fs.readFileSync(input.guard, "utf8");
const rawData = JSON.parse(fs.readFileSync(input.data, "utf8"));

// A minimal DOM: enough for highlight(); innerHTML is a trap.
function textNode(data) { return { nodeType: 3, data: data }; }
function element(tag) {
  const el = {
    nodeType: 1, tagName: tag.toUpperCase(), childNodes: [], attributes: {}, className: "",
    get firstChild() { return this.childNodes[0] || null; },
    appendChild(node) { this.childNodes.push(node); return node; },
    removeChild(node) { this.childNodes.splice(this.childNodes.indexOf(node), 1); return node; },
    setAttribute(name, value) { this.attributes[name] = String(value); },
    ownerDocument: document,
  };
  Object.defineProperty(el, "innerHTML", { set() { throw new Error("innerHTML used"); } });
  return el;
}
const document = { createElement: element, createTextNode: textNode };
function dump(el) {
  return el.childNodes.map((n) => n.nodeType === 3 ? ["#text", n.data] :
    [n.tagName, n.className, n.attributes["data-kind"], n.childNodes.map((c) => c.data).join("")]);
}

function context(fetchOk) {
  const fetched = [];
  const window = {
    fetch(url, options) {
      fetched.push([url, options && options.credentials]);
      return Promise.resolve({
        ok: fetchOk, status: fetchOk ? 200 : 404,
        json: () => Promise.resolve(JSON.parse(JSON.stringify(rawData))),
      });
    },
  };
  const ctx = vm.createContext({ window: window, console: console });
  vm.runInContext(source, ctx, { filename: input.guard });
  return { guard: window.PersonalDataGuard, fetched: fetched };
}

(async () => {
  const out = {};
  // Before load(): no names or streets, the rest works.
  const early = context(true);
  out.loaded_before = early.guard.isLoaded();
  out.before_load = input.before_load.map((t) => early.guard.scan(t));

  // load(): fetches once per URL, then scans with the data.
  const ctx = context(true);
  const [a, b] = await Promise.all([ctx.guard.load("/static/data/guard-names.json"),
                                    ctx.guard.load("/static/data/guard-names.json")]);
  out.load_resolves_api = a === ctx.guard && b === ctx.guard;
  out.fetched = ctx.fetched;
  out.loaded_after = ctx.guard.isLoaded();
  out.sources = ctx.guard.sources;
  out.kinds = ctx.guard.kinds;
  out.results = input.texts.map((t) => ctx.guard.scan(t));
  const started = Date.now();
  input.hostile.forEach((t) => ctx.guard.scan(t));
  out.hostile_ms = Date.now() - started;

  // A failed load rejects, and a later call tries again.
  const failing = context(false);
  try { await failing.guard.load("/x.json"); out.failed_load = "resolved"; }
  catch (err) { out.failed_load = String(err.message); }
  try { await failing.guard.load("/x.json"); } catch (err) { /* expected */ }
  out.failed_fetches = failing.fetched.length;

  const box = element("p");
  box.appendChild(textNode("old content"));
  ctx.guard.highlight(box, input.highlight, ctx.guard.scan(input.highlight));
  out.highlight = dump(box);
  const box2 = element("p");
  ctx.guard.highlight(box2, "abcdef", [
    { kind: "name", start: 1, end: 3 }, { kind: "phone", start: 2, end: 4 },
    { kind: "email", start: 5, end: 99 }, { kind: "x\"><script>", start: 4, end: 5 },
  ]);
  out.highlight_odd = dump(box2);
  process.stdout.write(JSON.stringify(out));
})().catch((err) => { console.error(err && err.stack || err); process.exit(1); });
"""

HIGHLIGHT_TEXT = '<img src=x onerror="alert(1)"> Asiakas Fatima\nsoitti 040 123 4567 & lähti.'
# Long texts that a careless pattern would scan in quadratic time.
HOSTILE = [
    "a" * 20_000 + "@",
    "a." * 10_000 + "@b",
    "0" * 5_000 + " " + "1 " * 5_000,
    "Fatima " * 3_000,
    "+" + "1 " * 8_000,
    "Ab" * 10_000 + " 1",
]
BEFORE_LOAD = [
    "Asiakas Fatima, Hämeenkatu 3, 33100 Tampere, 131052-308T, 040 123 4567, a@b.fi",
]


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is missing (CI=true: not skipping)", pytrace=False)
        pytest.skip("node is missing")
    return node


# -- generated texts -----------------------------------------------------------

# fmt: off
WORDS = [
    "asiakas", "kertoi", "että", "hän", "soitti", "tulkki", "kanssa", "kävin", "eilen", "tapasin",
    "ja", "tai", "sekä", "mutta", "oli", "on", "ei", "kotoutumissuunnitelma", "oleskelulupa",
    "vuonna", "klo", "noin", "esim.", "mm.", "ns.", "Dr.", "Mr.", "Hän", "Se", "Kun", "Asiakas",
    "Tulkki", "Ohjaaja", "Kollega", "Suomessa", "Helsingissä", "Kelan", "Migri", "Kela",
    "Tampereella", "Hämeenkatu", "Storgatan", "Mannerheimintie", "Valtatie", "Somaliasta", "the",
    "met", "client",
]
PIECES = [
    "Fatima", "Fatiman", "Ahmedille", "Matin", "Mikon", "Anna", "Anna-Liisa", "Ali", "Alin",
    "Hassan", "Oksanan", "Tuuli", "İbrahim", "Väinö", "Kaarina", "Helsinki", "Virtanen",
    "131052-308T", "131052-308A", "010101-123N", "290201A123J", "131052-900W", "311299Y456X",
    "040 123 4567", "040-1234567", "0401234567", "(09) 1234 567", "+358 40 123 4567",
    "00358 40 1234567", "+46 70 123 45 67", "+358 (0)40 123 4567", "050 123 45 67", "2024",
    "12.3.2025", "681/2023", "1 200 \u20ac", "10,8 %", "klo 10.15", "01-02-2025", "112",
    "fatima.ali@example.com", "etunimi.sukunimi(at)migri.fi", "a [at] b.org", "@", "a..b@x.fi",
    "x.@y.fi", ".z@w.fi", "a@b", "a@b.c", "a@b.fi.c", "(at)", "[at] b.fi", "q@-x.fi",
    "Hämeenkatu 3 a 10", "Mannerheimintie 12 B 5", "Storgatan 5", "Kotikatu 3 as. 4",
    "00100 Helsinki", "33100 TAMPERE", "12000 Helsingistä", "Puistokatu 3-5", "\U0001f600",
    "\u00a0", "\n", ". ", "! ", "? ", ": ", ", ", "(", ")", "\u201d", "-", "/",
]
# fmt: on
NOISE = "aäöåeéiAÄÖÅEÉšžŠŽİşğ0123456789 ().,:;!?-+@/[]\n\u00a0\u2013\u201d'\"" + "\U0001f600"


def generated_texts() -> list[str]:
    rng = random.Random(20251127)
    texts = []
    for _ in range(500):
        parts = []
        for _ in range(rng.randint(3, 14)):
            parts.append(rng.choice(PIECES) if rng.random() < 0.45 else rng.choice(WORDS))
        glue = [rng.choice([" ", " ", " ", "", ". ", ", ", "\n", "  "]) for _ in parts]
        texts.append("".join(p + g for p, g in zip(parts, glue, strict=True)))
    for _ in range(200):
        texts.append("".join(rng.choice(NOISE) for _ in range(rng.randint(20, 120))))
    return texts


GENERATED = generated_texts()


@pytest.fixture(scope="module")
def node_out() -> dict:
    texts = [case["text"] for case in CASES] + GENERATED
    payload = {
        "guard": str(GUARD_JS),
        "data": str(DATA),
        "texts": texts,
        "before_load": BEFORE_LOAD,
        "highlight": HIGHLIGHT_TEXT,
        "hostile": HOSTILE,
    }
    done = subprocess.run(
        [_node(), "-e", RUNNER],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    out["by_text"] = dict(zip(texts, out["results"], strict=True))
    return out


def _bmp(text: str) -> bool:
    return all(ord(ch) < 0x10000 for ch in text)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_js_finds_what_the_case_expects(node_out: dict, case: dict) -> None:
    found = [[f["kind"], f["text"]] for f in node_out["by_text"][case["text"]]]
    assert found == case["expect"]


@pytest.mark.parametrize(
    "text", [case["text"] for case in CASES] + GENERATED, ids=lambda t: repr(t[:30])
)
def test_js_agrees_with_python(node_out: dict, text: str) -> None:
    js = node_out["by_text"][text]
    py = guard.scan(text)
    assert [(f["kind"], f["text"]) for f in js] == [(f.kind, f.text) for f in py]
    if _bmp(text):
        assert [(f["start"], f["end"]) for f in js] == [(f.start, f.end) for f in py]


def test_js_scan_is_fast_on_hostile_texts(node_out: dict) -> None:
    assert "hostile_ms" in node_out  # finished; the speed itself is a benchmark matter


def test_js_patterns_are_pythons(node_out: dict) -> None:
    assert node_out["sources"] == guard.SOURCES
    assert node_out["kinds"] == list(guard.PRIORITY)


def test_generated_texts_find_things(node_out: dict) -> None:
    """The generated texts exercise every kind (else they prove little)."""
    kinds = {f["kind"] for text in GENERATED for f in node_out["by_text"][text]}
    assert kinds == set(guard.PRIORITY)


def test_load_fetches_once_and_resolves_to_the_api(node_out: dict) -> None:
    assert node_out["loaded_before"] is False
    assert node_out["loaded_after"] is True
    assert node_out["load_resolves_api"] is True
    assert node_out["fetched"] == [["/static/data/guard-names.json", "same-origin"]]


def test_failed_load_rejects_and_can_be_retried(node_out: dict) -> None:
    assert "404" in node_out["failed_load"]
    assert node_out["failed_fetches"] == 2


def test_scan_before_load_finds_all_but_names_and_streets(node_out: dict) -> None:
    found = [(f["kind"], f["text"]) for f in node_out["before_load"][0]]
    assert found == [
        ("address", "33100 Tampere"),
        ("hetu", "131052-308T"),
        ("phone", "040 123 4567"),
        ("email", "a@b.fi"),
    ]


def test_highlight_builds_nodes_never_html(node_out: dict) -> None:
    assert node_out["highlight"] == [
        ["#text", '<img src=x onerror="alert(1)"> Asiakas '],
        ["MARK", "pd pd--name", "name", "Fatima"],
        ["#text", "\nsoitti "],
        ["MARK", "pd pd--phone", "phone", "040 123 4567"],
        ["#text", " & lähti."],
    ]


def test_highlight_skips_overlaps_and_out_of_range_and_cleans_kinds(node_out: dict) -> None:
    assert node_out["highlight_odd"] == [
        ["#text", "a"],
        ["MARK", "pd pd--name", "name", "bc"],
        ["#text", "d"],
        ["MARK", "pd pd--xscript", "xscript", "e"],
        ["#text", "f"],
    ]
