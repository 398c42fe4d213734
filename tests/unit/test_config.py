"""Configuration: precedence and the generated secret key."""

import stat

from facilitation import _instance_secret, create_app


def test_secret_key_is_generated_once_private_and_reused(tmp_path):
    path = tmp_path / "secret_key"
    first = _instance_secret(path)
    assert len(first) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _instance_secret(path) == first
    assert list(tmp_path.iterdir()) == [path]  # no temporary files left behind


def test_environment_overrides_defaults_and_numbers_stay_strings(monkeypatch, tmp_path):
    monkeypatch.setenv("FACILITATION_SECRET_KEY", "12345")
    monkeypatch.setenv("FACILITATION_DATABASE_URL", "postgres://someone@db.example/koulutus")
    monkeypatch.setenv("FACILITATION_QUESTION_MAX_LENGTH", "280")
    app = create_app({"SOCKETIO_ASYNC_MODE": "threading"})
    assert app.config["SECRET_KEY"] == "12345"
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/koulutus"
    )
    assert app.config["QUESTION_MAX_LENGTH"] == 280
