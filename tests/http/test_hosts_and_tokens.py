"""Links from configuration only, unknown hosts refused, and participant
tokens that only the join page issues (under the join limit)."""

import pytest

from facilitation.extensions import db
from facilitation.live.participants import new_token, valid_token
from facilitation.questions.models import Question, QuestionVote
from facilitation.questions.services import ask
from tests.conftest import csrf_from

HX = {"HX-Request": "true"}
EVIL = "evil.example"


def _question(live) -> Question:
    question = ask(live, "Saako tähän äänestää?", "client-id-0001").question
    db.session.commit()
    return question


# --- the Host header ------------------------------------------------------------


def test_an_unknown_host_is_refused_with_a_message_in_the_users_language(client, live):
    response = client.get(f"/j/{live.code}", headers={"Host": EVIL, "Accept-Language": "fi"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Tämä palvelin ei vastaa tähän osoitteeseen" in html
    assert EVIL not in html
    response = client.get("/", headers={"Host": f"{EVIL}:5000", "Accept-Language": "sv"})
    assert response.status_code == 400
    assert "Servern svarar inte" in response.get_data(as_text=True)


def test_the_projector_link_and_an_e_mail_link_ignore_a_forged_host(app, trainer_client, live):
    from facilitation.live.links import join_url

    assert app.config["PUBLIC_URL"] == "http://training.test"
    html = trainer_client.get(f"/p/{live.code}").get_data(as_text=True)
    assert f"training.test/j/{live.code}" in html  # shown without the scheme
    assert trainer_client.get(f"/p/{live.code}", headers={"Host": EVIL}).status_code == 400
    # Even where a request with another (trusted) host is being served, a
    # link is built from the configuration.
    with app.test_request_context("/", base_url="http://localhost"):
        assert join_url(live) == f"http://training.test/j/{live.code}"


def test_a_socket_from_an_unknown_host_is_refused(app, live):
    from facilitation.extensions import socketio

    phone = socketio.test_client(
        app, auth={"code": live.code, "audience": "participant"}, headers={"Host": EVIL}
    )
    assert not phone.is_connected()
    phone = socketio.test_client(app, auth={"code": live.code, "audience": "participant"})
    assert phone.is_connected()
    phone.disconnect()


@pytest.mark.parametrize(
    ("config", "hosts", "public"),
    [
        ({"PUBLIC_URL": "https://koulutus.example.fi/"}, None, "https://koulutus.example.fi"),
        (
            {"PUBLIC_URL": "https://koulutus.example.fi", "TRUSTED_HOSTS": "a.example.fi, .b.fi"},
            ["a.example.fi", ".b.fi"],
            "https://koulutus.example.fi",
        ),
    ],
)
def test_trusted_hosts_follow_the_public_url_unless_listed(tmp_path, config, hosts, public):
    from facilitation import create_app

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.sqlite'}",
            "SECRET_KEY": "x",
            "SOCKETIO_ASYNC_MODE": "threading",
            **config,
        }
    )
    assert app.config["PUBLIC_URL"] == public
    expected = hosts or ["koulutus.example.fi", "localhost", "127.0.0.1", "::1"]
    assert app.config["TRUSTED_HOSTS"] == expected


def test_a_public_url_that_is_not_http_is_refused_at_start(tmp_path):
    from facilitation import create_app

    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "PUBLIC_URL": "javascript:alert(1)"})


# --- participant tokens ------------------------------------------------------


def test_tokens_are_signed_and_a_made_up_one_is_no_participant(app):
    token = new_token()
    assert valid_token(token)
    nonce, signature = token.split(".")
    for bad in (
        None,
        "",
        nonce,
        f"{nonce}.{'0' * len(signature)}",
        f"{nonce}x.{signature}",
        "a" * 200,
        f"{nonce}.{signature}.x",
    ):
        assert not valid_token(bad)


def test_the_join_page_issues_a_token_once(client, live):
    first = client.get(f"/j/{live.code}")
    assert "participant=" in first.headers.get("Set-Cookie", "")
    token = client.get_cookie("participant", domain="training.test").value
    assert valid_token(token)
    again = client.get(f"/j/{live.code}")
    assert "participant=" not in again.headers.get("Set-Cookie", "")


