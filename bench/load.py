#!/usr/bin/env python
"""Live-load bench: the project against a bare Flask-SocketIO room, same load.

    make bench
    .venv/bin/python bench/load.py --phones 200,1000,2000 --write docs/performance.md
    .venv/bin/python bench/load.py --phones 200 --duration 20   # a quick look

For each phone count N, one after the other and with the same generator, it
measures two servers, each on the same stack (gunicorn, the gevent websocket
worker ``geventwebsocket.gunicorn.workers.GeventWebSocketWorker``, one worker,
``--worker-connections 10000``, ``--no-control-socket`` when gunicorn has it):

- **project**: ``facilitation.wsgi:app`` with a fresh SQLite database in a
  temporary directory (``flask db upgrade`` then ``flask demo --json``);
- **bare**: ``bench/bare_room.py``, one Flask-SocketIO room, one broadcast per
  message, no application logic.

The load generator is ``--workers`` processes (this file with ``--worker``,
gevent, python-socketio sync clients on the websocket transport), each
holding a share of the N phones; worker 0 also holds a projector socket
(signed in as the demo trainer for the project). During ``--duration``
seconds the workers together send ``--questions-per-s`` ``questions:ask``
(unique marker text, a ``client_id``) and ``--votes-per-s``
``questions:vote`` on questions they have seen, open loop, spread over all
phones. A question has arrived on a phone when its marker is in the html of
any piece of a ``ui:swap`` (both the list-of-pieces format and
``{"v", "pieces"}``; a version gap triggers a ``live:sync`` resync, whose
pieces count too).

Reported per N and server: ask ack p50/p99; post-to-projector (send until the
projector saw the marker); post-to-every-phone (send until the last phone saw
it, one value per question); vote ack; delivery (phone, question) pairs seen
within ``--grace`` s after the last ask; server worker RSS (peak); bytes per
phone per second (every websocket message during the window); server and
generator CPU; event-loop stalls over 50 ms (gevent's monitor thread,
``GEVENT_MONITOR_THREAD_ENABLE=true GEVENT_MAX_BLOCKING_TIME=0.05``, plus the
lag probe of bench/gunicorn_conf.py for the durations) with the stack that
was running. All times are ``time.monotonic()`` (CLOCK_MONOTONIC, one clock
for every process on the machine).
"""

import sys

WORKER = __name__ == "__main__" and "--worker" in sys.argv
if WORKER:
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import queue  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import secrets  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

import requests  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
WORKER_CLASS = "geventwebsocket.gunicorn.workers.GeventWebSocketWorker"
LANGS = ("fi", "sv", "en")
KINDS = ("project", "bare")
QID_RE = re.compile(r'id="question-(\d+)"')
FRAME_RE = re.compile(r'File "([^"]+)", line (\d+), in (\S+)')
SECTION_BEGIN = "<!-- live_bench begin -->"
SECTION_END = "<!-- live_bench end -->"
# Settings from a developer's shell that must not leak into the bench servers.
CLEARED_ENV = (
    "FLASK_APP",
    "FACILITATION_SOCKETIO_MESSAGE_QUEUE",
    "FACILITATION_PUBLIC_URL",
    "FACILITATION_DATABASE_URL",
    "FACILITATION_REDIS_URL",
    "FACILITATION_RATELIMIT_STORAGE_URI",
    "ACCESS_LOG",
    "GEVENT_MONITOR_THREAD_ENABLE",
    "GEVENT_MAX_BLOCKING_TIME",
)
MONITOR_ENV = {
    "GEVENT_MONITOR_THREAD_ENABLE": "true",
    "GEVENT_MAX_BLOCKING_TIME": "0.05",
    "BENCH_BLOCK_PROBE": "1",
}
BLOCK_THRESHOLD_MS = 50
# Targets of issue 10 for the project at each N.
TARGET_P99_RATIO = 1.3
TARGET_RSS_MB = 300


