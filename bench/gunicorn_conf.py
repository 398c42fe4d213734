"""gunicorn settings hooks of bench/load.py: measure how long the event loop stalls.

Loaded with ``-c bench/gunicorn_conf.py`` for both the project and the bare
room; the command line sets everything else. With ``BENCH_BLOCK_PROBE=1`` in
the environment, every worker:

- keeps gevent's own blocking monitor (``GEVENT_MONITOR_THREAD_ENABLE=true``,
  ``GEVENT_MAX_BLOCKING_TIME=0.05``, set by the bench: its thread, its period
  and its greenlet-switch tracer) but gives it a lean report. gevent's own
  report walks every object in the heap for the tree of all greenlets and
  reads source lines, holding the GIL for up to hundreds of ms with 2,000
  sockets, which itself blocks the loop it measures. The lean report is the
  blocked stack only (file, line, function, no source lookup), stamped with
  ``time.monotonic()``;
- runs a probe greenlet that sleeps 10 ms at a time and prints a
  ``BENCH-LAG <monotonic> <ms>`` line to stderr whenever it woke up more than
  50 ms late: how long the loop was really held, which the monitor (it checks
  once per period) cannot tell.

bench/load.py matches each stall with the monitor reports stamped inside it.
"""

import os
import sys
import time

PROBE_INTERVAL = 0.01
PROBE_THRESHOLD = 0.05


def post_worker_init(worker):
    if os.environ.get("BENCH_BLOCK_PROBE") != "1":
        return
    import gevent

    hub = gevent.get_hub()
    monitor = hub.start_periodic_monitoring_thread()
    if monitor is not None:
        tracer = monitor._greenlet_tracer

        def lean_report(hub):
            # What gevent's monitor_blocking() does, minus the heap walk.
            blocked = tracer.did_block_hub(hub)
            if not blocked:
                return
            at = time.monotonic()
            # Hold the GIL while the stack is read: with the default 5 ms
            # switch interval the loop's thread would run on between two
            # frames and the report would mix two stacks.
            interval = sys.getswitchinterval()
            sys.setswitchinterval(1.0)
            try:
                frame = sys._current_frames().get(hub.thread_ident)
                lines = []
                while frame is not None:
                    code = frame.f_code
                    lines.append(
                        f'  File "{code.co_filename}", line {frame.f_lineno}, in {code.co_name}'
                    )
                    frame = frame.f_back
            finally:
                sys.setswitchinterval(interval)
            if not lines:
                return
            lines.reverse()
            print(
                "=" * 80
                + f"\nGreenlet {blocked[1]!r} appears to be blocked\nBlocked Stack:\n"
                + "\n".join(lines)
                + f"\nBENCH-BLOCK-AT {at:.3f}",
                file=sys.stderr,
                flush=True,
            )

        # The monitor calls its entries' functions every period.
        monitor._monitoring_functions[0].function = lean_report

    def probe():
        last = time.monotonic()
        while True:
            gevent.sleep(PROBE_INTERVAL)
            t = time.monotonic()
            lag = t - last - PROBE_INTERVAL
            if lag > PROBE_THRESHOLD:
                print(f"BENCH-LAG {t:.3f} {lag * 1000:.0f}", file=sys.stderr, flush=True)
            last = t

    gevent.spawn(probe)
