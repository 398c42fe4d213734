"""Access that ends, with two real server processes behind one Redis.

The socket that must lose its access lives on server B; the owner acts on
server A. Removing a trainer, signing out and closing the session must each
disconnect that socket at once (through Redis), and afterwards nothing
private reaches it: a new pending case story goes to the owner's control
page and not to the removed trainer.
"""

import re
import secrets
import threading
import time
from contextlib import ExitStack

import pytest
import requests
import socketio

from tests import servers
from tests.socket.test_redis_fanout import REDIS_URL, _free_ports, _redis

pytestmark = pytest.mark.redis

CHANNEL = f"facilitation-access-{secrets.token_hex(4)}"
TIMEOUT = 10.0
SPEAKER = ("puhuja@example.fi", "Ulkopuolinen Puhuja", "puhujan pitkä salasana")
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


class Socket:
    """A python-socketio client that records its pushes and its disconnect."""

    def __init__(self, server, code: str, audience: str, cookies: dict):
        self.ended = threading.Event()
        self.pieces: list[dict] = []
        self.lock = threading.Lock()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("ui:swap", self._swap)
        self.sio.on("disconnect", lambda *_reason: self.ended.set())
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.sio.connect(
            server.base_url,
            auth={"code": code, "audience": audience},
            headers={"Cookie": cookie, "Accept-Language": "fi"},
            wait_timeout=10,
        )

    def _swap(self, payload):
        with self.lock:
            self.pieces += [p for p in payload["pieces"] if isinstance(p, dict)]

    def html(self, target: str) -> str:
        with self.lock:
            return "\n".join(p["html"] for p in self.pieces if p.get("target") == target)

    def close(self):
        if self.sio.connected:
            self.sio.disconnect()


def _browser(server) -> requests.Session:
    session = requests.Session()
    session.headers["Accept-Language"] = "fi"
    return session


