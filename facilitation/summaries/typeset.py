"""Typeset the summary PDF with Typst, in a child process of its own.

    python -P typeset.py TEMPLATE.typ < doc.json > summary.pdf

``render.to_pdf`` runs this file as a script (it imports nothing but Typst
and the standard library). A process of its own, because Typst keeps what it
laid out in a cache for the next ten compilations: about 50 MB for a
1,000-question session, some 650 MB after ten of them in a server worker
that never frees it. A child process gives it back when it exits, and a
gevent worker waits for it without blocking its other connections.

Typst writes a tagged PDF/UA-1 document with the document's language and
title (the template sets them); see docs/performance.md for why Typst and
not WeasyPrint.
"""

from __future__ import annotations

import sys
from pathlib import Path

# PDF/UA-1: Typst checks the document against it while writing (a title, the
# language, a text alternative for every chart, tags for the structure).
STANDARD = "ua-1"


def typeset(template: Path, doc_json: str) -> bytes:
    """The PDF; if it cannot be PDF/UA-1, a tagged PDF all the same (and the
    reason on stderr) rather than no summary at all."""
    import typst

    def compile_(standards):
        return typst.compile(
            template.read_bytes(),
            root=str(template.parent),
            sys_inputs={"doc": doc_json},
            pdf_standards=standards,
        )

    try:
        return compile_(STANDARD)
    except typst.TypstError as error:
        if not any(word in str(error).lower() for word in ("pdf/ua", "ua-1", "standard")):
            raise
        print(f"not PDF/UA-1, written as a tagged PDF: {error}", file=sys.stderr)
        return compile_([])


def main(argv: list[str]) -> int:
    template = Path(argv[1])
    doc_json = sys.stdin.buffer.read().decode("utf-8")
    try:
        pdf = typeset(template, doc_json)
    except Exception as error:  # noqa: BLE001 - every failure goes to the parent
        detail = getattr(error, "diagnostic", "") or ""
        print(f"{type(error).__name__}: {error}\n{detail}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
