"""A short sample of `make bench`: a few phones for a few seconds, same code.

bench/load.py starts the project and the bare room on gunicorn's gevent
websocket worker, two load-generator processes connect the phones and send
questions and votes; every phone and the projector must get every question,
and the report must have every column for both servers. No timing is
asserted (that is the bench's job, on a quiet machine).
"""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_sample_sqlite(tmp_path):
    bench = load_bench()
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n")
    args = bench.parse_args(
        [
            "--phones", "6",
            "--duration", "3",
            "--workers", "2",
            "--votes-per-s", "4",
            "--grace", "20",
            "--write", str(doc),
        ]
    )  # fmt: skip
    results, meta = bench.run_bench(args)
    for kind in ("project", "bare"):
        r = results[6][kind]
        assert r["phones"] == 6, (kind, r.get("connect_errors"))
        assert r["asks_sent"] == r["asks_acked"] == 6, (kind, r["ask_failed"])
        assert r["delivery_pct"] == 100, kind
        assert r["projector"] and r["projector_delivery_pct"] == 100, kind
        assert r["votes_sent"] > 0 and not r["vote_failed"], (kind, r["vote_failed"])
        assert r["dropped"] == 0
        values = bench.row_values(r)
        missing = [key for key in bench.COLUMNS if values[key] is None]
        assert not missing, (kind, missing)
    text = bench.section(bench.render(results, args, meta), args, meta)
    bench.write_doc(doc, text)
    written = doc.read_text()
    assert written.count(bench.SECTION_BEGIN) == 1 and bench.SECTION_END in written
    table = [line for line in written.splitlines() if line.startswith("| ")]
    for label, _key, _how, compare in bench.ROWS:
        row = next(line for line in table if line.startswith(f"| {label} |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] != "–" and cells[2] != "–", row
        if compare and bench.row_values(results[6]["bare"])[_key]:
            assert cells[3] not in ("", "–"), row
    assert "targets (project):" in written
    # A second run replaces its section instead of adding one.
    bench.write_doc(doc, text)
    assert doc.read_text().count(bench.SECTION_BEGIN) == 1
