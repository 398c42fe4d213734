#!/usr/bin/env python
"""How long the summary of a big session takes: its data, and the PDF.

    .venv/bin/python bench/summary_pdf.py
    .venv/bin/python bench/summary_pdf.py --repeat 5 --write docs/performance.md

Builds the app in this process on a temporary SQLite database with one run
session far beyond a usual training: 16 agenda steps (all run), 1,000
visible questions with votes (a tenth answered, some hidden or pending),
200 approved case stories, polls of every kind with 60 answers each, 60
participants' self-assessments at the start and at the end (5 statements)
and 60 feedback answers. Then, ``--repeat`` times after one warm-up:

- ``build_summary(live)`` with an empty identity map (every row read again);
- the document outline as the JSON that the Typst template reads;
- ``render.to_pdf``: that, and Typst's layout and PDF/UA-1 output in a child
  process (a new process each time, so every run is a cold one);
- DOCX and Markdown, for comparison.

Every list is complete: every visible question, approved story and approved
answer. The target: summary + PDF at most 3 s wall time on the 2-core
development machine.
"""

import argparse
import io
import json
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The big session is the tests' (tests/summary_data.py): the bench times what
# the completeness test in tests/unit/test_summaries.py reads back.
from tests.summary_data import BIG_PARTICIPANTS as PARTICIPANTS  # noqa: E402
from tests.summary_data import BIG_QUESTIONS as QUESTIONS  # noqa: E402
from tests.summary_data import BIG_STORIES as STORIES  # noqa: E402
from tests.summary_data import seed_big  # noqa: E402


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (Typst's)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn, repeat: int) -> tuple[tuple[float, float, float], object]:
    """Median wall and CPU time of ``fn()`` in ms over ``repeat`` runs after one
    warm-up, and the slowest wall time of all (the warm-up included). CPU time
    is this process's own and its children's: other load on the machine
    stretches the wall time, not the CPU time."""
    t0 = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - t0) * 1000
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), _cpu()
        result = fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((_cpu() - c0) * 1000)
    return (statistics.median(wall), statistics.median(cpu), max(wall + [first])), result


def empty_pdf(render) -> bytes:
    """The child process alone: Python, the Typst module, the fonts and an
    empty document."""
    doc = {
        "lang": "fi",
        "title": "x",
        "authors": [],
        "footer": "",
        "page": [],
        "answer-label": "",
        "blocks": [],
    }
    done = subprocess.run(
        [sys.executable, "-P", render.typeset.__file__, str(render._template())],
        input=json.dumps(doc).encode(),
        capture_output=True,
        check=True,
    )
    return done.stdout


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu or platform.processor() or 'unknown'}){memory}, "
        f"Python {platform.python_version()}, Linux {platform.release()}"
    )


def commit() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"`{rev}`" + (" (with uncommitted changes)" if dirty else "")


