"""Shared fixtures: an app per database backend, clients, sockets and actions.

Database tests run on SQLite and on PostgreSQL (the ``app`` fixture is
parametrised). With CI=true a missing PostgreSQL fails instead of skipping.
"""

import os
import re
import secrets
import uuid

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade

from facilitation import create_app
from facilitation.extensions import db, socketio

IN_CI = os.environ.get("CI") == "true"
PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "correct horse battery"


def unavailable(reason: str):
    """Skip locally, fail in CI: CI must never silently skip."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: not skipping)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_database():
    """A throw-away PostgreSQL database, migrated once; tables emptied per test."""
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        unavailable(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
    name = f"facilitation_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    app = create_app(_test_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    try:
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _test_config(url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key",
        "SOCKETIO_ASYNC_MODE": "threading",
        "SERVER_NAME": "training.test",
        "LIVE_PUSH_DELAY": 0,  # push at once; coalescing has its own test
        "LIVE_CLOSE_DELAY": 0,
        **extra,
    }


class IsolatedClient(FlaskClient):
    """Each request in an app context of its own, as in a real server.

    The test body holds an app context for its own database work; without
    this, requests would share its ``g`` (Flask-Login's cached user,
    Flask-WTF's token) and one client could act as another.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()  # the test's session sees what the request committed
        return response


def isolated(app, call):
    """Run a Socket.IO test-client call in a fresh app context (see IsolatedClient)."""

    def wrapper(*args, **kwargs):
        with app.app_context():
            result = call(*args, **kwargs)
        db.session.expire_all()
        return result

    return wrapper


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture
def app_config():
    """Extra configuration for the ``app`` fixture; override it in a test
    module or class (e.g. the mail server of ``smtp_server``)."""
    return {}


@pytest.fixture
def app(backend, request, tmp_path, app_config):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    else:
        url = request.getfixturevalue("pg_database")
    app = create_app(_test_config(url, **app_config))
    app.test_client_class = IsolatedClient
    with app.app_context():
        if backend == "sqlite":
            upgrade()
        else:
            _empty_tables()
        yield app
        db.session.remove()
        db.engine.dispose()


def _empty_tables():
    with db.engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- data -------------------------------------------------------------------


@pytest.fixture
def make_user(app):
    from facilitation.accounts.services import create_user

    def make(email=None, name="Testi Kouluttaja", password=PASSWORD):
        user = create_user(email or f"user-{uuid.uuid4().hex[:8]}@example.fi", name, password)
        db.session.commit()
        return user

    return make


@pytest.fixture
def trainer(make_user):
    return make_user("kouluttaja@example.fi")


@pytest.fixture
def training(trainer):
    from facilitation.trainings.services import create_training

    training = create_training(trainer, "Kotoutumisen perusteet")
    db.session.commit()
    return training


@pytest.fixture
def live(training):
    from facilitation.live.services import open_session

    live = open_session(training, "Aamupäivä")
    db.session.commit()
    return live


# --- actions ----------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def csrf_from(client, path="/") -> str:
    """The CSRF token a browser would have after loading ``path``."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, email="kouluttaja@example.fi", password=PASSWORD):
    token = csrf_from(client, "/accounts/login")
    response = client.post(
        "/accounts/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def trainer_client(app, trainer):
    client = app.test_client()
    login(client)
    return client


def new_client_id() -> str:
    return secrets.token_urlsafe(12)


@pytest.fixture
def connect(app):
    """Open a Socket.IO test client for an audience, using a Flask test client's cookies."""
    opened = []

    def _connect(code, audience="participant", flask_client=None, language=None, token=True):
        flask_client = flask_client or app.test_client()
        if audience == "participant" and token:
            # As a phone does: the join page hands out the participant token.
            flask_client.get(f"/j/{code}")
        sc = isolated(app, socketio.test_client)(
            app,
            flask_test_client=flask_client,
            auth={"code": code, "audience": audience},
            headers={"Accept-Language": language} if language else None,
        )
        sc.emit = isolated(app, sc.emit)
        sc.disconnect = isolated(app, sc.disconnect)
        opened.append(sc)
        return sc

    yield _connect
    for sc in opened:
        if sc.is_connected():
            sc.disconnect()


def swaps(received, target=None):
    """All ui:swap pieces a socket client received (optionally for one target)."""
    pieces = [p for event in received if event["name"] == "ui:swap" for p in pieces_of(event)]
    return [p for p in pieces if target is None or p["target"] == target]


def pieces_of(event) -> list[dict]:
    """The pieces of one ui:swap event: ``{"v": version, "pieces": [...]}``."""
    payload = event["args"][0]
    assert isinstance(payload, dict) and isinstance(payload["v"], int), payload
    return payload["pieces"]


# --- e-mail -------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nothing listens on (at the moment of asking)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPRecorder:
    """aiosmtpd handler: keeps every message it receives, parsed."""

    def __init__(self):
        self.messages = []
        self.port = None

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 and a free port; ``.messages`` holds
    what it received as email.message.EmailMessage objects."""
    from aiosmtpd.controller import Controller

    recorder = SMTPRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port
    try:
        yield recorder
    finally:
        controller.stop()


def mail_config(port: int) -> dict:
    """App configuration that really sends over SMTP to 127.0.0.1:``port``."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_DEFAULT_SENDER": "koulutus@training.test",
        "MAIL_SUPPRESS_SEND": False,  # TESTING would suppress it
    }
