"""Workshop facilitation tool: plan, run and follow up trainings."""

import os
import secrets
from pathlib import Path

# Keep this module free of third-party imports: ``python -m facilitation``
# imports it before __main__ gets to monkey-patch with gevent.

ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "FACILITATION_"


def create_app(test_config: dict | None = None, *, fallback_public_url: str | None = None):
    """Build the application: config, extensions, blueprints, socket events.

    ``fallback_public_url``: the link base when no PUBLIC_URL is configured
    (``python -m facilitation`` passes where it listens).
    """
    from flask import Flask

    from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate, socketio

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    _configure(app, test_config, fallback_public_url)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)

    from .core.i18n import select_locale, select_timezone

    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(ROOT / "translations"),
    )
    # Import the handlers before init_app: decorators that run while a server
    # exists bind only to that server, and a second app (tests) would lack them.
    from .agenda import events as _agenda_events  # noqa: F401
    from .assessments import events as _assessment_events  # noqa: F401
    from .cases import events as _case_events  # noqa: F401
    from .live import events as _live_events  # noqa: F401
    from .polls import events as _poll_events  # noqa: F401
    from .questions import events as _question_events  # noqa: F401

    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        # Same-origin only: a foreign page must not open a participant socket.
        cors_allowed_origins=app.config.get("SOCKETIO_CORS_ALLOWED_ORIGINS"),
        manage_session=True,
    )

    from . import (  # noqa: F401
        accounts,
        agenda,
        assessments,
        budget,
        cases,
        core,
        followup,
        live,
        models,
        modules,
        polls,
        questions,
        registration,
        retention,
        summaries,
        trainings,
    )

    for area in (
        core,
        accounts,
        trainings,
        budget,
        registration,
        modules,
        live,
        questions,
        agenda,
        cases,
        polls,
        assessments,
        summaries,
        followup,
        retention,
    ):
        app.register_blueprint(area.bp)

    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=hops, x_host=hops)

    from . import cli

    cli.register(app)
    from .core import errors, template_helpers

    template_helpers.register(app)
    errors.register(app)
    return app


def _configure(app, test_config: dict | None, fallback_public_url: str | None = None) -> None:
    from .config import Defaults

    app.config.from_object(Defaults)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(ENV_PREFIX.rstrip("_"))
    if test_config:
        app.config.update(test_config)

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = app.config.get("DATABASE_URL") or (
            "sqlite:///" + str(Path(app.instance_path) / "facilitation.sqlite")
        )
        if url.startswith("postgres://"):
            url = "postgresql://" + url.removeprefix("postgres://")
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")
    # FACILITATION_SECRET_KEY=12345 arrives JSON-decoded as a number.
    app.config["SECRET_KEY"] = str(app.config["SECRET_KEY"])
    _configure_hosts(app, fallback_public_url)
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        queue = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or (
            queue if queue.startswith(("redis://", "rediss://")) else "memory://"
        )
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if queue and not queue.startswith(("redis://", "rediss://", "unix://")):
        # Ending access across processes (realtime.disconnect_room) speaks Redis.
        raise RuntimeError("SOCKETIO_MESSAGE_QUEUE must be a Redis URL (redis://...)")


def _configure_hosts(app, fallback: str | None = None) -> None:
    """PUBLIC_URL and TRUSTED_HOSTS from configuration, never from a request.

    A Host header is chosen by whoever sends the request: links built from it
    would let a stranger's Host change the projector's QR code or an e-mail's
    cancellation link.
    """
    from urllib.parse import urlsplit

    public = (app.config.get("PUBLIC_URL") or "").strip().rstrip("/")
    if not public:
        server_name = app.config.get("SERVER_NAME")
        if server_name:
            public = f"{app.config.get('PREFERRED_URL_SCHEME') or 'http'}://{server_name}"
        elif fallback:
            public = fallback.rstrip("/")
        else:
            import click

            public = "http://127.0.0.1:5000"
            serving = click.get_current_context(silent=True) is None  # not a flask command
            if serving and not (app.testing or app.debug):
                app.logger.warning(
                    "PUBLIC_URL is not set: join links and e-mails point to %s. "
                    "Set FACILITATION_PUBLIC_URL to the address people use.",
                    public,
                )
    parts = urlsplit(public)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RuntimeError(f"PUBLIC_URL must be an http(s) address, not {public!r}")
    app.config["PUBLIC_URL"] = public
    hosts = app.config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):  # FACILITATION_TRUSTED_HOSTS="a.fi,b.fi"
        hosts = [h.strip() for h in hosts.split(",") if h.strip()]
    if not hosts:
        hosts = [parts.hostname, "localhost", "127.0.0.1", "::1"]
    app.config["TRUSTED_HOSTS"] = list(dict.fromkeys(hosts))


def _instance_secret(path: Path) -> str:
    """Read the instance secret, creating it (mode 0600) on first run.

    Several workers may start at once: the key is written to a temporary file
    and linked into place atomically, so nobody reads a half-written key and
    the first one to link wins.
    """
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another worker was first: use its key
        finally:
            os.unlink(tmp)
    return path.read_text().strip()
