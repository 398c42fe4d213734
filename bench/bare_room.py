"""A bare Flask-SocketIO room: the yardstick for bench/load.py.

    gunicorn -k geventwebsocket.gunicorn.workers.GeventWebSocketWorker \
        -w 1 --worker-connections 10000 --pythonpath bench bare_room:app

Same server stack as the project (gunicorn, gevent websocket worker, one
worker, Flask-SocketIO in gevent mode), no application logic: every socket
joins one room; ``questions:ask`` and ``questions:vote`` each acknowledge and
broadcast one small ``ui:swap`` to the room, at once. It speaks the subset of
the project's protocol that the load generator uses (``GET /j/<code>`` for
the participant cookie, ``live:sync``, ``questions:ask``, ``questions:vote``,
the ``ui:swap`` piece format of docs/protocol.md), so the same generator code
measures both servers.
"""

import itertools
from collections import Counter

from flask import Flask, make_response
from flask_socketio import SocketIO, join_room
from markupsafe import escape

ROOM = "room"

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")
_ids = itertools.count(1)
_votes: Counter = Counter()
_version = itertools.count(1)


@app.get("/")
def index():
    return "bare room\n"


@app.get("/j/<code>")
def join(code: str):
    resp = make_response(f"bare room {escape(code)}\n")
    resp.set_cookie("participant", "bare", httponly=True, samesite="Lax")
    return resp


@socketio.on("connect")
def on_connect(auth=None):
    join_room(ROOM)


@socketio.on("live:sync")
def on_sync(data=None):
    return {"ok": True, "pieces": []}


def _broadcast(piece: dict) -> None:
    socketio.emit("ui:swap", {"v": next(_version), "pieces": [piece]}, to=ROOM)


@socketio.on("questions:ask")
def on_ask(data=None):
    body = str((data or {}).get("body", ""))[:500] if isinstance(data, dict) else ""
    qid = next(_ids)
    _broadcast(
        {
            "target": "#question-list",
            "swap": "beforeend",
            "html": f'<li id="question-{qid}" data-votes="0">{escape(body)}</li>',
        }
    )
    return {"ok": True, "id": qid}


@socketio.on("questions:vote")
def on_vote(data=None):
    try:
        qid = int((data or {}).get("question_id"))
    except (TypeError, ValueError, AttributeError):
        return {"ok": False, "error": "bad_request"}
    _votes[qid] += 1
    n = _votes[qid]
    _broadcast(
        {
            "target": f"#question-{qid}-votes",
            "swap": "outerHTML",
            "html": f'<span id="question-{qid}-votes" data-votes="{n}">{n}</span>',
        }
    )
    return {"ok": True, "voted": True, "votes": n}