def mono() -> float:
    return time.monotonic()


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def raise_nofile() -> int:
    """Soft open-file limit up to the hard one: 2,000 sockets need 2,000+ fds."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 1 << 20
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def cpu_seconds_self() -> float:
    t = os.times()
    return t.user + t.system


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# =============================================================================
# The load generator worker (a gevent process holding a share of the phones)
# =============================================================================


def _client_classes():
    import engineio
    import socketio

    class InlineEngineIO(engineio.Client):
        """Runs the message handler in the read loop, not in a new thread per message.

        The handlers here only record and never wait, and a thread (greenlet)
        per message would cost the generator more CPU than the rest of it.
        """

        def _trigger_event(self, event, *args, **kwargs):
            if event == "message":
                kwargs["run_async"] = False
            return super()._trigger_event(event, *args, **kwargs)

    class BenchClient(socketio.Client):
        def _engineio_client_class(self):
            return InlineEngineIO

    return BenchClient


class Phone:
    """One socket: which question markers arrived when, bytes received, version gaps."""

    def __init__(self, index, lang, marker_re, client_class, track_ids=None):
        self.index = index
        self.lang = lang
        self.marker_re = marker_re
        self.prefix = marker_re.pattern.split("(")[0].replace("\\", "")
        self.track_ids = track_ids  # a set to fill with question ids seen, or None
        self.seen: dict[int, float] = {}
        self.bytes = 0
        self.version = None
        self.gaps = 0
        self.resyncs = 0
        self.connected = False
        self.dropped = False
        self.sio = client_class(
            reconnection=False,
            request_timeout=30,
            websocket_extra_options={"skip_utf8_validation": True},
        )
        self.sio.on("ui:swap", self.on_swap)
        self.sio.on("disconnect", self.on_disconnect)

    def on_disconnect(self, *args) -> None:
        if self.connected:
            self.dropped = True
        self.connected = False

    def scan(self, pieces, t: float) -> None:
        if isinstance(pieces, dict):
            pieces = [pieces]
        if not isinstance(pieces, list):
            return
        for piece in pieces:
            if not isinstance(piece, dict):
                continue
            html = piece.get("html")
            if not isinstance(html, str):
                continue
            if self.track_ids is not None:
                self.track_ids.update(int(x) for x in QID_RE.findall(html))
            if self.prefix not in html:
                continue
            seen = self.seen
            for index in self.marker_re.findall(html):
                index = int(index)
                if index not in seen:
                    seen[index] = t

    def on_swap(self, payload) -> None:
        t = mono()
        if isinstance(payload, dict) and "pieces" in payload:
            version = payload.get("v")
            if isinstance(version, int):
                if self.version is not None and version > self.version + 1:
                    self.gaps += 1
                    import gevent

                    gevent.spawn(self.resync)
                if self.version is None or version > self.version:
                    self.version = version
            self.scan(payload.get("pieces"), t)
        else:
            self.scan(payload, t)

    def resync(self) -> None:
        try:
            ack = self.sio.call("live:sync", {}, timeout=30)
        except Exception:  # noqa: BLE001 - a failed resync shows as missed questions
            return
        self.resyncs += 1
        if isinstance(ack, dict):
            if isinstance(ack.get("v"), int) and (self.version is None or ack["v"] > self.version):
                self.version = ack["v"]
            self.scan(ack.get("pieces"), mono())

    def connect(self, url, code, audience="participant", cookie="", timeout=30.0) -> float:
        if audience == "participant" and not cookie:
            # As a phone does: the join page hands out the participant token.
            join = requests.get(f"{url}/j/{code}", timeout=timeout)
            join.raise_for_status()
            cookie = "; ".join(f"{k}={v}" for k, v in join.cookies.items())
        headers = {"Cookie": f"lang={self.lang}" + (f"; {cookie}" if cookie else "")}
        t0 = mono()
        self.sio.connect(
            url,
            headers=headers,
            auth={"code": code, "audience": audience},
            transports=["websocket"],
            wait_timeout=timeout,
        )
        self.connected = True
        ws = self.sio.eio.ws
        recv = ws.recv

        def counting_recv():
            data = recv()
            self.bytes += len(data) if isinstance(data, bytes) else len(data.encode())
            return data

        ws.recv = counting_recv
        ack = self.sio.call("live:sync", {}, timeout=timeout)
        if not (isinstance(ack, dict) and ack.get("ok")):
            raise RuntimeError(f"live:sync refused: {ack!r}"[:200])
        if isinstance(ack.get("v"), int):
            self.version = ack["v"]
        self.scan(ack.get("pieces"), mono())
        return mono() - t0

    def close(self) -> None:
        self.connected = False
        with contextlib.suppress(Exception):  # closing whatever state it is in
            self.sio.disconnect()


def worker_main() -> None:
    """One load-generator process: reads its orders on stdin, answers JSON lines on stdout."""
    import gevent
    from gevent.fileobject import FileObjectPosix
    from gevent.pool import Pool

    raise_nofile()
    # engineio's client logs every socket it closes at the end ("packet queue
    # is empty, aborting"); failures are counted and reported instead.
    logging.getLogger("engineio").setLevel(logging.CRITICAL)
    logging.getLogger("socketio").setLevel(logging.CRITICAL)
    stdin = FileObjectPosix(sys.stdin.fileno(), "rb", close=False)
    out = sys.stdout

    def say(obj) -> None:
        out.write(json.dumps(obj, separators=(",", ":")) + "\n")
        out.flush()

    cfg = json.loads(stdin.readline())
    w, workers = cfg["worker"], cfg["workers"]
    rng = random.Random(cfg["seed"] * 1000 + w)
    client_class = _client_classes()
    marker_re = re.compile(r"\[bench-" + cfg["run_id"] + r"-(\d+)\]")
    known_ids: set[int] = set()
    phones = [
        Phone(
            i,
            LANGS[i % len(LANGS)],
            marker_re,
            client_class,
            track_ids=known_ids if j == 0 else None,
        )
        for j, i in enumerate(range(cfg["first"], cfg["first"] + cfg["count"]))
    ]
    errors: Counter = Counter()
    connect_times: list[float] = []
    cpu0, wall0 = cpu_seconds_self(), mono()

    def connect(phone: Phone) -> None:
        for attempt in range(3):
            try:
                connect_times.append(phone.connect(cfg["url"], cfg["code"], timeout=cfg["timeout"]))
                return
            except Exception as exc:  # noqa: BLE001 - counted and reported
                errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
                phone.close()
                phone.__init__(phone.index, phone.lang, marker_re, client_class, phone.track_ids)
                gevent.sleep(0.5 * (attempt + 1))

    pool = Pool(cfg["concurrency"])
    for phone in phones:
        pool.spawn(connect, phone)
    pool.join(timeout=cfg["connect_timeout"])
    pool.kill()
    projector = None
    if cfg.get("projector") is not None:
        projector = Phone(-1, "fi", marker_re, client_class)
        try:
            projector.connect(
                cfg["url"],
                cfg["code"],
                audience="projector",
                cookie=cfg["projector"],
                timeout=cfg["timeout"],
            )
        except Exception as exc:  # noqa: BLE001
            errors[f"projector: {type(exc).__name__}: {exc}"[:120]] += 1
            projector = None
    live = [p for p in phones if p.connected]
    say(
        {
            "type": "connected",
            "worker": w,
            "phones": len(live),
            "failed": len(phones) - len(live),
            "errors": dict(errors.most_common(5)),
            "projector": projector is not None,
            "connect_wall": mono() - wall0,
            "connect_cpu": cpu_seconds_self() - cpu0,
            "connect_p50": percentile(connect_times, 50),
            "connect_p99": percentile(connect_times, 99),
        }
    )

    go = json.loads(stdin.readline())
    t0, duration, grace = go["t0"], cfg["duration"], cfg["grace"]
    n_questions = round(cfg["questions_per_s"] * duration)
    n_votes = round(cfg["votes_per_s"] * duration)
    asks: dict[int, list] = {}
    votes: list[list] = []
    voted: set[tuple[int, int]] = set()
    greenlets = []

    def ask(i: int, phone: Phone) -> None:
        body = f"Kysymys {i}: miten tämä toimii käytännössä? [bench-{cfg['run_id']}-{i}]"
        payload = {"body": body, "client_id": secrets.token_urlsafe(16)}
        sent = mono()
        asks[i] = [sent, None, None]
        try:
            ack = phone.sio.call("questions:ask", payload, timeout=cfg["timeout"])
        except Exception as exc:  # noqa: BLE001
            asks[i][2] = type(exc).__name__
            return
        if isinstance(ack, dict) and ack.get("ok"):
            asks[i][1] = mono() - sent
            if isinstance(ack.get("id"), int):
                known_ids.add(ack["id"])
        else:
            asks[i][2] = str(ack.get("error") if isinstance(ack, dict) else ack)[:60]

    def vote(phone: Phone, qid: int) -> None:
        sent = mono()
        record = [sent, None, None]
        votes.append(record)
        try:
            ack = phone.sio.call("questions:vote", {"question_id": qid}, timeout=cfg["timeout"])
        except Exception as exc:  # noqa: BLE001
            record[2] = type(exc).__name__
            return
        if isinstance(ack, dict) and ack.get("ok"):
            record[1] = mono() - sent
        else:
            record[2] = str(ack.get("error") if isinstance(ack, dict) else ack)[:60]

    # The whole run's schedule; this worker's share is every workers-th event.
    schedule = [(t0 + i / cfg["questions_per_s"], "ask", i) for i in range(n_questions)]
    schedule += [
        (t0 + 1.0 + j / cfg["votes_per_s"], "vote", j) for j in range(n_votes) if j % workers == w
    ]
    schedule = sorted(e for e in schedule if e[1] == "vote" or e[2] % workers == w)
    skipped_votes = 0
    gevent.sleep(max(0.0, t0 - mono()))
    cpu_start = cpu_seconds_self()
    bytes_start = [p.bytes for p in live]
    bytes_end = None
    window_end = t0 + duration
    for at, kind, i in schedule:
        if bytes_end is None and at > window_end:
            bytes_end = [p.bytes for p in live]
        delay = at - mono()
        if delay > 0:
            gevent.sleep(delay)
        if kind == "ask":
            pool_ = [p for p in live if p.connected] or live
            phone = pool_[(i // workers) % len(pool_)]
            greenlets.append(gevent.spawn(ask, i, phone))
            continue
        phone = qid = None
        ids = sorted(known_ids)
        for _ in range(10):
            if not ids or not live:
                break
            cand, q = rng.choice(live), rng.choice(ids)
            if cand.connected and (cand.index, q) not in voted:
                phone, qid = cand, q
                break
        if phone is None:
            skipped_votes += 1
            continue
        voted.add((phone.index, qid))
        greenlets.append(gevent.spawn(vote, phone, qid))
    delay = window_end - mono()
    if delay > 0:
        gevent.sleep(delay)
    if bytes_end is None:
        bytes_end = [p.bytes for p in live]
    cpu_window = cpu_seconds_self() - cpu_start
    # Grace: until every phone here has every question, or the grace is over.
    deadline = mono() + grace
    while mono() < deadline:
        if all(len(p.seen) >= n_questions for p in live) and (
            projector is None or len(projector.seen) >= n_questions
        ):
            break
        gevent.sleep(0.1)
    gevent.joinall(greenlets, timeout=max(1.0, deadline - mono()))
    seen: dict[int, list[float]] = defaultdict(list)
    for p in live:
        for i, t in p.seen.items():
            seen[i].append(t)
    say(
        {
            "type": "result",
            "worker": w,
            "phones": len(live),
            "dropped": sum(1 for p in live if p.dropped),
            "asks": asks,
            "votes": votes,
            "skipped_votes": skipped_votes,
            "seen": seen,
            "projector": projector.seen if projector else None,
            "bytes": [b - a for a, b in zip(bytes_start, bytes_end, strict=True)],
            "cpu_window": cpu_window,
            "cpu_total": cpu_seconds_self() - cpu0,
            "gaps": sum(p.gaps for p in live),
            "resyncs": sum(p.resyncs for p in live),
        }
    )
    closer = Pool(100)
    for p in [*live, *([projector] if projector else [])]:
        closer.spawn(p.close)
    closer.join(timeout=20)
    closer.kill()
    sys.stdout.flush()
    os._exit(0)


# =============================================================================
# The orchestrator: servers, workers, numbers
# =============================================================================


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_rss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def proc_cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def system_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    total = sum(fields[:8])
    return total - idle, total


_CONTROL_FLAG: list[bool] = []


def gunicorn_has_no_control_socket() -> bool:
    if not _CONTROL_FLAG:
        out = subprocess.run(
            [sys.executable, "-m", "gunicorn", "--help"], capture_output=True, text=True, timeout=60
        ).stdout
        _CONTROL_FLAG.append("--no-control-socket" in out)
    return _CONTROL_FLAG[0]


class Server:
    """gunicorn + the gevent websocket worker on a free loopback port."""

    START_TIMEOUT = 60.0

    def __init__(self, kind: str, monitor: bool = True):
        self.kind = kind
        self.tmp = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.tmp / "server.log"
        self.proc: subprocess.Popen | None = None
        self.worker_pid: int | None = None
        env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
        env.update(PYTHONUNBUFFERED="1")
        if monitor:
            env.update(MONITOR_ENV)
        if kind == "project":
            env.update(
                FACILITATION_DATABASE_URL=f"sqlite:///{self.tmp / 'bench.sqlite'}",
                FACILITATION_SECRET_KEY=secrets.token_urlsafe(32),
                FACILITATION_PUBLIC_URL=self.url,
                # Every simulated phone joins from 127.0.0.1, and the join
                # limit counts per address: lift it for the bench.
                FACILITATION_PARTICIPANT_JOIN_LIMIT="1000000 per minute",
            )
        self.env = env
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "-k",
            WORKER_CLASS,
            "-w",
            "1",
            "--worker-connections",
            "10000",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "3",
            "-c",
            str(BENCH / "gunicorn_conf.py"),
        ]
        if gunicorn_has_no_control_socket():
            cmd.append("--no-control-socket")
        if kind == "project":
            cmd.append("facilitation.wsgi:app")
        else:
            cmd += ["--pythonpath", str(BENCH), "bare_room:app"]
        self.command = cmd

    def flask(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "facilitation", *args],
            cwd=ROOT,
            env={k: v for k, v in self.env.items() if k not in MONITOR_ENV},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self) -> dict:
        if self.kind == "project":
            self.flask("db", "upgrade")
            out = self.flask("demo", "--json", "--base-url", self.url, timeout=60)
            info = json.loads(out.strip().splitlines()[-1])
        else:
            info = {"code": "BARE01"}
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - open while the server runs
        self.proc = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = mono() + self.START_TIMEOUT
        while mono() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/", timeout=2).status_code < 500:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError(f"server did not answer:\n{self.log_tail()}")
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            self.worker_pid = int(children.split()[0])
        except (OSError, ValueError, IndexError):
            self.worker_pid = self.proc.pid
        return info

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            # SIGINT: gunicorn's quick shutdown (no wait for open websockets).
            for sig, wait in ((signal.SIGINT, 10), (signal.SIGKILL, 10)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if getattr(self, "_log", None):
            self._log.close()

    def cleanup(self, keep: bool) -> None:
        if keep:
            log(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def trainer_cookie(base_url: str, email: str, password: str) -> str | None:
    """Sign in over HTTP; the Cookie header for a projector socket, or None."""
    try:
        http = requests.Session()
        page = http.get(f"{base_url}/accounts/login", timeout=10)
        tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page.text)
        token = re.search(r'value="([^"]+)"', tag.group(0)) if tag else None
        if token is None:
            return None
        resp = http.post(
            f"{base_url}/accounts/login",
            data={"csrf_token": token.group(1), "email": email, "password": password},
            allow_redirects=False,
            timeout=10,
        )
        if resp.status_code not in (302, 303):
            return None
        return "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    except requests.RequestException:
        return None


class WorkerProc:
    """One load-generator process and a thread reading its JSON lines."""

    def __init__(self, cfg: dict):
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.send(cfg)

    def _read(self) -> None:
        for line in self.proc.stdout:
            line = line.strip()
            if line.startswith("{"):
                self.lines.put(json.loads(line))
        self.lines.put(None)

    def send(self, obj: dict) -> None:
        self.proc.stdin.write(json.dumps(obj) + "\n")
        self.proc.stdin.flush()

    def expect(self, kind: str, timeout: float) -> dict:
        try:
            msg = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"load worker gave no {kind!r} within {timeout:.0f} s") from None
        if msg is None or msg.get("type") != kind:
            raise RuntimeError(f"load worker ended without {kind!r} (exit {self.proc.poll()})")
        return msg

    def stop(self) -> None:
        if self.proc.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(10)
                    break
                except subprocess.TimeoutExpired:
                    continue
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()


class Sampler(threading.Thread):
    """The server worker's RSS every 0.25 s; peak and last value."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            rss = proc_rss_kb(self.pid)
            if rss:
                self.peak_kb = max(self.peak_kb, rss)
            self.stopped.wait(0.25)


