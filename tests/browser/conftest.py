"""Fixtures for the real-browser tests: Debian's Chromium against the real server.

``live_server`` runs the app the way ``make run`` does (``python -m
facilitation``, gevent) on a free port with a fresh SQLite database, seeded
with ``flask demo``. Playwright cannot download its own browser here, so the
browser is Debian's ``/usr/bin/chromium``.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 20.0


def _require_chromium() -> None:
    """No Chromium: skip locally, but never silently in CI."""
    if os.path.exists(CHROMIUM):
        return
    message = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch arguments, pointed at Debian's Chromium."""
    _require_chromium()
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(env: dict, *args: str) -> str:
    """Run a ``flask --app facilitation`` command; its stdout, or fail with its output."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "facilitation", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(
            f"flask {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


def _compile_translations(target: Path) -> Path:
    """Compile the committed catalogues into ``target`` (what ``make translations`` does).

    The working tree is left alone; the server is pointed at the copy, so a
    bare ``pytest tests/browser`` serves the same languages as ``make test``.
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


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@pytest.fixture(scope="session")
def live_server():
    """The real gevent server on a free port; yields ``flask demo --json``'s dict."""
    _require_chromium()  # no point starting a server nobody can visit
    with tempfile.TemporaryDirectory(prefix="facilitation-e2e-") as tmp:
        tmp_path = Path(tmp)
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "FACILITATION_DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.sqlite'}",
            "FACILITATION_SECRET_KEY": secrets.token_urlsafe(32),
            "FACILITATION_BABEL_TRANSLATION_DIRECTORIES": str(
                _compile_translations(tmp_path / "translations")
            ),
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        }
        # The settings must come from here, not from a developer's shell.
        for key in ("FACILITATION_SOCKETIO_MESSAGE_QUEUE", "FACILITATION_PUBLIC_URL", "FLASK_APP"):
            env.pop(key, None)

        _flask(env, "db", "upgrade")
        demo_out = _flask(env, "demo", "--json", "--base-url", base_url)
        try:
            info = json.loads(demo_out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            pytest.fail(f"flask demo --json printed no JSON:\n{demo_out}", pytrace=False)
        info["base_url"] = base_url

        log_path = tmp_path / "server.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "facilitation"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while not _answers(base_url + "/"):
                if process.poll() is not None or time.monotonic() > deadline:
                    state = (
                        f"exited with {process.returncode}"
                        if process.poll() is not None
                        else f"did not answer within {SERVER_START_TIMEOUT:.0f} s"
                    )
                    pytest.fail(
                        f"server {state}; its output:\n{log_path.read_text(errors='replace')}",
                        pytrace=False,
                    )
                time.sleep(0.1)
            info["server_log"] = log_path
            yield info
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
