"""Cross-process fan-out: a question asked on one server process reaches a phone on another.

Production runs several ``python -m facilitation`` processes behind one
address; a phone's socket lives in one of them, and a push made by another
must reach it through Redis (``FACILITATION_SOCKETIO_MESSAGE_QUEUE``). Here two
real gevent servers share one SQLite file and one secret key; one python-socketio
client joins as a participant on each. The phone on server A asks; the phone on
server B must be pushed the new ``#question-list``.

The negative control runs the same pair without the message queue: the asker's
own process still pushes (phone A gets the list), but phone B hears nothing,
which shows that the test can fail and that Redis is what carries the push.
"""

import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest
import socketio

from tests import servers
from tests.conftest import unavailable

pytestmark = pytest.mark.redis

# Redis Pub/Sub ignores the database number: every client of the Redis server
# shares a channel, whichever db the URL names. Each run uses a channel of its
# own (FACILITATION_SOCKETIO_CHANNEL), as each deployment sharing a Redis should.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
CHANNEL = f"facilitation-test-{secrets.token_hex(4)}"

PUSH_TIMEOUT = 10.0  # a push crosses a local Redis in milliseconds; only failures wait
SILENCE = 2.0  # how long the negative control listens for what must not come
SUBSCRIBE_TIMEOUT = 10.0
QUESTION_LIST = "#question-list"


class Swaps:
    """The question pieces pushed to one client (the list, or one question added
    to it), and a bounded wait for a text."""

    def __init__(self) -> None:
        self.lists: list[str] = []
        self.changed = threading.Condition()

    def __call__(self, payload) -> None:
        with self.changed:
            self.lists += [
                piece["html"]
                for piece in payload["pieces"]
                if isinstance(piece, dict)
                and QUESTION_LIST in (piece.get("target"), piece.get("into"))
            ]
            self.changed.notify_all()

    def wait_for(self, text: str, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(
                lambda: any(text in html for html in self.lists), timeout=timeout
            )


def _redis():
    """A client of the test Redis; skip locally or fail in CI when it does not answer."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        unavailable(f"Redis not reachable at {REDIS_URL}: {exc}")
    return client


def _subscribers(client) -> int:
    ((_channel, count),) = client.pubsub_numsub(CHANNEL)
    return count


def _wait_subscribed(client, count: int, logs) -> None:
    """Until ``count`` processes listen on the channel.

    A server subscribes in a background task started by its first Socket.IO
    connection; a push published before that is lost for it.
    """
    deadline = time.monotonic() + SUBSCRIBE_TIMEOUT
    while _subscribers(client) < count:
        if time.monotonic() > deadline:
            pytest.fail(
                f"only {_subscribers(client)} of {count} subscribers on {CHANNEL!r} "
                f"after {SUBSCRIBE_TIMEOUT:.0f} s\n{logs()}",
                pytrace=False,
            )
        time.sleep(0.05)


@contextmanager
def _participant(server: servers.Server, code: str, on_swap: Swaps) -> Iterator[socketio.Client]:
    """A phone's socket on ``server``, as realtime.js opens it; disconnected on exit."""
    sio = socketio.Client(reconnection=False)
    sio.on("ui:swap", on_swap)
    try:
        sio.connect(
            server.base_url, auth={"code": code, "audience": "participant"}, wait_timeout=10
        )
    except socketio.exceptions.ConnectionError as exc:
        pytest.fail(
            f"participant could not connect to {server.base_url}: {exc}\n{server.output()}",
            pytrace=False,
        )
    try:
        yield sio
    finally:
        sio.disconnect()


def _free_ports(count: int) -> list[int]:
    ports: set[int] = set()
    for _ in range(20 * count):
        ports.add(servers.free_port())
        if len(ports) == count:
            return sorted(ports)
    pytest.fail(f"no {count} distinct free ports", pytrace=False)


@pytest.mark.parametrize("through_redis", [True, False], ids=["through-redis", "without-queue"])
def test_a_question_asked_on_one_process_reaches_a_phone_on_another(through_redis, tmp_path):
    settings = {}
    redis_client = None
    if through_redis:
        redis_client = _redis()
        settings["FACILITATION_SOCKETIO_MESSAGE_QUEUE"] = REDIS_URL
        settings["FACILITATION_SOCKETIO_CHANNEL"] = CHANNEL

    port_a, port_b = _free_ports(2)
    shared = {
        "database_url": f"sqlite:///{tmp_path / 'shared.sqlite'}",
        "secret_key": secrets.token_urlsafe(32),
        "translations": servers.compile_translations(tmp_path / "translations"),
    }
    env_a = servers.server_env(port_a, **shared, **settings)
    env_b = servers.server_env(port_b, **shared, **settings)
    servers.flask(env_a, "db", "upgrade")
    code = servers.demo(env_a, servers.base_url(env_a))["code"]

    with ExitStack() as stack:
        if redis_client is not None:
            stack.callback(redis_client.close)
            before = _subscribers(redis_client)
        server_a = stack.enter_context(servers.serve(env_a, tmp_path / "server-a.log"))
        server_b = stack.enter_context(servers.serve(env_b, tmp_path / "server-b.log"))

        def logs() -> str:
            return "\n".join(
                f"--- server {name} ({server.base_url}):\n{server.output()}"
                for name, server in (("A", server_a), ("B", server_b))
            )

        swaps_a, swaps_b = Swaps(), Swaps()
        phone_a = stack.enter_context(_participant(server_a, code, swaps_a))
        stack.enter_context(_participant(server_b, code, swaps_b))
        if redis_client is not None:
            _wait_subscribed(redis_client, before + 2, logs)

        body = f"Tuleeko tämä toiselle palvelimelle? {secrets.token_hex(4)}"
        ack = phone_a.call(
            "questions:ask",
            {"body": body, "client_id": secrets.token_urlsafe(16)},
            timeout=PUSH_TIMEOUT,
        )
        assert ack["ok"] is True, ack
        assert ack["status"] == "visible" and ack["duplicate"] is False, ack
        # The asker's own process pushed the list: the push itself happened.
        assert swaps_a.wait_for(body, PUSH_TIMEOUT), f"server A pushed nothing\n{logs()}"

        if through_redis:
            assert swaps_b.wait_for(body, PUSH_TIMEOUT), (
                f"phone B (server B) was not pushed the question within "
                f"{PUSH_TIMEOUT:.0f} s\n{logs()}"
            )
        else:
            assert not swaps_b.wait_for(body, SILENCE), (
                "phone B got the question without a message queue: "
                "the two servers are not separate processes?"
            )
