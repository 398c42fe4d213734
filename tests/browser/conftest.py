"""Fixtures for the real-browser tests: Debian's Chromium against the real server.

``live_server`` runs the app the way ``make run`` does (``python -m
facilitation``, gevent) on a free port with a fresh SQLite database, seeded
with ``flask demo``. Playwright cannot download its own browser here, so the
browser is Debian's ``/usr/bin/chromium``.
"""

import os
import secrets
import tempfile
from pathlib import Path

import pytest

from tests import servers

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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


@pytest.fixture(scope="session")
def live_server():
    """The real gevent server on a free port; yields ``flask demo --json``'s dict."""
    _require_chromium()  # no point starting a server nobody can visit
    with tempfile.TemporaryDirectory(prefix="facilitation-e2e-") as tmp:
        tmp_path = Path(tmp)
        port = servers.free_port()
        env = servers.server_env(
            port,
            database_url=f"sqlite:///{tmp_path / 'e2e.sqlite'}",
            secret_key=secrets.token_urlsafe(32),
            translations=servers.compile_translations(tmp_path / "translations"),
        )
        servers.flask(env, "db", "upgrade")
        info = servers.demo(env, servers.base_url(env))
        with servers.serve(env, tmp_path / "server.log") as server:
            info["server_log"] = server.log_path
            yield info


@pytest.fixture(scope="module")
def fresh_live_server():
    """Like ``live_server``, but a server and database of the module's own.

    For tests that move the session on (start the agenda, post stories, close
    polls): the session-wide ``live_server`` stays in the lobby for the rest.
    """
    _require_chromium()
    with tempfile.TemporaryDirectory(prefix="facilitation-e2e-") as tmp:
        tmp_path = Path(tmp)
        port = servers.free_port()
        env = servers.server_env(
            port,
            database_url=f"sqlite:///{tmp_path / 'e2e.sqlite'}",
            secret_key=secrets.token_urlsafe(32),
            translations=servers.compile_translations(tmp_path / "translations"),
        )
        servers.flask(env, "db", "upgrade")
        info = servers.demo(env, servers.base_url(env))
        with servers.serve(env, tmp_path / "server.log") as server:
            info["server_log"] = server.log_path
            yield info
