"""Retention: `flask purge` deletes raw participant data of trainings past
their retention period, keeps the summary, and records what went."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from facilitation.dbtypes import utcnow
from facilitation.extensions import db
from facilitation.live.services import close_session, open_session
from facilitation.registration.models import Registration
from facilitation.retention import services as retention
from facilitation.retention.models import PurgeRecord
from facilitation.summaries.services import build_summary
from facilitation.trainings.services import create_training
from tests import raw_data


def _count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def _counts(live) -> dict:
    return retention.raw_counts(live)


@pytest.fixture
def trainings(trainer):
    """One training past its retention, one inside it, one without a date."""
    now = utcnow()
    made = {}
    for name, ends in (
        ("past", now - timedelta(days=91)),
        ("inside", now - timedelta(days=10)),
        ("undated", None),
    ):
        training = create_training(trainer, f"Koulutus {name}")
        training.ends_at = ends
        live = open_session(training, f"Sessio {name}")
        expected = raw_data.seed(live, name)
        raw_data.registrations(training)
        made[name] = (training, live, expected)
    db.session.commit()
    return made


def test_purge_deletes_only_what_is_past_retention(trainings, runner):
    past, past_live, expected = trainings["past"]
    assert _counts(past_live) == expected
    untouched = {name: _counts(trainings[name][1]) for name in ("inside", "undated")}

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert (
        "Koulutus past" in result.output
        and "Purged 1 training(s), 1 session(s), 2 registration(s)" in result.output
    )

    db.session.expire_all()
    assert set(_counts(past_live).values()) == {0}
    assert _count(Registration, training_id=past.id) == 0
    for name in ("inside", "undated"):
        training, live, _expected = trainings[name]
        assert _counts(live) == untouched[name]
        assert _count(Registration, training_id=training.id) == 2
        assert live.raw_deleted_at is None and live.summary_snapshot is None

    # The summary was stored before the rows went, and is what build_summary returns now.
    assert past_live.raw_deleted_at is not None and not past_live.is_open
    snapshot = past_live.summary_snapshot
    assert snapshot["session"]["id"] == past_live.id
    assert snapshot["participation"]["posts"]["questions"] == 3
    assert build_summary(past_live) == snapshot
    bodies = [q["body"] for step in snapshot["steps"] for q in step["questions"]]
    bodies += [q["body"] for q in snapshot["outside"]["questions"]]
    assert "Miten tulkki tilataan? past" in bodies

    records = list(db.session.scalars(select(PurgeRecord).order_by(PurgeRecord.id)))
    assert [(r.session_id, r.reason, r.training_id) for r in records] == [
        (past_live.id, "retention", past.id),
        (None, "retention", past.id),
    ]
    assert records[0].counts == expected and records[0].user_id is None
    assert records[1].counts == {"registrations": 2}
    assert records[0].training_title == "Koulutus past"


def test_purge_is_idempotent(trainings, runner):
    assert runner.invoke(args=["purge"]).exit_code == 0
    records = _count(PurgeRecord)
    snapshot = trainings["past"][1].summary_snapshot
    again = runner.invoke(args=["purge"])
    assert again.exit_code == 0 and "Nothing to purge." in again.output
    db.session.expire_all()
    assert _count(PurgeRecord) == records
    assert trainings["past"][1].summary_snapshot == snapshot


def test_dry_run_changes_nothing(trainings, runner):
    before = {name: _counts(live) for name, (_t, live, _e) in trainings.items()}
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Koulutus past" in result.output and "3 questions" in result.output
    assert "registrations: 2" in result.output and "Nothing was deleted" in result.output
    assert "Koulutus inside" not in result.output and "Koulutus undated" not in result.output
    db.session.expire_all()
    assert {name: _counts(live) for name, (_t, live, _e) in trainings.items()} == before
    assert _count(PurgeRecord) == 0 and _count(Registration) == 6
    assert trainings["past"][1].raw_deleted_at is None


def test_a_failing_training_keeps_the_others_done(trainings, trainer, runner, monkeypatch):
    second = create_training(trainer, "Koulutus rikki")
    second.ends_at = utcnow() - timedelta(days=200)
    broken = open_session(second, "Rikki")
    raw_data.seed(broken, "rikki")
    db.session.commit()
    real = retention.purge_session

    def failing(live, *args, **kwargs):
        if live.id == broken.id:
            raise RuntimeError("disk full")
        return real(live, *args, **kwargs)

    monkeypatch.setattr(retention, "purge_session", failing)
    result = runner.invoke(args=["purge"])
    assert result.exit_code != 0 and "disk full" in result.output
    db.session.expire_all()
    assert trainings["past"][1].raw_deleted_at is not None
    assert broken.raw_deleted_at is None and _counts(broken)["questions"] == 3


def test_the_end_of_a_training(trainer):
    training = create_training(trainer, "Päivämäärät")
    db.session.commit()
    assert retention.training_end(training) is None and retention.purge_due(training) is None
    live = open_session(training)
    close_session(live)
    db.session.commit()
    assert retention.training_end(training) == live.closed_at
    training.starts_at = utcnow() - timedelta(days=3)
    assert retention.training_end(training) == training.starts_at
    training.ends_at = training.starts_at + timedelta(hours=6)
    training.retention_days = 30
    assert retention.purge_due(training) == training.ends_at + timedelta(days=30)


def test_after_purge_the_summary_and_the_follow_up_page_still_render(trainings, runner, client):
    from facilitation.followup import services as followup

    _training, live, _expected = trainings["past"]
    followup.publish(live)
    db.session.commit()
    assert runner.invoke(args=["purge"]).exit_code == 0
    db.session.expire_all()

    html = client.get(f"/f/{live.followup_id}", headers={"Accept-Language": "fi"}).get_data(
        as_text=True
    )
    assert "Miten tulkki tilataan? past" in html and "Tulkkikeskuksesta." in html
    assert "Piilotettu" not in html

    from facilitation.summaries import render

    summary = build_summary(live)
    assert "Miten tulkki tilataan? past" in render.to_html(summary, "fi")
    assert render.to_pdf(summary, "fi").startswith(b"%PDF")


def test_an_organiser_deletes_a_closed_sessions_raw_data(trainings, trainer):
    training, live, expected = trainings["inside"]
    with pytest.raises(retention.RetentionError):
        retention.delete_now(live, trainer, live.code)  # still open
    close_session(live)
    with pytest.raises(retention.RetentionError):
        retention.delete_now(live, trainer, "WRONG1")
    record = retention.delete_now(live, trainer, live.code.lower())
    db.session.commit()
    assert record.reason == "organiser" and record.user_id == trainer.id
    assert record.counts == expected and set(_counts(live).values()) == {0}
    # Registrations belong to the training's retention, not to one session.
    assert _count(Registration, training_id=training.id) == 2