def _csrf(session: requests.Session, url: str) -> str:
    match = CSRF.search(session.get(url, timeout=10).text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def _login(session, server, email, password):
    token = _csrf(session, server.base_url + "/accounts/login")
    response = session.post(
        server.base_url + "/accounts/login",
        data={"email": email, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text


def _post(session, server, path, **data):
    token = _csrf(session, server.base_url + "/")
    return session.post(
        server.base_url + path,
        data={"csrf_token": token, **data},
        allow_redirects=False,
        timeout=10,
    )


def _wait_subscribers(client, channel: str, count: int, logs) -> None:
    deadline = time.monotonic() + TIMEOUT
    while client.pubsub_numsub(channel)[0][1] < count:
        if time.monotonic() > deadline:
            pytest.fail(f"fewer than {count} subscribers on {channel}\n{logs()}", pytrace=False)
        time.sleep(0.05)


def test_removed_signed_out_and_closed_lose_their_sockets_on_the_other_process(tmp_path):
    redis_client = _redis()
    port_a, port_b = _free_ports(2)
    shared = {
        "database_url": f"sqlite:///{tmp_path / 'shared.sqlite'}",
        "secret_key": secrets.token_urlsafe(32),
        "translations": servers.compile_translations(tmp_path / "translations"),
    }
    settings = {
        "FACILITATION_SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
        "FACILITATION_SOCKETIO_CHANNEL": CHANNEL,
        "FACILITATION_LIVE_CLOSE_DELAY": "0.5",
    }
    env_a = servers.server_env(port_a, **shared, **settings)
    env_b = servers.server_env(port_b, **shared, **settings)
    servers.flask(env_a, "db", "upgrade")
    demo = servers.demo(env_a, servers.base_url(env_a))
    code, training_id = demo["code"], demo["training_id"]
    servers.flask(
        env_a, "create-user", "--email", SPEAKER[0], "--name", SPEAKER[1], "--password", SPEAKER[2]
    )

    with ExitStack() as stack:
        stack.callback(redis_client.close)
        server_a = stack.enter_context(servers.serve(env_a, tmp_path / "a.log"))
        server_b = stack.enter_context(servers.serve(env_b, tmp_path / "b.log"))

        def logs() -> str:
            return "\n".join(
                f"--- server {n}:\n{s.output()}" for n, s in (("A", server_a), ("B", server_b))
            )

        # The owner (the demo trainer) adds the speaker as a trainer, on A.
        owner = _browser(server_a)
        _login(owner, server_a, demo["email"], demo["password"])
        added = _post(
            owner, server_a, f"/trainings/{training_id}/members", email=SPEAKER[0], role="trainer"
        )
        assert added.status_code == 302, added.text

        # The speaker signs in and opens the control page's socket on B.
        speaker = _browser(server_b)
        _login(speaker, server_b, SPEAKER[0], SPEAKER[2])
        assert speaker.get(f"{server_b.base_url}/c/{code}", timeout=10).status_code == 200
        speaker_control = Socket(server_b, code, "moderator", speaker.cookies.get_dict())
        stack.callback(speaker_control.close)
        owner_control = Socket(server_a, code, "moderator", owner.cookies.get_dict())
        stack.callback(owner_control.close)
        _wait_subscribers(redis_client, f"{CHANNEL}:access", 2, logs)

        # 1. Removed: the speaker's socket on B goes at once.
        page = owner.get(f"{server_a.base_url}/trainings/{training_id}", timeout=10).text
        member_ids = re.findall(rf"/trainings/{training_id}/members/(\d+)/delete", page)
        assert member_ids, f"no member delete forms on the training page\n{page[:2000]}"
        # The speaker was added last: the highest member id.
        speaker_member = max(member_ids, key=int)
        removed = _post(
            owner, server_a, f"/trainings/{training_id}/members/{speaker_member}/delete"
        )
        assert removed.status_code == 302, removed.text
        assert speaker_control.ended.wait(TIMEOUT), f"removed trainer still connected\n{logs()}"
        assert owner_control.sio.connected

        phone_http = _browser(server_a)
        phone_http.get(f"{server_a.base_url}/j/{code}", timeout=10)
        phone = Socket(server_a, code, "participant", phone_http.cookies.get_dict())
        stack.callback(phone.close)
        story = f"Asiakas tarvitsi tulkin, eikä sitä ollut varattu {secrets.token_hex(3)}."
        ack = phone.sio.call(
            "cases:post",
            {
                "situation": story,
                "action": "",
                "discussion": "",
                "client_id": secrets.token_urlsafe(12),
            },
            timeout=TIMEOUT,
        )
        assert ack["ok"] is True, ack
        deadline = time.monotonic() + TIMEOUT
        while story not in owner_control.html("#story-queue") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert story in owner_control.html("#story-queue"), f"owner got no story\n{logs()}"
        assert story not in speaker_control.html("#story-queue")
        assert speaker.get(f"{server_b.base_url}/c/{code}", timeout=10).status_code == 404

        # 2. Signed out on A: the owner's projector socket on B goes, and a
        # copy of the cookie no longer opens anything on either server.
        copied = dict(owner.cookies.get_dict())
        projector = Socket(server_b, code, "projector", copied)
        stack.callback(projector.close)
        signed_out = _post(owner, server_a, "/accounts/logout")
        assert signed_out.status_code == 302
        assert projector.ended.wait(TIMEOUT), f"signed-out projector still connected\n{logs()}"
        assert owner_control.ended.wait(TIMEOUT)
        for server in (server_a, server_b):
            response = requests.get(
                f"{server.base_url}/c/{code}", cookies=copied, allow_redirects=False, timeout=10
            )
            assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]
        assert phone.sio.connected  # participants are nobody's account

        # 3. Closed on A: the phone on B sees the end screen, then goes.
        owner = _browser(server_a)
        _login(owner, server_a, demo["email"], demo["password"])
        phone_b = Socket(server_b, code, "participant", phone_http.cookies.get_dict())
        stack.callback(phone_b.close)
        closed = _post(
            owner, server_a, f"/trainings/{training_id}/sessions/{demo['session_id']}/close"
        )
        assert closed.status_code == 302
        assert phone_b.ended.wait(TIMEOUT), f"phone on B still connected after close\n{logs()}"
        assert phone.ended.wait(TIMEOUT)
        assert 'class="closed"' in phone_b.html("#live-main"), "the end screen did not come first"
