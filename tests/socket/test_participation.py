"""Participation figures: phones connected now and the peak, as numbers only.

"Connected now" is counted in memory (live/presence.py), never by a commit
on the socket handler's path; the peak is kept in the database for the
summary, by the presence flush.
"""

from sqlalchemy import event

from facilitation.extensions import db
from facilitation.live import presence
from facilitation.live.models import LiveSession
from tests.conftest import swaps


def counts(live):
    db.session.expire_all()
    row = db.session.get(LiveSession, live.id)
    return presence.connected_now(live.id, live.code), row.peak_participants


def test_phones_are_counted_and_the_peak_is_kept(live, connect, trainer_client):
    phones = [connect(live.code) for _ in range(3)]
    connect(live.code, "projector", trainer_client)  # trainers' screens do not count
    assert counts(live) == (3, 3)
    phones[0].disconnect()
    phones[1].disconnect()
    assert counts(live) == (1, 3)
    connect(live.code)
    assert counts(live) == (2, 3)
    for _ in range(2):
        connect(live.code)
    assert counts(live) == (4, 4)


def test_a_refused_connection_is_not_counted(live, connect):
    assert not connect("ZZZZZZ").is_connected()
    assert counts(live) == (0, 0)


def test_the_control_page_shows_and_is_pushed_the_count(live, connect, trainer_client):
    control = connect(live.code, "moderator", trainer_client)
    control.get_received()
    connect(live.code)
    connect(live.code)
    pushed = swaps(control.get_received(), "#presence")
    assert pushed and "2" in pushed[-1]["html"], pushed
    page = trainer_client.get(f"/c/{live.code}").get_data(as_text=True)
    assert 'id="presence"' in page
    assert "2" in page.split('id="presence"')[1].split("</p>")[0]
    resync = control.emit("live:sync", {}, callback=True)
    (piece,) = [p for p in resync["pieces"] if p["target"] == "#presence"]
    assert "2" in piece["html"]


def test_connect_and_disconnect_write_nothing_once_the_peak_is_known(live, connect, app):
    """Only a new peak costs a statement that writes; a phone coming and going
    below it touches no table."""
    for _ in range(2):
        connect(live.code)
    connect(live.code).disconnect()  # the peak is 3 now
    writes = []

    def count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith("SELECT"):
            writes.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            for _ in range(5):
                connect(live.code).disconnect()
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert [w for w in writes if "UPDATE" in w.upper() or "INSERT" in w.upper()] == []
    assert counts(live) == (2, 3)
