"""Flask commands and the migrations."""

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from facilitation.accounts.services import authenticate
from facilitation.extensions import db
from facilitation.live.models import LiveSession
from facilitation.trainings.models import Training


def test_migrations_match_the_models(app):
    """`flask db upgrade` builds exactly the schema the models describe."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_demo_seeds_a_training_and_prints_json(runner):
    result = runner.invoke(args=["demo", "--json", "--base-url", "http://localhost:5000"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    live = db.session.get(LiveSession, info["session_id"])
    assert live.is_open and live.code == info["code"]
    assert info["phone_url"] == f"http://localhost:5000/j/{info['code']}"
    assert info["projector_url"].endswith(f"/p/{info['code']}")
    assert info["control_url"].endswith(f"/c/{info['code']}")
    assert authenticate(info["email"], info["password"]) is not None
    assert "Maahanmuutt" in live.training.title  # a Finnish integration training
    from facilitation.agenda.services import steps_of

    steps = steps_of(live)
    assert steps[1].kind == "self_assessment" and steps[-2].kind == "self_assessment"
    assert steps[2].kind == "pair_discussion" and "pareittain" in steps[2].content
    # the planning is filled in too: partners, costs, a speaker, registrations
    from facilitation.budget.services import totals
    from facilitation.registration.services import counts

    training = live.training
    assert len(training.partners) == 3 and training.status == "invitations_open"
    assert counts(training)["confirmed"] == 6
    overall = totals(training)["overall"]["estimated"]
    # venue 600 € + coffee 4,50 € × 2 × (6 + 1 speaker + 1 organiser) + speaker 485,50 €
    assert overall == 60000 + 450 * 2 * 8 + 48550


def test_demo_again_reuses_the_training_and_renews_the_password(runner):
    first = json.loads(runner.invoke(args=["demo", "--json"]).output)
    second = json.loads(runner.invoke(args=["demo", "--json"]).output)
    assert first["code"] == second["code"]
    assert db.session.query(Training).count() == 1
    assert authenticate(second["email"], second["password"]) is not None
    assert authenticate(first["email"], first["password"]) is None


def test_demo_text_output_names_everything_a_trainer_needs(runner):
    output = runner.invoke(args=["demo"]).output
    for word in ("Join code", "Phone", "Projector", "Control", "Trainer"):
        assert word in output


def test_create_user(runner):
    args = ["create-user", "--email", "Uusi@Example.fi", "--name", "Uusi Järjestäjä"]
    result = runner.invoke(args=args, input="pitkä salasana\npitkä salasana\n")
    assert result.exit_code == 0, result.output
    assert authenticate("uusi@example.fi", "pitkä salasana") is not None
    again = runner.invoke(args=args, input="pitkä salasana\npitkä salasana\n")
    # No request, so the default language: Finnish.
    assert again.exit_code != 0 and "on jo tili" in again.output
    short = runner.invoke(
        args=["create-user", "--email", "b@example.fi", "--name", "B", "--password", "lyhyt"]
    )
    assert short.exit_code != 0 and "10" in short.output
