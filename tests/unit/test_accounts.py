"""Accounts: hashing, authentication, password rules."""

import pytest

from facilitation.accounts import services
from facilitation.extensions import db
from tests.conftest import PASSWORD


def test_passwords_are_stored_hashed(trainer):
    assert PASSWORD not in trainer.password_hash
    assert trainer.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_authenticate_is_case_insensitive_on_email(trainer):
    assert services.authenticate("Kouluttaja@Example.FI", PASSWORD) == trainer
    assert services.authenticate("kouluttaja@example.fi", "wrong password") is None
    assert services.authenticate("nobody@example.fi", PASSWORD) is None


def test_duplicate_email_and_short_password_are_refused(trainer):
    with pytest.raises(services.AccountError):
        services.create_user("KOULUTTAJA@example.fi", "Toinen", PASSWORD)
    with pytest.raises(services.AccountError):
        services.create_user("uusi@example.fi", "Uusi", "short")
    with pytest.raises(services.AccountError):
        services.create_user("not-an-email", "Uusi", PASSWORD)


def test_change_password_needs_the_current_one(trainer):
    with pytest.raises(services.AccountError):
        services.change_password(trainer, "wrong", "a new long password")
    services.change_password(trainer, PASSWORD, "a new long password")
    db.session.commit()
    assert services.authenticate(trainer.email, "a new long password") == trainer
