"""Workshop facilitation tool: plan, run and follow up trainings."""

import os
import secrets
from pathlib import Path

# Keep this module free of third-party imports: ``python -m facilitation``
# imports it before __main__ gets to monkey-patch with gevent.

ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "FACILITATION_"


def create_app(test_config: dict | None = None):
    """Build the application: config, extensions, blueprints, socket events."""
    from flask import Flask

    from .extensions import babel, csrf, db, login_manager, mail, migrate, socketio

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    _configure(app, test_config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)

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


def _configure(app, test_config: dict | None) -> None:
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