def test_an_http_vote_without_a_token_counts_nothing_and_says_why(app, live):
    question = _question(live)
    client = app.test_client()
    token = csrf_from(client, "/")  # a CSRF token, but no participant cookie
    url = f"/j/{live.code}/questions/{question.id}/vote"
    response = client.post(url, data={"csrf_token": token}, headers={**HX, "Accept-Language": "fi"})
    assert response.status_code == 403
    assert "Avaa liittymissivu uudelleen" in response.get_data(as_text=True)
    # A forged cookie is no better.
    client.set_cookie("participant", "x" * 40, domain="training.test")
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 302 and response.location.endswith(f"/j/{live.code}")
    assert db.session.query(QuestionVote).count() == 0
    # Through the join page the same browser votes.
    client.get(f"/j/{live.code}")
    token = csrf_from(client, f"/j/{live.code}")
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert db.session.query(QuestionVote).count() == 1


def test_a_socket_without_a_token_may_follow_but_not_vote(live, connect):
    question = _question(live)
    kiosk = connect(live.code, token=False)
    for event, payload in (
        ("questions:vote", {"question_id": question.id}),
        ("cases:vote", {"story_id": 1}),
        ("polls:answer", {"poll_id": 1, "choice": "0"}),
        ("assessments:answer", {"step_id": 1}),
        ("feedback:answer", {"step_id": 1, "rating": "5"}),
    ):
        ack = kiosk.emit(event, payload, callback=True)
        assert ack["ok"] is False and ack["error"] == "no_token", (event, ack)
    assert kiosk.emit("live:sync", {}, callback=True)["ok"] is True
    assert db.session.query(QuestionVote).count() == 0
    phone = connect(live.code)
    assert phone.emit("questions:vote", {"question_id": question.id}, callback=True)["ok"]
    assert db.session.query(QuestionVote).count() == 1


def test_forty_sockets_without_the_cookie_cast_no_vote(live, connect):
    """The rigging the issue found: 40 cookie-less sockets, 40 votes counted."""
    question = _question(live)
    for _ in range(40):
        connect(live.code, token=False).emit(
            "questions:vote", {"question_id": question.id}, callback=True
        )
    assert db.session.query(QuestionVote).count() == 0


@pytest.fixture
def app_config():
    return {"PARTICIPANT_JOIN_LIMIT": "5 per 10 minutes"}


def test_the_join_limit_bounds_new_tokens_per_client_not_reloads(app, live):
    tokens = set()
    for _ in range(5):
        fresh = app.test_client()  # a new cookie jar: a script minting voters
        assert fresh.get(f"/j/{live.code}").status_code == 200
        tokens.add(fresh.get_cookie("participant", domain="training.test").value)
    assert len(tokens) == 5
    refused = app.test_client().get(f"/j/{live.code}", headers={"Accept-Language": "fi"})
    assert refused.status_code == 429
    assert "participant=" not in refused.headers.get("Set-Cookie", "")
    assert "Odota hetki" in refused.get_data(as_text=True)
    assert "Retry-After" in refused.headers
    # Another address is counted apart (a second phone network).
    other = app.test_client().get(f"/j/{live.code}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200
    # A phone that has its token reloads as often as it likes.
    phone = app.test_client()
    phone.get(f"/j/{live.code}", environ_base={"REMOTE_ADDR": "10.0.0.10"})
    for _ in range(10):
        assert phone.get(f"/j/{live.code}").status_code == 200


def test_the_limiter_key_holds_no_address(app):
    from facilitation.limits import client_key

    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "192.0.2.33"}):
        key = client_key()
    assert "192.0.2.33" not in key and len(key) == 32


def test_behind_a_proxy_the_limiter_counts_the_forwarded_client(app):
    from facilitation.limits import client_address, client_key

    app.config["PROXY_FIX"] = 1
    seen = {}
    for forwarded in ("198.51.100.7", "203.0.113.9", "10.1.1.1, 198.51.100.7"):
        headers = {"X-Forwarded-For": forwarded}
        with app.test_request_context(
            "/", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}
        ):
            seen[forwarded] = (client_address(), client_key())
    # The nearest proxy's view (the last entry) is the client; the proxy's own
    # address is not what is counted.
    assert seen["198.51.100.7"][0] == "198.51.100.7"
    assert seen["10.1.1.1, 198.51.100.7"][0] == "198.51.100.7"
    assert seen["198.51.100.7"][1] == seen["10.1.1.1, 198.51.100.7"][1]
    assert seen["198.51.100.7"][1] != seen["203.0.113.9"][1]
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        assert client_address() == "127.0.0.1"  # no header: the direct peer
