#!/usr/bin/env python
"""Server-side cost of one questions push, without any network.

    .venv/bin/python bench/render_cost.py
    .venv/bin/python bench/render_cost.py --sizes 10 50 200 --repeat 20

Builds the app in this process on a temporary SQLite database, adds N visible
questions to one open session and times, per list size:

- the reads ``push_questions`` does (visible, pinned, moderated, pending);
- each audience's pieces rendered in one language (participant, projector,
  moderator), the same calls ``push()`` makes once per language;
- a whole ``push_questions(live)`` with ``socketio.emit`` replaced by a no-op
  in this process, i.e. everything a committed change costs the server
  before the first byte goes to a socket (3 audiences x 3 languages).

This complements bench/live_latency.py: that one measures the loop end to end
over real sockets, this one says how much of it is rendering.
"""

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int) -> float:
    """Median wall time of ``fn()`` in ms over ``repeat`` runs (after one warm-up)."""
    fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def measure(live, size: int, languages, repeat: int, emitted: list) -> dict:
    """One row: the reads, each audience in one language, a whole push."""
    from flask_babel import force_locale

    from facilitation.extensions import db
    from facilitation.questions import broadcasts, services
    from facilitation.realtime import broadcasting

    visible = services.visible_questions(live)
    pinned = services.pinned_question(live)
    moderated = services.moderated_questions(live)
    pending = services.pending_questions(live)

    def reads():
        db.session.expire_all()
        services.visible_questions(live)
        services.pinned_question(live)
        services.moderated_questions(live)
        services.pending_questions(live)

    def one_language(build):
        def run():
            with force_locale(languages[0]), broadcasting():
                build()

        return timed(run, repeat)

    row = {
        "questions": size,
        "reads": timed(reads, repeat),
        "participant": one_language(lambda: broadcasts.participant_pieces(live, visible)),
        "projector": one_language(lambda: broadcasts.projector_pieces(live, visible, pinned)),
        "moderator": one_language(lambda: broadcasts.moderator_pieces(live, moderated, pending)),
    }
    emitted.clear()
    # The push itself, not its coalescing: every room counted as listened to.
    row["push"] = timed(lambda: broadcasts._push_questions_now(live, True), repeat)
    per_push = len(emitted) // (repeat + 1)
    row["bytes"] = sum(emitted[:per_push])
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100, 200])
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args(argv)

    from facilitation import create_app
    from facilitation.accounts import services as accounts
    from facilitation.extensions import db
    from facilitation.live import services as live_services
    from facilitation.questions import services
    from facilitation.trainings import services as trainings

    tmp = tempfile.TemporaryDirectory(prefix="facilitation-render-")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp.name) / 'render.sqlite'}",
            "SECRET_KEY": secrets.token_urlsafe(32),
            # this process renders only; it serves no sockets
            "SOCKETIO_ASYNC_MODE": "threading",
            "SOCKETIO_MESSAGE_QUEUE": None,
        }
    )
    emitted = []
    import facilitation.realtime as realtime

    realtime._may_have_members = lambda name: True
    realtime.socketio.emit = lambda event, data, to=None, **kw: emitted.append(
        sum(len(p["html"]) for p in data)
    )
    languages = app.config["LANGUAGES"]
    rows = []
    with app.app_context():
        db.create_all()
        user = accounts.create_user("bench@example.invalid", "Bench", secrets.token_urlsafe(12))
        training = trainings.create_training(user, "Benchmark")
        live = live_services.open_session(training, "Benchmark")
        db.session.commit()
        made = 0
        for size in sorted(args.sizes):
            while made < size:
                services.ask(
                    live,
                    f"Kysymys {made}: miten tämä toimii käytännössä, ja kuka siitä päättää?",
                    secrets.token_urlsafe(16),
                )
                made += 1
            db.session.commit()
            with app.test_request_context("/"):
                rows.append(measure(live, size, languages, args.repeat, emitted))
    tmp.cleanup()

    print(
        f"one questions push, median of {args.repeat} (ms); 'push' = reads + "
        f"3 audiences x {len(languages)} languages, emit stubbed"
    )
    print(
        f"{'questions':>9}{'reads':>8}{'particip.':>11}{'projector':>11}{'moderator':>11}"
        f"{'push':>8}{'html/push':>12}"
    )
    for r in rows:
        print(
            f"{r['questions']:>9}{r['reads']:>8.1f}{r['participant']:>11.1f}"
            f"{r['projector']:>11.1f}{r['moderator']:>11.1f}{r['push']:>8.1f}"
            f"{r['bytes'] / 1024:>10.0f}kB"
        )
    print(
        "participant/projector/moderator: one language each; a push renders each "
        f"of them {len(languages)} times, rooms with nobody in them included."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