# --- blocking report ----------------------------------------------------------------


def short_path(path: str) -> str:
    for marker in ("/site-packages/", "/lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return path


def frame_key(frames: list[tuple[str, str, str]]) -> str:
    """The innermost frame of the application (or the bench's bare room), and the innermost."""
    if not frames:
        return "(no stack)"
    app = [
        f
        for f in frames
        if "/site-packages/" not in f[0]
        and "/lib/python3" not in f[0]
        and not f[0].startswith("<")
        and not f[0].endswith("gunicorn_conf.py")
    ]
    where = f"{short_path(app[-1][0])}:{app[-1][1]} {app[-1][2]}" if app else "(no app frame)"
    inner = f"{short_path(frames[-1][0])}:{frames[-1][1]} {frames[-1][2]}"
    return where if app and app[-1] == frames[-1] else f"{where} → {inner}"


def parse_blocks(text: str, since: float, until: float) -> dict:
    """gevent monitor reports and loop lags between since and until, grouped by stack.

    The monitor checks every 50 ms whether the running greenlet switched; a
    greenlet that holds the loop over several periods is reported once per
    period, so successive reports of one greenlet are one block. Its length
    comes from the lag probe (the stall that contains the reports), or is at
    least the periods it was reported in.
    """
    period = float(MONITOR_ENV["GEVENT_MAX_BLOCKING_TIME"])
    lags = []
    for m in re.finditer(r"BENCH-LAG ([\d.]+) (\d+)", text):
        if since <= float(m.group(1)) <= until:
            lags.append((float(m.group(1)), float(m.group(2))))
    reports = []
    for chunk in text.split("=" * 80):
        at = re.search(r"BENCH-BLOCK-AT ([\d.]+)", chunk)
        if (
            "appears to be blocked" not in chunk
            or not at
            or not since <= float(at.group(1)) <= until
        ):
            continue
        who = re.search(r"Greenlet (.*?) appears to be blocked", chunk)
        frames = FRAME_RE.findall(chunk.split("Blocked Stack", 1)[-1])
        reports.append((float(at.group(1)), who.group(1) if who else "", frames))
    reports.sort()
    blocks: list[dict] = []
    for at, who, frames in reports:
        last = blocks[-1] if blocks else None
        if last and last["who"] == who and at - last["end"] <= 1.6 * period:
            last["end"] = at
            last["reports"] += 1
            continue
        blocks.append({"who": who, "start": at, "end": at, "reports": 1, "frames": frames})
    groups: dict[str, dict] = {}
    for block in blocks:
        lag = [ms for t, ms in lags if t - ms / 1000 - 0.01 <= block["start"] and block["end"] <= t]
        block["ms"] = max(lag) if lag else (block["reports"] + 1) * period * 1000
        g = groups.setdefault(
            frame_key(block["frames"]), {"count": 0, "total_ms": 0.0, "max_ms": 0}
        )
        g["count"] += 1
        g["total_ms"] += block["ms"]
        g["max_ms"] = max(g["max_ms"], block["ms"])
    top = sorted(groups.items(), key=lambda kv: -kv[1]["total_ms"])
    return {
        "blocks": len(blocks),
        "block_max_ms": max((b["ms"] for b in blocks), default=0),
        "block_total_ms": sum(b["ms"] for b in blocks),
        "monitor_reports": len(reports),
        "top": [{"where": k, **v} for k, v in top[:8]],
        "lags": len(lags),
        "lag_max_ms": max((lag for _, lag in lags), default=0),
        "lag_total_ms": sum(lag for _, lag in lags),
    }


# --- one measurement ----------------------------------------------------------------


def measure(kind: str, n: int, args, run_id: str) -> dict:
    """Start a server, load it with n phones from args.workers processes, stop it."""
    server = Server(kind, monitor=not args.no_monitor)
    workers: list[WorkerProc] = []
    sampler = None
    result: dict = {"kind": kind, "phones_wanted": n}
    try:
        info = server.start()
        log(f"{kind}: server {server.url} (worker pid {server.worker_pid}), {n} phones")
        projector = ""
        if kind == "project":
            projector = trainer_cookie(server.url, info["email"], info["password"])
            if projector is None:
                log("trainer sign-in failed: no projector socket")
        sampler = Sampler(server.worker_pid)
        sampler.start()
        n_workers = max(1, min(args.workers, n))
        shares = [n // n_workers + (1 if w < n % n_workers else 0) for w in range(n_workers)]
        first = 0
        t_connect = mono()
        srv_cpu_connect = proc_cpu_seconds(server.worker_pid)
        for w, count in enumerate(shares):
            workers.append(
                WorkerProc(
                    {
                        "worker": w,
                        "workers": n_workers,
                        "first": first,
                        "count": count,
                        "url": server.url,
                        "code": info["code"],
                        "run_id": run_id,
                        "seed": args.seed,
                        "projector": projector if w == 0 and projector is not None else None,
                        "concurrency": args.connect_concurrency,
                        "timeout": args.timeout,
                        "connect_timeout": args.connect_timeout,
                        "duration": args.duration,
                        "grace": args.grace,
                        "questions_per_s": args.questions_per_s,
                        "votes_per_s": args.votes_per_s,
                    }
                )
            )
            first += count
        connected = [wp.expect("connected", args.connect_timeout + 60) for wp in workers]
        result["connect_s"] = mono() - t_connect
        cpu = proc_cpu_seconds(server.worker_pid)
        result["server_cpu_connect_pct"] = (
            100 * (cpu - srv_cpu_connect) / result["connect_s"] if cpu is not None else None
        )
        result["phones"] = sum(c["phones"] for c in connected)
        result["connect_failed"] = sum(c["failed"] for c in connected)
        errors: Counter = Counter()
        for c in connected:
            errors.update(c["errors"])
        result["connect_errors"] = dict(errors.most_common(5))
        result["projector"] = any(c["projector"] for c in connected)
        result["gen_cpu_connect_pct"] = (
            100
            * sum(c["connect_cpu"] for c in connected)
            / max(c["connect_wall"] for c in connected)
        )
        log(
            f"{kind}: {result['phones']}/{n} phones connected in {result['connect_s']:.1f} s"
            + (f" (errors {result['connect_errors']})" if errors else "")
        )
        time.sleep(2.0)
        result["rss_connected_mb"] = (proc_rss_kb(server.worker_pid) or 0) / 1024
        t0 = mono() + 1.0
        for wp in workers:
            wp.send({"t0": t0})
        time.sleep(max(0.0, t0 - mono()))
        w0, srv0, sys0 = mono(), proc_cpu_seconds(server.worker_pid), system_cpu()
        time.sleep(max(0.0, t0 + args.duration - mono()))
        w1, srv1, sys1 = mono(), proc_cpu_seconds(server.worker_pid), system_cpu()
        result["server_cpu_pct"] = (
            100 * (srv1 - srv0) / (w1 - w0) if srv0 is not None and srv1 is not None else None
        )
        busy, total = sys1[0] - sys0[0], sys1[1] - sys0[1]
        result["machine_cpu_pct"] = 100 * busy / total if total else None
        results = [wp.expect("result", args.grace + args.timeout + 60) for wp in workers]
        sampler.stopped.set()
        result["rss_peak_mb"] = sampler.peak_kb / 1024
        result.update(combine(results, args))
        result["blocks"] = parse_blocks(server.log_text(), t0, t0 + args.duration)
        result["blocks_connect"] = parse_blocks(server.log_text(), t_connect, t0)
        result["server_errors"] = len(re.findall(r"^Traceback", server.log_text(), re.M))
        return result
    finally:
        if sampler:
            sampler.stopped.set()
        for wp in workers:
            wp.stop()
        server.stop()
        server.cleanup(args.keep)


def combine(results: list[dict], args) -> dict:
    """The workers' raw records into the reported numbers."""
    phones = sum(r["phones"] for r in results)
    asks: dict[int, list] = {}
    for r in results:
        asks.update({int(i): v for i, v in r["asks"].items()})
    seen: dict[int, list[float]] = defaultdict(list)
    for r in results:
        for i, times in r["seen"].items():
            seen[int(i)].extend(times)
    projector = next((r["projector"] for r in results if r["projector"] is not None), None)
    acked = {i: v for i, v in asks.items() if v[1] is not None}
    ask_fail = Counter(v[2] for v in asks.values() if v[1] is None)
    every, pairs = [], 0
    per_phone = []
    for i, (sent, _, _) in acked.items():
        times = seen.get(i, [])
        pairs += len(times)
        per_phone.extend(t - sent for t in times)
        if len(times) >= phones and times:
            every.append(max(times) - sent)
    proj = []
    if projector is not None:
        proj = [projector[str(i)] - v[0] for i, v in acked.items() if str(i) in projector]
    votes = [v for r in results for v in r["votes"]]
    vote_ack = [v[1] for v in votes if v[1] is not None]
    vote_fail = Counter(v[2] for v in votes if v[1] is None)
    all_bytes = [b for r in results for b in r["bytes"]]
    cpu_window = [r["cpu_window"] for r in results]
    q = lambda values, p: percentile(values, p)  # noqa: E731
    return {
        "asks_sent": len(asks),
        "asks_acked": len(acked),
        "ask_failed": dict(ask_fail),
        "ack_p50": q([v[1] for v in acked.values()], 50),
        "ack_p99": q([v[1] for v in acked.values()], 99),
        "every_p50": q(every, 50),
        "every_p99": q(every, 99),
        "phone_p50": q(per_phone, 50),
        "phone_p99": q(per_phone, 99),
        "projector_p50": q(proj, 50),
        "projector_p99": q(proj, 99),
        "projector_delivery_pct": 100 * len(proj) / len(acked)
        if acked and projector is not None
        else None,
        "delivery_pct": 100 * pairs / (phones * len(acked)) if phones and acked else None,
        "votes_sent": len(votes),
        "votes_skipped": sum(r["skipped_votes"] for r in results),
        "vote_failed": dict(vote_fail),
        "vote_ack_p50": q(vote_ack, 50),
        "vote_ack_p99": q(vote_ack, 99),
        "bytes_per_phone_s": sum(all_bytes) / len(all_bytes) / args.duration if all_bytes else None,
        "gen_cpu_pct": 100 * sum(cpu_window) / args.duration,
        "gen_cpu_max_pct": 100 * max(cpu_window) / args.duration if cpu_window else None,
        "gen_processes": len(results),
        "dropped": sum(r["dropped"] for r in results),
        "gaps": sum(r["gaps"] for r in results),
        "resyncs": sum(r["resyncs"] for r in results),
    }


# --- report -------------------------------------------------------------------------

ROWS = (
    # (label, key, kind of value, compare with a ratio)
    ("ask ack p50 (ms)", "ack_p50", "ms", True),
    ("ask ack p99 (ms)", "ack_p99", "ms", True),
    ("post-to-projector p50 (ms)", "projector_p50", "ms", True),
    ("post-to-projector p99 (ms)", "projector_p99", "ms", True),
    ("post-to-every-phone p50 (ms)", "every_p50", "ms", True),
    ("post-to-every-phone p99 (ms)", "every_p99", "ms", True),
    ("vote ack p50 (ms)", "vote_ack_p50", "ms", True),
    ("vote ack p99 (ms)", "vote_ack_p99", "ms", True),
    ("delivery (%)", "delivery_pct", "pct", False),
    ("projector delivery (%)", "projector_delivery_pct", "pct", False),
    ("server RSS peak (MB)", "rss_peak_mb", "mb", True),
    ("bytes per phone per s", "bytes_per_phone_s", "int", True),
    ("server CPU (% of 1 core)", "server_cpu_pct", "int", True),
    ("machine CPU (% of all cores)", "machine_cpu_pct", "int", False),
    ("generator CPU (% of 1 core, all processes)", "gen_cpu_pct", "int", False),
    ("gevent monitor: blocks over 50 ms", "blocks", "int", False),
    ("loop lag over 50 ms (probe)", "lags", "int", False),
)
COLUMNS = [key for _, key, _, _ in ROWS]


def fmt(value, how: str) -> str:
    if value is None:
        return "–"
    if how == "ms":
        return f"{value * 1000:.0f}"
    if how == "pct":
        return f"{value:.2f}" if value < 100 else "100"
    if how == "mb":
        return f"{value:.0f}"
    return f"{value:.0f}"


def row_values(r: dict) -> dict:
    values = {key: r.get(key) for key in COLUMNS}
    values["blocks"] = r.get("blocks", {}).get("blocks")
    values["lags"] = r.get("blocks", {}).get("lags")
    return values


def ratio(a, b) -> str:
    if a is None or b in (None, 0):
        return "–"
    return f"{a / b:.2f}"


def verdict(n: int, project: dict, bare: dict) -> list[str]:
    """Each target of issue 10 for this N: met, or missed and what ran out."""
    out = []
    delivery = project.get("delivery_pct")
    p99, bare_p99 = project.get("every_p99"), bare.get("every_p99")
    rss = project.get("rss_peak_mb")
    checks = [
        ("100 % delivery", delivery is not None and delivery >= 100, f"{fmt(delivery, 'pct')} %"),
        (
            f"post-to-every-phone p99 ≤ {TARGET_P99_RATIO}× the bare room",
            p99 is not None and bare_p99 and p99 <= TARGET_P99_RATIO * bare_p99,
            f"{ratio(p99, bare_p99)}×",
        ),
        (
            f"RSS ≤ {TARGET_RSS_MB} MB",
            rss is not None and rss <= TARGET_RSS_MB,
            f"{fmt(rss, 'mb')} MB",
        ),
        ("no block over 50 ms", project.get("blocks", {}).get("blocks") == 0, ""),
    ]
    for label, ok, value in checks:
        out.append(f"{label}: {'met' if ok else 'missed'} ({value})".replace(" ()", ""))
    missed = [label for label, ok, _ in checks if not ok]
    if missed:
        out.append("what ran out: " + resources(project))
    return out


def resources(r: dict) -> str:
    server = r.get("server_cpu_pct") or 0
    machine = r.get("machine_cpu_pct") or 0
    gen = r.get("gen_cpu_pct") or 0
    blocks = r.get("blocks", {})
    parts = []
    if server >= 85:
        parts.append(f"the server's one worker is CPU-bound ({server:.0f} % of its one core)")
    if machine >= 90:
        parts.append(
            f"the machine's cores are busy ({machine:.0f} %; "
            f"the generator alone {gen:.0f} % of a core)"
        )
    if blocks.get("blocks"):
        parts.append(
            f"greenlets blocked the event loop {blocks['blocks']} times over 50 ms "
            f"(max {blocks['block_max_ms']:.0f} ms, {blocks['block_total_ms'] / 1000:.1f} s in all)"
        )
    elif blocks.get("lags"):
        parts.append(
            f"the event loop ran late {blocks['lags']} times by over 50 ms "
            f"(max {blocks['lag_max_ms']:.0f} ms) without one greenlet blocking it: "
            "work queued up in the loop"
        )
    if not parts:
        parts.append(
            f"no resource saturated (server {server:.0f} % of a core, machine {machine:.0f} %): "
            "the time is the server's own (e.g. the push delay)"
        )
    return "; ".join(parts)


def render(results: dict[int, dict[str, dict]], args, meta: dict) -> str:
    lines = []
    for n, by_kind in results.items():
        project, bare = by_kind.get("project", {}), by_kind.get("bare", {})
        pv, bv = row_values(project), row_values(bare)
        lines.append(f"#### {n} phones")
        lines.append("")
        lines.append("| measure | project | bare room | ratio |")
        lines.append("|---|---:|---:|---:|")
        for label, key, how, compare in ROWS:
            lines.append(
                f"| {label} | {fmt(pv[key], how)} | {fmt(bv[key], how)} | "
                f"{ratio(pv[key], bv[key]) if compare else ''} |"
            )
        lines.append("")
        for kind, r in (("project", project), ("bare room", bare)):
            if not r:
                continue
            extra = [
                f"{r.get('phones', 0)}/{n} phones connected in {r.get('connect_s', 0):.0f} s "
                f"(server {r.get('server_cpu_connect_pct') or 0:.0f} % of a core)",
                f"{r.get('asks_acked', 0)}/{r.get('asks_sent', 0)} questions acknowledged",
                f"{r.get('votes_sent', 0)} votes sent ({r.get('votes_skipped', 0)} skipped)",
                f"{r.get('dropped', 0)} dropped",
            ]
            if r.get("connect_failed"):
                extra.append(f"connect failures {r['connect_failed']} {r.get('connect_errors')}")
            if r.get("ask_failed"):
                extra.append(f"ask failures {r['ask_failed']}")
            if r.get("vote_failed"):
                extra.append(f"vote failures {r['vote_failed']}")
            if r.get("gaps"):
                extra.append(f"version gaps {r['gaps']}, resyncs {r.get('resyncs', 0)}")
            if r.get("server_errors"):
                extra.append(f"{r['server_errors']} tracebacks in the server log")
            extra.append(
                f"generator {r.get('gen_processes', 0)} processes, "
                f"busiest {r.get('gen_cpu_max_pct') or 0:.0f} % of a core"
            )
            lines.append(f"- {kind}: " + "; ".join(extra))
        if project and bare:
            lines.append("- targets (project): " + "; ".join(verdict(n, project, bare)))
        for kind, r in (("project", project), ("bare room", bare)):
            for phase, blocks in (
                ("traffic", r.get("blocks")),
                ("connect", r.get("blocks_connect")),
            ):
                if not blocks or not (blocks.get("blocks") or blocks.get("lags")):
                    continue
                lines.append(
                    f"- {kind}, during {phase}: loop lag over 50 ms {blocks['lags']} times "
                    f"(max {blocks['lag_max_ms']:.0f} ms, {blocks['lag_total_ms']:.0f} ms in all); "
                    f"gevent monitor: {blocks['blocks']} blocks over 50 ms "
                    f"({blocks['monitor_reports']} reports)"
                    + (", by stack:" if blocks["top"] else "")
                )
                for g in blocks["top"][:5]:
                    lines.append(
                        f"  - {g['count']}× max {g['max_ms']:.0f} ms, "
                        f"{g['total_ms']:.0f} ms in all: "
                        f"`{g['where']}`"
                    )
        lines.append("")
    return "\n".join(lines)


def machine() -> dict:
    mem_kb, model = 0, ""
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "mem_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": model,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }


def section(body: str, args, meta: dict) -> str:
    m = meta["machine"]
    return "\n".join(
        [
            SECTION_BEGIN,
            f"- Date: {meta['date']}; commit `{m['commit']}`",
            f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['mem_gib']} GiB, Python {m['python']}, "
            f"Linux {m['kernel']}; servers and load generator on the same machine",
            f"- Command: `{meta['command']}` ({meta['wall_s'] / 60:.1f} min)",
            f"- Load: {args.questions_per_s:g} questions/s and {args.votes_per_s:g} votes/s for "
            f"{args.duration:g} s, spread over all phones; 1 projector socket; generator "
            f"{args.workers} processes; delivery counted until {args.grace:g} s "
            "after the last question",
            "",
            body.rstrip(),
            SECTION_END,
        ]
    )