def report(rows: dict, facts: dict, repeat: int) -> str:
    wall = rows["build_summary"][0] + rows["to_pdf"][0]
    cpu = rows["build_summary"][1] + rows["to_pdf"][1]
    slowest = rows["build_summary"][2] + rows["to_pdf"][2]
    verdict = "met" if wall <= 3000 and facts["complete"] else "NOT met"

    def row(label: str, key: str) -> str:
        return f"| {label} | {rows[key][0]:.0f} | {rows[key][1]:.0f} | {rows[key][2]:.0f} |"

    lines = [
        "<!-- summary_pdf begin -->",
        "## Session summary PDF",
        "",
        "`bench/summary_pdf.py` builds a session far bigger than a real one in a",
        "temporary SQLite database (the builder of the test that reads the PDF",
        "back, `seed_big` in `tests/summary_data.py`) and times the summary's data",
        "and its documents: median of the runs after one warm-up, and the slowest",
        "run with the warm-up. Every PDF is typeset in a new child process, so",
        "every run loads Typst and the fonts anew: there is no warm case.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit {commit()}",
        f"- Machine: {machine()}",
        f"- Command: `.venv/bin/python bench/summary_pdf.py --repeat {repeat}`",
        f"- Session: {facts['steps']} steps run, {QUESTIONS} questions "
        f"({facts['shown_questions']} visible), {STORIES} approved stories, "
        f"{facts['polls']} polls of {PARTICIPANTS} answers each, {PARTICIPANTS} "
        f"self-assessments at the start and {facts['paired']} at the end, "
        f"{PARTICIPANTS} feedback answers",
        f"- PDF: {facts['pages']} A4 pages, {facts['pdf_kb']} kB, {facts['charts']} SVG "
        f"charts, {facts['entries']} listed entries (questions, the open ones again at "
        f"the end, stories, free answers); {facts['tagging']}",
        f"- Complete: {facts['found']} (the PDF's text read back with pypdf)",
        f"- Load average while measuring: {facts['load']} (other work on the machine "
        "stretches the wall time; the CPU time is this process's and its children's)",
        "",
        "| step | median wall ms | median CPU ms | slowest wall ms |",
        "|---|---:|---:|---:|",
        row("`build_summary` (every row read again)", "build_summary"),
        row("outline as the PDF's JSON (part of the PDF below)", "pdf_document"),
        row("PDF (`render.to_pdf`: outline, Typst in a child process)", "to_pdf"),
        row("the child process alone, for an empty document (part of the PDF)", "child"),
        f"| **summary + PDF** | **{wall:.0f}** | **{cpu:.0f}** | **{slowest:.0f}** |",
        row("DOCX", "to_docx"),
        row("Markdown", "to_markdown"),
        "",
        "Target (summary + PDF of the complete document at most 3 s wall time on",
        f"this machine): **{verdict}**.",
        "",
        "**Why Typst and not WeasyPrint.** The PDF used to meet its time by",
        "cutting lists (25 questions a step, 10 stories, 40 open questions). An",
        "organiser's summary holds every visible question and approved story, so",
        "the cuts are gone, and WeasyPrint could not lay the complete document",
        "out in 3 s here:",
        "",
        "- WeasyPrint 70 (measured once on this machine on 2026-12-05), the",
        "  complete document with the summary's lean CSS (entries as blocks, no",
        "  list items, few selectors, one font): 171 pages in 9.7 s. A floor",
        "  test, nothing but 4,600 lines of plain `<p>` text in one font (no",
        "  borders, tables or page furniture): 7.2 s. Its layout",
        "  (Pango line breaking and the Python box tree) costs about 1.5 ms a line",
        "  on this machine; no CSS makes a 1,000-question summary fit 3 s.",
        "- Typst (the `typst` package on PyPI: the Rust typesetter with a Python",
        "  binding) lays the same document out in well under a second (the PDF",
        "  row less the outline and the child's start). It writes",
        "  a tagged PDF and checks PDF/UA-1 while writing (`pdf_standards=",
        '  "ua-1"`: document title, language from the training\'s language, a',
        "  text alternative for each chart from its SVG title and description,",
        "  consecutive heading levels), which issue 15 asks of the summary, and",
        "  embeds the SVG charts as vectors. ReportLab was the other candidate:",
        "  we found no tagged (PDF/UA) output in its open-source toolkit, and it",
        "  draws SVG only through a further package.",
        "",
        "**How it is built.** `render.pdf_document` turns the same outline that",
        "the preview page, DOCX and Markdown walk into JSON; the template",
        "`templates/summaries/summary.typ` reads it from `sys.inputs`, so a",
        "participant's text is always text, never Typst markup. Very long words",
        "get break opportunities (a zero-width space every 30 characters) so a",
        "pasted link cannot run off the page. Typst runs in a child process",
        "(`facilitation/summaries/typeset.py`): in one process its layout cache",
        "keeps each compilation for the next ten: one process grew by about",
        "50 MB a PDF of this session, to some 650 MB after ten (measured once,",
        "2026-12-05). The child gives it back when it exits.",
        "Starting it (Python, the Typst module, the system fonts) is the row",
        '"child process alone". The server waits for the child on a pipe, so a',
        "gevent worker serves its other connections meanwhile: only the summary",
        "data and the outline's JSON (the rows above) hold its event loop, where",
        "WeasyPrint held it for the whole layout. If a document ever failed the",
        "PDF/UA-1 check, the child writes a tagged PDF without the claim and the",
        "server logs why.",
        "",
        "DOCX (python-docx) of the complete document takes the time in the table",
        "(not part of the target); Markdown is a small part.",
        "<!-- summary_pdf end -->",
    ]
    return "\n".join(lines)


