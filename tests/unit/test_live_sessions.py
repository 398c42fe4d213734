"""Join codes and sessions."""

import pytest

from facilitation.extensions import db
from facilitation.live import services
from facilitation.live.models import LiveSession

LOOK_ALIKES = set("0O1IL")


def test_codes_use_no_look_alike_characters():
    assert not LOOK_ALIKES & set(services.CODE_ALPHABET)
    for _ in range(200):
        code = services.new_code()
        assert len(code) == 6 and set(code) <= set(services.CODE_ALPHABET)


@pytest.mark.parametrize(("typed", "code"), [("abc 234", "ABC234"), (" k7m-p9q ", "K7MP9Q")])
def test_typed_codes_are_normalised(typed, code):
    assert services.normalise_code(typed) == code


def test_code_is_unique_among_open_sessions(training, monkeypatch):
    codes = iter(["AAAAAA", "AAAAAA", "BBBBBB"])
    monkeypatch.setattr(services, "new_code", lambda: next(codes))
    first = services.open_session(training)
    second = services.open_session(training)
    db.session.commit()
    assert (first.code, second.code) == ("AAAAAA", "BBBBBB")


def test_a_closed_session_frees_its_code(training, monkeypatch):
    monkeypatch.setattr(services, "new_code", lambda: "CCCCCC")
    first = services.open_session(training)
    services.close_session(first)
    db.session.commit()
    second = services.open_session(training)
    db.session.commit()
    assert second.code == "CCCCCC" and second.id != first.id
    assert services.find_open_session("CCCCCC") == second


def test_the_database_refuses_two_open_sessions_with_one_code(training):
    from sqlalchemy.exc import IntegrityError

    db.session.add(LiveSession(training_id=training.id, code="DDDDDD"))
    db.session.commit()
    db.session.add(LiveSession(training_id=training.id, code="DDDDDD"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_unknown_moderation_mode_is_refused(live):
    with pytest.raises(services.LiveError):
        services.set_moderation(live, "sometimes")
    assert live.moderation == "open"
