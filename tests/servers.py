"""Run the real server for tests: ``python -m facilitation`` (gevent) in a subprocess.

What ``make run`` does, piece by piece, for tests that need real server
processes (the browser tests, the cross-process Socket.IO fan-out):

    env = server_env(port, database_url=..., secret_key=..., translations=...)
    flask(env, "db", "upgrade")
    info = demo(env, f"http://127.0.0.1:{port}")
    with serve(env, tmp_path / "server.log") as server:
        ...  # server.base_url answers GET /

Every failure is a ``pytest.fail`` that carries the command's or the
server's output.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT = 20.0
SERVER_STOP_TIMEOUT = 10.0
FLASK_TIMEOUT = 120

# The settings must come from the test, not from a developer's shell.
CLEARED_SETTINGS = ("FACILITATION_SOCKETIO_MESSAGE_QUEUE", "FACILITATION_PUBLIC_URL", "FLASK_APP")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(
    port: int, *, database_url: str, secret_key: str, translations: Path, **settings: str
) -> dict:
    """The environment for the flask commands and the server on ``port``.

    ``settings`` (e.g. ``FACILITATION_SOCKETIO_MESSAGE_QUEUE=...``) are added
    after the developer's own ``CLEARED_SETTINGS`` were removed.
    """
    env = {
        **os.environ,
        "FACILITATION_DATABASE_URL": database_url,
        "FACILITATION_SECRET_KEY": secret_key,
        "FACILITATION_BABEL_TRANSLATION_DIRECTORIES": str(translations),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }
    for key in CLEARED_SETTINGS:
        env.pop(key, None)
    env.update(settings)
    return env


def base_url(env: dict) -> str:
    return f"http://{env['HOST']}:{env['PORT']}"


def flask(env: dict, *args: str) -> str:
    """Run a ``flask --app facilitation`` command; its stdout, or fail with its output."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "facilitation", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=FLASK_TIMEOUT,
    )
    if result.returncode != 0:
        pytest.fail(
            f"flask {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


def demo(env: dict, url: str) -> dict:
    """``flask demo --json --base-url url``'s dict, with ``base_url`` added."""
    out = flask(env, "demo", "--json", "--base-url", url)
    try:
        info = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        pytest.fail(f"flask demo --json printed no JSON:\n{out}", pytrace=False)
    info["base_url"] = url
    return info


def compile_translations(target: Path) -> Path:
    """Compile the committed catalogues into ``target`` (what ``make translations`` does).

    The working tree is left alone; the server is pointed at the copy, so a
    bare ``pytest`` serves the same languages as ``make test``.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po")):
        locale = po_path.parts[-3]
        mo_path = target / locale / "LC_MESSAGES" / "messages.mo"
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with open(po_path, "rb") as po_file:
            catalog = read_po(po_file, locale=locale)
        with open(mo_path, "wb") as mo_file:
            write_mo(mo_file, catalog)
    return target


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def serve(env: dict, log_path: Path) -> Iterator[Server]:
    """``python -m facilitation`` with ``env``, once GET / answers; stopped on exit."""
    url = base_url(env)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "facilitation"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(url, process, log_path)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not answers(url + "/"):
            if process.poll() is not None or time.monotonic() > deadline:
                state = (
                    f"exited with {process.returncode}"
                    if process.poll() is not None
                    else f"did not answer within {SERVER_START_TIMEOUT:.0f} s"
                )
                pytest.fail(f"server {state}; its output:\n{server.output()}", pytrace=False)
            time.sleep(0.1)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Terminate, then kill if it does not stop in time."""
    process.terminate()
    try:
        process.wait(timeout=SERVER_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