def write(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    pattern = re.compile(r"<!-- summary_pdf begin -->.*?<!-- summary_pdf end -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--write", type=Path, help="update this Markdown file's section")
    ap.add_argument("--pdf", type=Path, help="also save the PDF here")
    args = ap.parse_args(argv)

    from facilitation import create_app
    from facilitation.accounts import services as accounts
    from facilitation.extensions import db
    from facilitation.live import services as live_services
    from facilitation.live.models import LiveSession
    from facilitation.summaries import render
    from facilitation.summaries.services import build_summary
    from facilitation.trainings import services as trainings

    tmp = tempfile.TemporaryDirectory(prefix="facilitation-summary-")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp.name) / 'summary.sqlite'}",
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SOCKETIO_ASYNC_MODE": "threading",
            "SOCKETIO_MESSAGE_QUEUE": None,
        }
    )
    with app.app_context():
        db.create_all()
        user = accounts.create_user("bench@example.invalid", "Bench", secrets.token_urlsafe(12))
        training = trainings.create_training(user, "Kotoutumisen perusteet (bench)")
        live = live_services.open_session(training, "Koko päivä")
        db.session.commit()
        seed_big(training, live)
        live_id = live.id

        def fresh_summary():
            db.session.expire_all()
            return build_summary(db.session.get(LiveSession, live_id))

        rows = {}
        rows["build_summary"], summary = timed(fresh_summary, args.repeat)
        rows["pdf_document"], doc = timed(lambda: render.pdf_document(summary), args.repeat)
        rows["to_pdf"], pdf = timed(lambda: render.to_pdf(summary), args.repeat)
        rows["child"], _ = timed(lambda: empty_pdf(render), args.repeat)
        rows["to_docx"], _ = timed(lambda: render.to_docx(summary), args.repeat)
        rows["to_markdown"], _ = timed(lambda: render.to_markdown(summary), args.repeat)

        from pypdf import PdfReader

        from tests.summary_data import big_numbers, pdf_text

        found_q, found_s = big_numbers(pdf_text(pdf))
        visible = {n for n in range(QUESTIONS) if n % 50}
        complete = found_q == visible and found_s == set(range(STORIES))
        root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
        tagged = bool(root.get("/MarkInfo", {}).get("/Marked")) and "/StructTreeRoot" in root
        facts = {
            "tagging": (
                f"{'tagged' if tagged else 'NOT tagged'}, language `{root.get('/Lang')}`, "
                + ("claims PDF/UA-1" if b"pdfuaid" in pdf else "no PDF/UA-1 claim")
            ),
            "complete": complete,
            "found": (
                f"every visible question ({len(found_q)}) and every story ({len(found_s)}) "
                "is in the PDF, no hidden or pending one"
                if complete
                else f"NO: {len(visible - found_q)} questions and "
                f"{STORIES - len(found_s & set(range(STORIES)))} stories missing, "
                f"{len(found_q - visible)} hidden ones shown"
            ),
            "steps": sum(s["run"] for s in summary["steps"]),
            "shown_questions": sum(len(s["questions"]) for s in summary["steps"]),
            "polls": sum(1 for s in summary["steps"] if s["poll"]),
            "paired": summary["self_assessment"]["paired"],
            "pages": len(PdfReader(io.BytesIO(pdf)).pages),
            "pdf_kb": len(pdf) // 1024,
            "charts": sum(b["kind"] == "chart" for b in doc["blocks"]),
            "entries": sum(len(b["items"]) for b in doc["blocks"] if b["kind"] == "entries"),
            "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        }
    if args.pdf:
        args.pdf.write_bytes(pdf)
    section = report(rows, facts, args.repeat)
    print(section)
    if args.write:
        write(args.write, section)
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
