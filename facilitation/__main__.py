"""Serve the app with gevent: ``python -m facilitation`` (what ``make run`` does).

Monkey-patching must happen before anything else imports sockets or threads.
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402


def _lan_address() -> str:
    """This machine's address on its network, for phones to reach a server
    bound to every interface (no packet is sent)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routing only
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def main() -> None:
    from . import create_app
    from .extensions import socketio

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    # Links and QR codes come from configuration only: without a PUBLIC_URL
    # they point at where this server listens.
    public_host = _lan_address() if host in ("0.0.0.0", "::") else host
    app = create_app(fallback_public_url=f"http://{public_host}:{port}")
    print(
        f" * Serving on http://{host}:{port} (gevent); links and QR codes point to "
        f"{app.config['PUBLIC_URL']}",
        flush=True,
    )
    socketio.run(app, host=host, port=port, log_output=os.environ.get("ACCESS_LOG") == "1")


if __name__ == "__main__":
    main()
