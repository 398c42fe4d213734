"""Participation figures: phones connected now and the peak, as numbers only."""

from facilitation.extensions import db
from facilitation.live.models import LiveSession
from facilitation.live.services import reset_connections


def counts(live):
    db.session.expire_all()
    row = db.session.get(LiveSession, live.id)
    return row.connected_now, row.peak_participants


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


def test_a_server_start_forgets_connections_of_a_crashed_process(live):
    live.connected_now, live.peak_participants = 7, 9
    db.session.commit()
    reset_connections()
    db.session.commit()
    assert counts(live) == (0, 9)