def write_doc(path: Path, text: str) -> None:
    doc = path.read_text()
    if SECTION_BEGIN in doc and SECTION_END in doc:
        head, rest = doc.split(SECTION_BEGIN, 1)
        _, tail = rest.split(SECTION_END, 1)
        doc = head + text + tail
    else:
        doc = doc.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(doc)


def run_bench(args) -> tuple[dict, dict]:
    started = mono()
    run_id = secrets.token_hex(3)
    results: dict[int, dict[str, dict]] = {}
    for n in args.phones:
        results[n] = {}
        for kind in args.kinds:
            results[n][kind] = measure(kind, n, args, f"{run_id}{n}{kind[0]}")
            r = results[n][kind]
            log(
                f"{kind} {n}: delivery {fmt(r.get('delivery_pct'), 'pct')} %, every-phone p99 "
                f"{fmt(r.get('every_p99'), 'ms')} ms, ack p99 {fmt(r.get('ack_p99'), 'ms')} ms, "
                f"RSS {fmt(r.get('rss_peak_mb'), 'mb')} MB, blocks {r['blocks']['blocks']}"
            )
    meta = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "command": args.command,
        "wall_s": mono() - started,
    }
    return results, meta


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--phones", default="200,1000,2000", help="comma-separated phone counts")
    ap.add_argument("--kinds", default="project,bare", help="servers to measure: project,bare")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of traffic")
    ap.add_argument("--questions-per-s", type=float, default=2.0)
    ap.add_argument("--votes-per-s", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=4, help="load-generator processes")
    ap.add_argument("--connect-concurrency", type=int, default=10, help="per worker process")
    ap.add_argument("--timeout", type=float, default=30.0, help="per connect / ack")
    ap.add_argument("--connect-timeout", type=float, default=240.0, help="all phones of a worker")
    ap.add_argument("--grace", type=float, default=10.0, help="s after the last ask for delivery")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--no-monitor", action="store_true", help="without gevent's monitor and the lag probe"
    )
    ap.add_argument("--write", type=Path, help="replace the live_bench section of this file")
    ap.add_argument("--json", type=Path, help="write the raw numbers here")
    ap.add_argument("--keep", action="store_true", help="keep the servers' temp dirs and logs")
    args = ap.parse_args(argv)
    args.phones = [int(x) for x in str(args.phones).split(",") if x]
    args.kinds = [k for k in args.kinds.split(",") if k]
    if any(k not in KINDS for k in args.kinds):
        ap.error(f"--kinds: {args.kinds}, known {KINDS}")
    shown = [a for a in (argv if argv is not None else sys.argv[1:]) if a not in ("--keep",)]
    args.command = shlex.join([".venv/bin/python", "bench/load.py", *shown])
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    raise_nofile()
    results, meta = run_bench(args)
    body = render(results, args, meta)
    text = section(body, args, meta)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=1, default=str))
    if args.write:
        write_doc(args.write, text)
        log(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    if WORKER:
        worker_main()
    else:
        sys.exit(main())
