"""A burst of changes becomes one push (LIVE_PUSH_DELAY > 0, as in production)."""

import time

from facilitation.questions.models import Question
from tests.conftest import new_client_id, swaps


def wait_for(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_burst_of_votes_is_pushed_once_with_the_final_counts(app, live, connect):
    from facilitation.extensions import db

    phones = [connect(live.code) for _ in range(6)]
    asked = phones[0].emit(
        "questions:ask", {"body": "Ryöppy", "client_id": new_client_id()}, callback=True
    )
    observer = connect(live.code)
    assert wait_for(lambda: db.session.get(Question, asked["id"]) is not None)

    app.config["LIVE_PUSH_DELAY"] = 0.3
    try:
        received = []
        observer.get_received()
        for phone in phones:
            assert phone.emit("questions:vote", {"question_id": asked["id"]}, callback=True)["ok"]

        def final_count_seen():
            received.extend(swaps(observer.get_received(), f"#question-{asked['id']}-votes"))
            return any('data-votes="6"' in piece["html"] for piece in received)

        assert wait_for(final_count_seen)
        assert 1 <= len(received) < 6  # coalesced, not one push per vote
        from facilitation import realtime

        assert wait_for(lambda: not realtime._scheduled)  # nothing left to run after the test
    finally:
        app.config["LIVE_PUSH_DELAY"] = 0
