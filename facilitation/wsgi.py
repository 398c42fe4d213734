"""WSGI entry point for gunicorn with a gevent websocket worker.

    gunicorn -k geventwebsocket.gunicorn.workers.GeventWebSocketWorker \
        --worker-connections 4000 -w 1 facilitation.wsgi:app

The gevent worker monkey-patches before importing this module.
"""

from . import create_app

app = create_app()
