"""Serve the app with gevent: ``python -m facilitation`` (what ``make run`` does).

Monkey-patching must happen before anything else imports sockets or threads.
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402


def main() -> None:
    from . import create_app
    from .extensions import socketio

    app = create_app()
    with app.app_context():
        # The only server process: no phone is connected to it yet.
        from .extensions import db
        from .live.services import reset_connections

        reset_connections()
        db.session.commit()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f" * Serving on http://{host}:{port} (gevent)", flush=True)
    socketio.run(app, host=host, port=port, log_output=os.environ.get("ACCESS_LOG") == "1")


if __name__ == "__main__":
    main()
