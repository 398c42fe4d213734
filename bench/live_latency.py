#!/usr/bin/env python
"""Benchmark the live question loop: ask -> ack -> ui:swap on every phone; votes.

    .venv/bin/python bench/live_latency.py --phones 200 --questions 50
    .venv/bin/python bench/live_latency.py --phones 200 --write docs/performance.md

By default it starts its own server (``python -m facilitation``, gevent) on a
free 127.0.0.1 port with a fresh SQLite database in a temporary directory
(``flask db upgrade`` then ``flask demo --json``), and terminates it at the
end. ``--url`` and ``--code`` point it at a running server instead
(``--server-pid`` adds its memory and CPU numbers; ``--email``/``--password``
of a trainer of that session add a real projector connection).

What it does, every step bounded in count and time:

1. connects N phones (python-socketio sync clients, gevent-patched, websocket
   transport, ``auth={"code", "audience": "participant"}``, languages fi/sv/en
   in turn; each sends ``live:sync`` as realtime.js does), an observer phone
   (one more participant: it gets the whole list, so every vote count shows
   there) and, when a trainer can sign in, a real projector socket;
2. one asker (an extra participant socket) sends ``questions:ask`` every
   ``--ask-interval`` seconds (open loop: it does not wait for the fan-out)
   and times (a) the ack and (b) for every phone, the first ``ui:swap`` whose
   ``#question-list`` holds the question's unique marker. The projector lists
   only the top questions plus "+ N more", so it is timed by the first list
   whose total counts the new question;
3. ``--votes`` times, one at a time, a random phone toggles ``questions:vote``
   on a random question: ack time and time until the observer's list shows
   the new count; then ``--vote-burst`` phones vote on one question at the
   same moment: time until the observer shows all of them;
4. prints a summary; ``--write docs/performance.md`` replaces (or adds) the
   section for this phone and question count in that file; ``--json PATH``
   keeps the raw numbers; ``--profile PATH`` records the server with py-spy
   (speedscope format) while the questions are asked.

Server memory is VmRSS of the server process from /proc (idle before the
phones connect, with them connected, peaks while asking and voting); CPU is
utime+stime of the server and of this process per phase.

Clock: every latency is measured in this process (perf_counter), so it
includes the load generator's own delays; the load generator shares the
machine with the server.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
import socketio  # noqa: E402
from gevent.pool import Pool  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("fi", "sv", "en")
LIST_TARGET = "#question-list"
VOTES_RE = re.compile(r'<li id="question-(\d+)"[^>]*\bdata-votes="(\d+)"')
ITEM_RE = re.compile(r'<li id="question-\d+"')
MORE_RE = re.compile(r'class="questions__more">\D*(\d+)')
# Settings from a developer's shell that must not leak into the benchmark server.
CLEARED_ENV = (
    "FLASK_APP",
    "FACILITATION_SOCKETIO_MESSAGE_QUEUE",
    "FACILITATION_PUBLIC_URL",
    "FACILITATION_DATABASE_URL",
    "ACCESS_LOG",
)
SECTION_BEGIN = "<!-- live_latency phones={phones} questions={questions} begin -->"
SECTION_END = "<!-- live_latency phones={phones} questions={questions} end -->"


def list_total(html: str) -> int:
    """Questions in a list: the items shown plus the "+ N more" of a capped list."""
    more = MORE_RE.search(html)
    return len(ITEM_RE.findall(html)) + (int(more.group(1)) if more else 0)


def now() -> float:
    return time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- statistics -------------------------------------------------------------


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else None,
    }


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:.0f}"


# --- the machine and the server process --------------------------------------


def machine() -> dict:
    mem_kb = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    model = ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count() or 0
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {
        "nproc": nproc,
        "mem_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": model,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "commit": commit,
    }


def proc_status_kb(pid: int, field: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def proc_cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def own_cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``python -m facilitation`` on a free loopback port with a temporary SQLite DB."""

    START_TIMEOUT = 30.0
    STOP_TIMEOUT = 10.0

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="facilitation-bench-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.tmp / "server.log"
        self.proc: subprocess.Popen | None = None
        self.command = [sys.executable, "-m", "facilitation"]
        env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
        env.update(
            FACILITATION_DATABASE_URL=f"sqlite:///{self.tmp / 'bench.sqlite'}",
            FACILITATION_SECRET_KEY=secrets.token_urlsafe(32),
            HOST="127.0.0.1",
            PORT=str(self.port),
            PYTHONUNBUFFERED="1",
            # Every simulated phone joins from 127.0.0.1: the join limit is
            # per client address, so lift it for the bench.
            FACILITATION_PARTICIPANT_JOIN_LIMIT="1000000 per minute",
        )
        self.env = env

    def flask(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "facilitation", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise SystemExit(
                f"flask {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def start(self) -> dict:
        self.flask("db", "upgrade")
        out = self.flask("demo", "--json", "--base-url", self.url, timeout=60)
        info = json.loads(out.strip().splitlines()[-1])
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - open while the server runs
        self.proc = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = now() + self.START_TIMEOUT
        while now() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/", timeout=2).status_code < 500:
                    return info
            except requests.RequestException:
                pass
            gevent.sleep(0.2)
        raise SystemExit(f"server did not answer within {self.START_TIMEOUT}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(self.STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(self.STOP_TIMEOUT)
        if getattr(self, "_log", None):
            self._log.close()

    def cleanup(self, keep: bool) -> None:
        if keep:
            log(f"kept {self.tmp} (server log: {self.log_path})")
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


# --- clients ------------------------------------------------------------------


class Phone:
    """One Socket.IO connection that records when each question marker arrived."""

    def __init__(
        self,
        name: str,
        lang: str,
        marker_re: re.Pattern,
        track_votes: bool = False,
        track_totals: bool = False,
    ):
        self.name = name
        self.lang = lang
        self.marker_re = marker_re
        self.track_votes = track_votes
        self.track_totals = track_totals
        self.seen: dict[int, float] = {}  # question index -> first arrival
        self.votes_seen: dict[tuple[int, int], float] = {}  # (question id, count) -> first
        self.totals_seen: dict[int, float] = {}  # questions in the list -> first arrival
        self.base_total = 0  # questions in the list at connect time
        self.swaps = 0
        self.list_bytes = 0
        self.last_list_len = 0
        self.connected = False
        self.dropped = False
        self.error: str | None = None
        # websocket-client checks UTF-8 in pure Python unless told not to: about
        # 3 ms per 40 kB list per phone, which would make the load generator
        # (not the server) the bottleneck.
        self.sio = socketio.Client(
            reconnection=False,
            request_timeout=15,
            websocket_extra_options={"skip_utf8_validation": True},
        )
        self.sio.on("ui:swap", self.on_swap)
        self.sio.on("disconnect", self.on_disconnect)

    def on_disconnect(self, *args) -> None:
        if self.connected:
            self.dropped = True
        self.connected = False

    def on_swap(self, pieces) -> None:
        t = now()
        self.swaps += 1
        for piece in pieces if isinstance(pieces, list) else [pieces]:
            if not isinstance(piece, dict) or piece.get("target") != LIST_TARGET:
                continue
            html = piece.get("html") or ""
            self.list_bytes += len(html)
            self.last_list_len = len(html)
            seen = self.seen
            for index in self.marker_re.findall(html):
                index = int(index)
                if index not in seen:
                    seen[index] = t
            if self.track_votes:
                votes_seen = self.votes_seen
                for qid, count in VOTES_RE.findall(html):
                    votes_seen.setdefault((int(qid), int(count)), t)
            if self.track_totals:
                self.totals_seen.setdefault(list_total(html), t)

    def connect(
        self,
        url: str,
        code: str,
        audience: str = "participant",
        cookie: str = "",
        timeout: float = 15,
    ) -> float:
        if audience == "participant" and not cookie:
            # As a phone does: the join page hands out the participant token
            # without which votes are refused.
            join = requests.get(f"{url}/j/{code}", timeout=timeout)
            join.raise_for_status()
            cookie = "; ".join(f"{k}={v}" for k, v in join.cookies.items())
        headers = {"Cookie": f"lang={self.lang}" + (f"; {cookie}" if cookie else "")}
        t0 = now()
        self.sio.connect(
            url,
            headers=headers,
            auth={"code": code, "audience": audience},
            transports=["websocket"],
            wait_timeout=timeout,
        )
        self.connected = True
        # What realtime.js does right after connecting; also proves the join.
        ack = self.sio.call("live:sync", {}, timeout=timeout)
        if not (isinstance(ack, dict) and ack.get("ok")):
            raise RuntimeError(f"live:sync refused: {ack!r}")
        elapsed = now() - t0
        for piece in ack.get("pieces") or []:
            if isinstance(piece, dict) and piece.get("target") == LIST_TARGET:
                self.base_total = list_total(piece.get("html") or "")
        return elapsed

    def close(self) -> None:
        self.connected = False
        # shutting down whatever state it is in
        with contextlib.suppress(Exception):
            self.sio.disconnect()


# --- the run --------------------------------------------------------------------


class Sampler:
    """Samples the server's RSS every ``interval`` s, tagged with the current phase."""

    def __init__(self, pid: int | None, interval: float = 0.25):
        self.pid = pid
        self.interval = interval
        self.phase = "idle"
        self.peak: dict[str, int] = {}
        self.greenlet = gevent.spawn(self.run) if pid else None

    def run(self) -> None:
        while True:
            rss = proc_status_kb(self.pid, "VmRSS")
            if rss is not None:
                self.peak[self.phase] = max(rss, self.peak.get(self.phase, 0))
            gevent.sleep(self.interval)

    def stop(self) -> None:
        if self.greenlet:
            self.greenlet.kill()


class CpuMeter:
    """Server and load-generator CPU seconds per phase."""

    def __init__(self, pid: int | None):
        self.pid = pid
        self.phases: dict[str, dict] = {}

    def start(self, phase: str) -> None:
        self.phases[phase] = {
            "wall": now(),
            "server": proc_cpu_seconds(self.pid) if self.pid else None,
            "loadgen": own_cpu_seconds(),
        }

    def stop(self, phase: str) -> dict:
        p = self.phases[phase]
        wall = now() - p["wall"]
        server = proc_cpu_seconds(self.pid) if self.pid else None
        result = {
            "wall_s": round(wall, 2),
            "server_cpu_pct": (
                round(100 * (server - p["server"]) / wall) if server is not None and wall else None
            ),
            "loadgen_cpu_pct": round(100 * (own_cpu_seconds() - p["loadgen"]) / wall)
            if wall
            else None,
        }
        self.phases[phase] = result
        return result


def connect_all(
    phones: list[Phone], url: str, code: str, concurrency: int, timeout: float
) -> tuple[list[float], Counter]:
    times: list[float] = []
    errors: Counter = Counter()

    def one(phone: Phone) -> None:
        try:
            times.append(phone.connect(url, code, timeout=timeout))
        except Exception as exc:  # noqa: BLE001 - counted and reported
            phone.error = f"{type(exc).__name__}: {exc}"[:120]
            errors[phone.error] += 1
            phone.close()

    pool = Pool(concurrency)
    for phone in phones:
        pool.spawn(one, phone)
    pool.join(timeout=timeout * (len(phones) / concurrency + 2))
    pool.kill()
    return times, errors


def run(
    args, url: str, code: str, pid: int | None, trainer: tuple[str, str] | None, on_ask_start=None
) -> dict:
    run_id = secrets.token_hex(3)
    marker_re = re.compile(r"\[bench-" + run_id + r"-(\d+)\]")
    rng = random.Random(args.seed)
    result: dict = {"run_id": run_id}
    sampler = Sampler(pid)
    cpu = CpuMeter(pid)
    gevent.sleep(1.0)
    rss_idle = proc_status_kb(pid, "VmRSS") if pid else None

    # --- observer, projector and asker -----------------------------------------
    # The observer is a participant: it gets the whole list, so every vote
    # count shows there. The projector lists only the top questions and a
    # "+ N more" count; it is timed by that total.
    observer = Phone("observer", "fi", marker_re, track_votes=True)
    observer.connect(url, code, timeout=args.timeout)
    projector = None
    cookie = trainer_cookie(url, *trainer) if trainer else None
    if cookie:
        projector = Phone("projector", "fi", marker_re, track_totals=True)
        try:
            projector.connect(url, code, audience="projector", cookie=cookie, timeout=args.timeout)
        except Exception as exc:  # noqa: BLE001
            log(f"projector connection failed ({exc}); no projector numbers")
            projector.close()
            projector = None
    elif trainer:
        log("trainer sign-in failed; no projector numbers")
    asker = Phone("asker", "fi", marker_re)
    asker.connect(url, code, timeout=args.timeout)
    result["projector"] = projector is not None

    # --- phones ---------------------------------------------------------------
    sampler.phase = "connect"
    cpu.start("connect")
    phones = [Phone(f"phone{i}", LANGS[i % len(LANGS)], marker_re) for i in range(args.phones)]
    log(f"connecting {args.phones} phones to {url} (session {code})")
    connect_times, connect_errors = connect_all(
        phones, url, code, args.connect_concurrency, args.timeout
    )
    result["cpu_connect"] = cpu.stop("connect")
    live = [p for p in phones if p.connected]
    result["connect"] = summary(connect_times)
    result["connect_failed"] = args.phones - len(live)
    result["connect_errors"] = dict(connect_errors.most_common(5))
    log(f"connected {len(live)}/{args.phones} in {result['cpu_connect']['wall_s']} s")
    sampler.phase = "connected"
    gevent.sleep(2.0)
    rss_connected = proc_status_kb(pid, "VmRSS") if pid else None

    # --- questions --------------------------------------------------------------
    sampler.phase = "ask"
    if on_ask_start:
        on_ask_start()
    cpu.start("ask")
    sent: dict[int, float] = {}
    ack_times: list[float] = []
    ack_by_index: dict[int, float] = {}
    ask_fail: Counter = Counter()
    qids: dict[int, int] = {}

    def ask(i: int) -> None:
        body = f"Kysymys {i}: miten tämä toimii käytännössä? [bench-{run_id}-{i}]"
        payload = {"body": body, "client_id": secrets.token_urlsafe(16)}
        sent[i] = now()
        try:
            ack = asker.sio.call("questions:ask", payload, timeout=args.timeout)
        except Exception as exc:  # noqa: BLE001
            ask_fail[type(exc).__name__] += 1
            return
        if isinstance(ack, dict) and ack.get("ok"):
            ack_times.append(now() - sent[i])
            ack_by_index[i] = ack_times[-1]
            qids[i] = ack["id"]
        else:
            ask_fail[str(ack.get("error") if isinstance(ack, dict) else ack)] += 1

    log(f"asking {args.questions} questions, one every {args.ask_interval} s")
    start = now()
    askers = []
    for i in range(args.questions):
        delay = start + i * args.ask_interval - now()
        if delay > 0:
            gevent.sleep(delay)
        askers.append(gevent.spawn(ask, i))
    gevent.joinall(askers, timeout=args.timeout + 1)
    expected = len(live) * len(sent)

    def received() -> int:
        return sum(len(p.seen) for p in live)

    deadline = now() + args.fanout_timeout
    while received() < expected and now() < deadline:
        gevent.sleep(0.05)
    result["cpu_ask"] = cpu.stop("ask")

    fanout = [p.seen[i] - sent[i] for p in live for i in p.seen if i in sent]
    per_question_all = []  # time until the last connected phone had it
    for i in sent:
        times = [p.seen[i] - sent[i] for p in live if i in p.seen]
        if len(times) == len(live) and times:
            per_question_all.append(max(times))
    result["ask_ack"] = summary(ack_times)
    # the list grows with every question: the first and the last tenth compared
    tenth = max(1, args.questions // 10)
    first = [ack_by_index[i] for i in range(tenth) if i in ack_by_index]
    last = [
        ack_by_index[i] for i in range(args.questions - tenth, args.questions) if i in ack_by_index
    ]
    result["ask_ack_first_last_p50"] = (percentile(first, 50), percentile(last, 50))
    result["ask_failed"] = dict(ask_fail)
    result["fanout"] = summary(fanout)
    result["fanout_missed"] = expected - len(fanout)
    result["fanout_last_phone"] = summary(per_question_all)
    projector_times = []
    if projector is not None:
        # ask i is on the projector once its list counts base + i + 1 questions
        totals = sorted(projector.totals_seen.items())
        for i, t0 in sent.items():
            arrivals = [t for total, t in totals if total >= projector.base_total + i + 1]
            if arrivals:
                projector_times.append(min(arrivals) - t0)
    result["fanout_projector"] = summary(projector_times)
    sizes = {}
    for lang in LANGS:
        lens = [p.last_list_len for p in live if p.lang == lang]
        if lens:
            sizes[lang] = max(lens)
    result["list_bytes_final"] = sizes
    result["under_1s_pct"] = (
        round(100 * sum(1 for t in fanout if t < 1.0) / expected, 1) if expected else None
    )
    log(
        f"asks done: fan-out p95 {ms(result['fanout']['p95'])} ms, missed {result['fanout_missed']}"
    )

    # --- votes ------------------------------------------------------------------
    sampler.phase = "vote"
    cpu.start("vote")
    vote_ack: list[float] = []
    vote_seen: list[float] = []
    vote_fail: Counter = Counter()
    counts = {qid: 0 for qid in qids.values()}
    voted: set[tuple[str, int]] = set()
    candidates = [p for p in live if p.connected]
    if counts and candidates:
        for _ in range(args.votes):
            qid = rng.choice(list(counts))
            pool = [p for p in candidates if (p.name, qid) not in voted and p.connected]
            if not pool:
                continue
            phone = rng.choice(pool)
            voted.add((phone.name, qid))
            t0 = now()
            try:
                ack = phone.sio.call("questions:vote", {"question_id": qid}, timeout=args.timeout)
            except Exception as exc:  # noqa: BLE001
                vote_fail[type(exc).__name__] += 1
                continue
            if not (isinstance(ack, dict) and ack.get("ok") and ack.get("voted")):
                vote_fail[str(ack)[:60]] += 1
                continue
            vote_ack.append(now() - t0)
            counts[qid] += 1
            key = (qid, counts[qid])
            deadline = now() + args.timeout
            while key not in observer.votes_seen and now() < deadline:
                gevent.sleep(0.005)
            if key in observer.votes_seen:
                vote_seen.append(observer.votes_seen[key] - t0)
            else:
                vote_fail["not seen by observer"] += 1
            gevent.sleep(args.vote_interval)
    result["vote_ack"] = summary(vote_ack)
    result["vote_seen"] = summary(vote_seen)
    result["vote_failed"] = dict(vote_fail)
    result["cpu_vote"] = cpu.stop("vote")

    # --- a burst of simultaneous votes on one question ------------------------
    burst = {}
    if counts and args.vote_burst:
        qid = min(counts, key=counts.get)
        voters = [p for p in candidates if (p.name, qid) not in voted and p.connected]
        voters = rng.sample(voters, min(args.vote_burst, len(voters)))
        target = counts[qid] + len(voters)
        burst_ack: list[float] = []
        burst_fail: Counter = Counter()

        def vote(phone: Phone, t0: float) -> None:
            try:
                ack = phone.sio.call("questions:vote", {"question_id": qid}, timeout=args.timeout)
            except Exception as exc:  # noqa: BLE001
                burst_fail[type(exc).__name__] += 1
                return
            if isinstance(ack, dict) and ack.get("ok"):
                burst_ack.append(now() - t0)
            else:
                burst_fail[str(ack)[:60]] += 1

        log(f"burst: {len(voters)} phones vote on question {qid} at once")
        sampler.phase = "burst"
        cpu.start("burst")
        t0 = now()
        greenlets = [gevent.spawn(vote, p, t0) for p in voters]
        deadline = t0 + args.fanout_timeout
        key = (qid, target)
        while key not in observer.votes_seen and now() < deadline:
            gevent.sleep(0.005)
        gevent.joinall(greenlets, timeout=max(0.0, deadline - now()))
        burst = {
            "size": len(voters),
            "ack": summary(burst_ack),
            "failed": dict(burst_fail),
            "observer_all_s": (observer.votes_seen[key] - t0)
            if key in observer.votes_seen
            else None,
        }
        # let the tail of the burst's pushes drain before reading the numbers
        drain_deadline = now() + args.fanout_timeout
        while now() < drain_deadline:
            before = sum(p.swaps for p in live)
            gevent.sleep(0.5)
            if sum(p.swaps for p in live) == before:
                break
        burst["cpu"] = cpu.stop("burst")
    result["vote_burst"] = burst

    result["dropped"] = sum(1 for p in live if p.dropped)
    sampler.stop()
    result["rss_mib"] = {
        "idle": kib_to_mib(rss_idle),
        "connected": kib_to_mib(rss_connected),
        "peak_ask": kib_to_mib(sampler.peak.get("ask")),
        "peak_vote": kib_to_mib(max(sampler.peak.get("vote", 0), sampler.peak.get("burst", 0))),
        "hwm": kib_to_mib(proc_status_kb(pid, "VmHWM") if pid else None),
    }
    result["swaps_per_phone"] = round(sum(p.swaps for p in live) / len(live), 1) if live else 0

    log("disconnecting")
    closer = Pool(50)
    for phone in [*phones, observer, asker, *([projector] if projector else [])]:
        if phone.connected:
            closer.spawn(phone.close)
    closer.join(timeout=30)
    closer.kill()
    return result


def kib_to_mib(kib: int | None) -> float | None:
    return None if kib is None else round(kib / 1024, 1)


# --- reporting ----------------------------------------------------------------------


def table_rows(r: dict) -> list[tuple[str, dict | None, str]]:
    return [
        ("connect (websocket + live:sync)", r["connect"], ""),
        ("ask: ack", r["ask_ack"], ""),
        ("ask: ui:swap on each phone", r["fanout"], f"missed {r['fanout_missed']}"),
        ("ask: until the last phone had it", r["fanout_last_phone"], "per question"),
        (
            "ask: projector's list counts it",
            r["fanout_projector"],
            "" if r["projector"] else "no projector socket",
        ),
        ("vote: ack", r["vote_ack"], ""),
        ("vote: new count on the observer phone", r["vote_seen"], ""),
    ]


def render_text(r: dict, params: dict) -> str:
    lines = [
        f"live question loop: {params['phones']} phones, {params['questions']} questions "
        f"every {params['ask_interval']} s, {params['votes']} votes + burst of "
        f"{params['vote_burst']}",
        f"{'measure (ms)':<38}{'n':>7}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}  note",
    ]
    for label, s, note in table_rows(r):
        lines.append(
            f"{label:<38}{s['n']:>7}{ms(s['p50']):>8}{ms(s['p95']):>8}"
            f"{ms(s['p99']):>8}{ms(s['max']):>8}  {note}"
        )
    b = r["vote_burst"]
    if b:
        lines.append(
            f"burst of {b['size']} votes: all counted on the observer phone after "
            f"{ms(b['observer_all_s'])} ms; ack p50 {ms(b['ack']['p50'])} / "
            f"max {ms(b['ack']['max'])} ms; failed {b['failed'] or 0}"
        )
    errors = f" {r['connect_errors']}" if r["connect_errors"] else ""
    lines.append(
        f"phones: {params['phones'] - r['connect_failed']}/{params['phones']} connected, "
        f"{r['connect_failed']} failed{errors}, {r['dropped']} dropped during "
        f"the run; ask failures {r['ask_failed'] or 0}; vote failures {r['vote_failed'] or 0}"
    )
    first, last = r["ask_ack_first_last_p50"]
    lines.append(f"ask ack p50, first vs last tenth of the questions: {ms(first)} vs {ms(last)} ms")
    lines.append(
        f"fan-out under 1 s: {r['under_1s_pct']} % of (phone, question) pairs; "
        f"final #question-list size per language (bytes): {r['list_bytes_final']}"
    )
    rss = r["rss_mib"]
    lines.append(
        "server RSS (MiB): idle {idle}, {n} phones connected {connected}, peak asking "
        "{peak_ask}, peak voting {peak_vote}, high-water {hwm}".format(n=params["phones"], **rss)
    )
    phases = {ph: r[f"cpu_{ph}"] for ph in ("connect", "ask", "vote")}
    if b:
        phases["burst"] = b["cpu"]
    for phase, c in phases.items():
        lines.append(
            f"CPU during {phase}: server {c['server_cpu_pct']} %, load generator "
            f"{c['loadgen_cpu_pct']} % of one core over {c['wall_s']} s"
        )
    return "\n".join(lines)


def render_markdown(r: dict, params: dict, mach: dict, command: str) -> str:
    p = params
    out = [
        SECTION_BEGIN.format(phones=p["phones"], questions=p["questions"]),
        f"### {p['phones']} phones, {p['questions']} questions",
        "",
        f"- Date: {p['date']}; commit `{mach['commit'] or '?'}`"
        + (" (with uncommitted changes)" if p.get("dirty") else ""),
        f"- Machine: {mach['nproc']} CPUs ({mach['cpu'] or 'unknown'}), {mach['mem_gib']} GiB "
        f"memory, Python {mach['python']}, Linux {mach['kernel']}; server and load generator "
        "on the same machine",
        f"- Command: `{command}`",
        f"- Load: {p['phones']} phones (fi/sv/en in turn) + 1 observer phone + 1 asker"
        + (" + 1 projector" if r["projector"] else "")
        + "; "
        f"{p['questions']} questions, one every {p['ask_interval']} s; {p['votes']} single votes; "
        f"a burst of {(r['vote_burst'] or {}).get('size', 0)} simultaneous votes",
        "",
        "| measure (ms) | n | p50 | p95 | p99 | max | note |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, s, note in table_rows(r):
        out.append(
            f"| {label} | {s['n']} | {ms(s['p50'])} | {ms(s['p95'])} | {ms(s['p99'])} "
            f"| {ms(s['max'])} | {note} |"
        )
    b = r["vote_burst"]
    rss = r["rss_mib"]
    out += [""]
    if b:
        out.append(
            f"- Burst of {b['size']} simultaneous votes: all counted on the observer phone "
            f"after {ms(b['observer_all_s'])} ms; vote ack p50 {ms(b['ack']['p50'])} ms, "
            f"max {ms(b['ack']['max'])} ms; failures: {b['failed'] or 'none'}"
        )
    first, last = r["ask_ack_first_last_p50"]
    out += [
        f"- Ask ack p50 for the first vs the last tenth of the questions (the list grows): "
        f"{ms(first)} vs {ms(last)} ms",
        f"- Fan-out under 1 s: {r['under_1s_pct']} % of (phone, question) pairs; "
        f"final `#question-list` size (bytes): "
        + ", ".join(f"{k} {v}" for k, v in r["list_bytes_final"].items()),
        f"- Connections: {p['phones'] - r['connect_failed']}/{p['phones']} connected, "
        f"{r['connect_failed']} failed"
        + (f" ({r['connect_errors']})" if r["connect_errors"] else "")
        + f", {r['dropped']} dropped during the run; ask failures: {r['ask_failed'] or 'none'}; "
        f"vote failures: {r['vote_failed'] or 'none'}",
        f"- Server RSS (MiB): idle {rss['idle']}, with the phones connected {rss['connected']}, "
        f"peak while asking {rss['peak_ask']}, peak while voting {rss['peak_vote']} "
        f"(high-water {rss['hwm']})",
        "- CPU (% of one core, server / load generator): "
        + "; ".join(
            f"{ph} {c['server_cpu_pct']} / {c['loadgen_cpu_pct']} over {c['wall_s']} s"
            for ph, c in [
                *((ph, r[f"cpu_{ph}"]) for ph in ("connect", "ask", "vote")),
                *([("vote burst", b["cpu"])] if b else []),
            ]
        ),
        SECTION_END.format(phones=p["phones"], questions=p["questions"]),
    ]
    return "\n".join(out)


def write_section(path: Path, phones: int, questions: int, section: str) -> None:
    """Replace this run's section (same phones and questions), or add it."""
    begin = SECTION_BEGIN.format(phones=phones, questions=questions)
    end = SECTION_END.format(phones=phones, questions=questions)
    text = path.read_text() if path.exists() else "# Performance\n\n## Results\n\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _old, tail = rest.split(end, 1)
        text = head + section + tail
    else:
        anchor = "<!-- live_latency results end -->"
        if anchor in text:
            text = text.replace(anchor, section + "\n\n" + anchor, 1)
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


# --- main -----------------------------------------------------------------------------


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--phones", type=int, default=200, help="participant connections")
    ap.add_argument("--questions", type=int, default=50, help="questions to ask")
    ap.add_argument(
        "--ask-interval",
        type=float,
        default=1.0,
        help="seconds between asks (open loop; default 1.0)",
    )
    ap.add_argument("--votes", type=int, default=30, help="single votes, one at a time")
    ap.add_argument(
        "--vote-interval", type=float, default=0.2, help="pause after each single vote (s)"
    )
    ap.add_argument(
        "--vote-burst",
        type=int,
        default=20,
        help="phones voting on one question at the same moment (0: none)",
    )
    ap.add_argument("--connect-concurrency", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=15.0, help="per connect / ack (s)")
    ap.add_argument(
        "--fanout-timeout",
        type=float,
        default=30.0,
        help="after the last ask, how long to wait for stragglers (s)",
    )
    ap.add_argument(
        "--max-seconds", type=float, default=900.0, help="hard limit for the whole run (s)"
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--url", help="a running server (loopback), instead of starting one")
    ap.add_argument("--code", help="join code of an open session on --url")
    ap.add_argument("--server-pid", type=int, help="with --url: its pid, for RSS and CPU")
    ap.add_argument("--email", help="with --url: a trainer of the session, for a projector socket")
    ap.add_argument("--password", help="with --url: that trainer's password")
    ap.add_argument(
        "--profile",
        metavar="PATH",
        help="record the server with py-spy (speedscope JSON) while asking",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--json", metavar="PATH", help="also write the raw results as JSON")
    ap.add_argument(
        "--write",
        metavar="PATH",
        help="replace or add the section for this phone and question count in this Markdown file",
    )
    args = ap.parse_args(argv)
    if args.url and not args.code:
        ap.error("--url needs --code")
    if args.url:
        host = (re.match(r"https?://([^/:]+)", args.url) or [None, ""])[1]
        if host not in ("127.0.0.1", "localhost", "::1", "[::1]"):
            ap.error("--url must be a loopback address")
    for name in ("phones", "questions", "votes", "vote_burst"):
        if getattr(args, name) < 0:
            ap.error(f"--{name.replace('_', '-')} must not be negative")
    return args


def shown_command(argv: list[str]) -> str:
    """The command line for the report, without the output options (--write etc.)."""
    skip = {"--write", "--json", "--profile", "--password"}
    shown, drop_next = [".venv/bin/python", "bench/live_latency.py"], False
    for arg in argv:
        if drop_next:
            drop_next = False
        elif arg in skip:
            drop_next = True
        elif arg.split("=", 1)[0] not in skip:
            shown.append(arg)
    return " ".join(shlex.quote(a) for a in shown)


def start_profiler(args, pid: int | None) -> subprocess.Popen | None:
    if not args.profile or not pid:
        return None
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        log("py-spy not found; no profile")
        return None
    duration = int(args.questions * args.ask_interval) + 2
    return subprocess.Popen(
        [
            spy,
            "record",
            "-d",
            str(duration),
            "-p",
            str(pid),
            "-o",
            args.profile,
            "--format",
            "speedscope",
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    params = {
        "phones": args.phones,
        "questions": args.questions,
        "ask_interval": args.ask_interval,
        "votes": args.votes,
        "vote_burst": args.vote_burst,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    try:
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        params["dirty"] = bool(dirty)
    except (OSError, subprocess.SubprocessError):
        pass
    mach = machine()
    command = shown_command(sys.argv[1:] if argv is None else argv)

    server = None
    profiler = None
    result = None
    timer = gevent.Timeout(args.max_seconds, TimeoutError(f"run exceeded {args.max_seconds} s"))
    timer.start()
    try:
        if args.url:
            url, code, pid = args.url.rstrip("/"), args.code, args.server_pid
            trainer = (args.email, args.password) if args.email and args.password else None
        else:
            server = Server()
            log(f"starting server on {server.url} ({server.tmp})")
            info = server.start()
            url, code, pid = server.url, info["code"], server.proc.pid
            trainer = (info["email"], info["password"])

        def on_ask_start() -> None:
            nonlocal profiler
            profiler = start_profiler(args, pid)

        result = run(args, url, code, pid, trainer, on_ask_start)
    finally:
        timer.close()
        if profiler is not None:
            try:
                profiler.wait(60)
            except subprocess.TimeoutExpired:
                profiler.terminate()
        if server is not None:
            server.stop()
            if result is None:
                log("server log tail:\n" + server.log_tail())
            server.cleanup(args.keep)

    print(render_text(result, params))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"params": params, "machine": mach, **result}, indent=2, default=str)
        )
    if args.write:
        write_section(
            Path(args.write),
            args.phones,
            args.questions,
            render_markdown(result, params, mach, command),
        )
        log(f"wrote the {args.phones} phones / {args.questions} questions section of {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
