"""Flask commands: create-user, demo, purge."""

import json
import secrets

import click
from flask import Flask, current_app, url_for
from sqlalchemy import select

from .accounts import services as accounts
from .accounts.models import User
from .extensions import db

DEMO_EMAIL = "kouluttaja@demo.example"
DEMO_TRAINING_TITLE = "Maahanmuuttajataustaiset asiakkaat palveluissa – perustietopaketti"


def register(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(purge_command)


@click.command("create-user")
@click.option("--email", prompt=True, help="Sign-in e-mail address.")
@click.option("--name", prompt=True, help="Name shown to co-organisers.")
@click.password_option(help="At least 10 characters.")
def create_user_command(email: str, name: str, password: str) -> None:
    """Add an organiser or trainer account."""
    try:
        user = accounts.create_user(email, name, password)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created user {user.email}")


@click.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option("--base-url", default=None, help="Base URL for the printed links.")
def demo_command(as_json: bool, base_url: str | None) -> None:
    """Seed a demo integration training with an open session and a trainer account.

    Safe to run again: it reuses the demo training and its open session and
    gives the demo trainer a new password, printed below.
    """
    from .agenda import demo as demo_agenda
    from .live import services as live_services
    from .live.models import LiveSession
    from .trainings import services as trainings
    from .trainings.models import Training, TrainingMember

    password = secrets.token_urlsafe(9)
    user = accounts.get_by_email(DEMO_EMAIL)
    if user is None:
        user = accounts.create_user(DEMO_EMAIL, "Demo Kouluttaja", password)
    else:
        accounts.set_password(user, password)

    training = db.session.scalar(
        select(Training)
        .join(TrainingMember)
        .where(Training.title == DEMO_TRAINING_TITLE, TrainingMember.user_id == user.id)
    )
    if training is None:
        training = trainings.create_training(
            user,
            DEMO_TRAINING_TITLE,
            description=(
                "Koulutus kunnan, työllisyyspalvelujen, Maahanmuuttoviraston ja järjestöjen "
                "työntekijöille, jotka kohtaavat maahanmuuttaneita asiakkaita."
            ),
        )
        from .trainings.demo import seed_planning

        seed_planning(training)
    live = db.session.scalar(
        select(LiveSession).where(
            LiveSession.training_id == training.id, LiveSession.closed_at.is_(None)
        )
    )
    if live is None:
        live = live_services.open_session(training, "Aamupäivä")
        demo_agenda.seed(live)
    db.session.commit()

    info = _demo_info(user, live, password, base_url)
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False))
        return
    click.echo(f"Demo training: {training.title}")
    click.echo(f"Join code:     {info['code']}")
    click.echo(f"Phone:         {info['phone_url']}")
    click.echo(f"Projector:     {info['projector_url']}")
    click.echo(f"Control:       {info['control_url']}")
    click.echo(f"Sign in:       {info['login_url']}")
    click.echo(f"Trainer:       {info['email']} / {info['password']}")


def _demo_info(user: User, live, password: str, base_url: str | None) -> dict:
    base = (base_url or current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/")
    with current_app.test_request_context(base_url=base):
        # Paths from the URL map, host from --base-url (even if SERVER_NAME is set).
        def link(endpoint: str, **values) -> str:
            return base + url_for(endpoint, **values)

        return {
            "training": live.training.title,
            "training_id": live.training_id,
            "session_id": live.id,
            "code": live.code,
            "phone_url": link("live.participant_page", code=live.code),
            "projector_url": link("live.projector_page", code=live.code),
            "control_url": link("live.control_page", code=live.code),
            "login_url": link("accounts.login"),
            "email": user.email,
            "password": password,
        }


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only print what would be deleted.")
def purge_command(dry_run: bool) -> None:
    """Delete raw participant data of trainings past their retention period.

    Per training: each session's summary is stored, then its questions,
    stories, votes and answers are deleted, then the registrations; a purge
    record keeps the counts. Each training is committed on its own, so a
    failure keeps what was already done. Safe to run again (daily).
    """
    from .retention import services as retention

    due = retention.due_trainings()
    if not due:
        click.echo("Nothing to purge.")
        return
    totals = {"sessions": 0, "registrations": 0}
    failed: list[int] = []
    for training in due:
        plan = retention.plan(training)
        click.echo(
            f"Training {training.id} {training.title!r}: "
            f"retention of {training.retention_days} days ended {plan.due:%Y-%m-%d}"
        )
        for live, counts in plan.sessions:
            click.echo(f"  session {live.id} {live.title or live.code!r}: {_counts(counts)}")
        if plan.registrations:
            click.echo(f"  registrations: {plan.registrations}")
        totals["sessions"] += len(plan.sessions)
        totals["registrations"] += plan.registrations
        if dry_run:
            continue
        try:
            retention.purge_training(training)
            db.session.commit()
        except Exception as exc:  # noqa: BLE001 - report it, go on with the next training
            db.session.rollback()
            failed.append(training.id)
            click.echo(f"  failed, nothing of this training was deleted: {exc}", err=True)
    summary = (
        f"{len(due)} training(s), {totals['sessions']} session(s), "
        f"{totals['registrations']} registration(s)"
    )
    if dry_run:
        click.echo(f"Dry run: would purge {summary}. Nothing was deleted.")
    elif failed:
        raise click.ClickException(f"Purge failed for training(s) {failed}; the others are done.")
    else:
        click.echo(f"Purged {summary}.")


def _counts(counts: dict) -> str:
    shown = [f"{n} {table.replace('_', ' ')}" for table, n in counts.items() if n]
    return ", ".join(shown) or "no raw rows"
