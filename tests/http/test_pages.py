"""HTTP: pages and fragments, no-JavaScript posting, CSRF, access rules."""

from facilitation.extensions import db
from facilitation.questions.models import Question, QuestionVote
from tests.conftest import csrf_from, login, new_client_id

HX = {"HX-Request": "true"}


def post_question(client, live, body, client_id=None, headers=None):
    token = csrf_from(client, f"/j/{live.code}")
    return client.post(
        f"/j/{live.code}/ask",
        data={"body": body, "client_id": client_id or new_client_id(), "csrf_token": token},
        headers=headers or {},
    )


def test_home_has_a_join_form_and_language_switch(client):
    html = client.get("/", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert '<html lang="fi">' in html
    assert 'name="code"' in html
    assert "/lang/sv" in html and "/lang/en" in html


def test_join_by_typed_code(client, live):
    token = csrf_from(client)
    response = client.post("/join", data={"code": live.code.lower(), "csrf_token": token})
    assert response.status_code == 302 and response.location.endswith(f"/j/{live.code}")
    response = client.post(
        "/join", data={"code": "QQQQQQ", "csrf_token": token}, headers={"Accept-Language": "fi"}
    )
    assert response.status_code == 404
    assert "Tarkista" in response.get_data(as_text=True)


def test_phone_page_works_without_an_account_and_sets_only_a_random_cookie(client, live):
    response = client.get(f"/j/{live.code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert live.training.title in html and 'name="body"' in html and 'maxlength="500"' in html
    cookie = client.get_cookie("participant", domain="training.test")
    assert cookie is not None and len(cookie.value) >= 16
    assert cookie.http_only


def test_unknown_or_closed_session_is_404(client, live):
    from facilitation.live.services import close_session

    assert client.get("/j/ABCDEF").status_code == 404
    close_session(live)
    db.session.commit()
    assert client.get(f"/j/{live.code}").status_code == 404


def test_no_javascript_post_redirects_and_stores(client, live):
    response = post_question(client, live, "Kuka maksaa tulkkauksen?")
    assert response.status_code == 302 and response.location.endswith(f"/j/{live.code}")
    page = client.get(response.location).get_data(as_text=True)
    assert "Kuka maksaa tulkkauksen?" in page
    assert db.session.query(Question).one().body == "Kuka maksaa tulkkauksen?"


def test_htmx_post_gets_the_form_fragment_and_vary(client, live):
    response = post_question(client, live, "Fragmentti?", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<form id="ask-form"')
    assert "HX-Request" in response.headers["Vary"]
    assert 'name="body"' in html


def test_bad_post_keeps_the_text_and_says_why(client, live):
    long_text = "Pitkä kysymys " * 40
    response = post_question(client, live, long_text, headers={"Accept-Language": "fi"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<html" in html and long_text.strip() in html
    assert "liian pitkä" in html
    response = post_question(client, live, "   ", headers={**HX, "Accept-Language": "sv"})
    assert response.status_code == 400 and "<html" not in response.get_data(as_text=True)
    assert db.session.query(Question).count() == 0


def test_a_resent_form_is_stored_once(client, live):
    client_id = new_client_id()
    post_question(client, live, "Kahdesti", client_id)
    post_question(client, live, "Kahdesti", client_id)
    assert db.session.query(Question).count() == 1


def test_posts_without_csrf_token_are_refused_with_a_clear_message(client, live):
    client.get(f"/j/{live.code}")
    response = client.post(
        f"/j/{live.code}/ask",
        data={"body": "x", "client_id": new_client_id()},
        headers={"Accept-Language": "fi"},
    )
    assert response.status_code == 400
    assert "Mitään ei tallennettu" in response.get_data(as_text=True)
    response = client.post(
        f"/j/{live.code}/ask",
        data={"body": "x", "client_id": new_client_id()},
        headers={**HX, "Accept-Language": "sv"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "<html" not in html and 'id="live-error"' in html
    assert db.session.query(Question).count() == 0


def test_not_found_pages_speak_the_users_language_and_offer_the_join_form(client):
    response = client.get("/j/ABCDEF", headers={"Accept-Language": "sv-FI"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<html lang="sv">' in html and "anslutningskod" in html.lower()
    assert 'name="code"' in html


def test_htmx_requests_may_send_the_token_as_a_header(client, live):
    token = csrf_from(client, f"/j/{live.code}")
    response = client.post(
        f"/j/{live.code}/ask",
        data={"body": "Otsakkeella", "client_id": new_client_id()},
        headers={**HX, "X-CSRFToken": token},
    )
    assert response.status_code == 200


def test_vote_without_javascript_toggles(client, live):
    post_question(client, live, "Äänestettävä")
    question = db.session.query(Question).one()
    token = csrf_from(client, f"/j/{live.code}")
    url = f"/j/{live.code}/questions/{question.id}/vote"
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert db.session.query(QuestionVote).count() == 1
    html = client.get(f"/j/{live.code}").get_data(as_text=True)
    assert f"#question-{question.id} .vote-button" in html  # this phone's vote is marked
    response = client.post(url, data={"csrf_token": token}, headers=HX)
    fragment = response.get_data(as_text=True)
    assert 'id="my-votes" hx-swap-oob="outerHTML"' in fragment and "<html" not in fragment
    assert db.session.query(QuestionVote).count() == 0


def test_trainer_pages_need_sign_in(client, live):
    for path in (f"/p/{live.code}", f"/c/{live.code}"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login" in response.location


def test_trainer_of_another_training_sees_nothing(app, live, make_user):
    stranger = make_user("toinen@example.fi")
    client = app.test_client()
    login(client, stranger.email)
    assert client.get(f"/p/{live.code}").status_code == 404
    assert client.get(f"/c/{live.code}").status_code == 404
    assert client.get(f"/trainings/{live.training_id}").status_code == 404


def test_projector_shows_code_qr_and_join_url(trainer_client, live):
    html = trainer_client.get(f"/p/{live.code}").get_data(as_text=True)
    assert live.code in html
    assert "<svg" in html and "</svg>" in html  # the QR code, no JavaScript needed
    assert f"training.test/j/{live.code}" in html


def test_control_actions_by_htmx_return_fragments(trainer_client, client, live):
    post_question(client, live, "Moderoitava")
    question = db.session.query(Question).one()
    token = csrf_from(trainer_client, f"/c/{live.code}")
    response = trainer_client.post(
        f"/c/{live.code}/questions/{question.id}/hide", data={"csrf_token": token}, headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="question-list"' in html and 'id="pending-queue"' in html and "is-hidden" in html
    response = trainer_client.post(
        f"/c/{live.code}/questions/{question.id}/show", data={"csrf_token": token}
    )
    assert response.status_code == 302
    db.session.refresh(question)
    assert question.status == "visible"


def test_a_participant_cannot_post_trainer_actions(client, live):
    post_question(client, live, "Ei piiloteta")
    question = db.session.query(Question).one()
    token = csrf_from(client, f"/j/{live.code}")
    response = client.post(
        f"/c/{live.code}/questions/{question.id}/hide", data={"csrf_token": token}
    )
    assert response.status_code == 302 and "/accounts/login" in response.location
    db.session.refresh(question)
    assert question.status == "visible"


def test_moderation_setting(trainer_client, client, live):
    token = csrf_from(trainer_client, f"/c/{live.code}")
    response = trainer_client.post(
        f"/c/{live.code}/moderation", data={"mode": "approve", "csrf_token": token}, headers=HX
    )
    assert response.status_code == 200 and 'value="approve" checked' in response.get_data(
        as_text=True
    )
    response = trainer_client.post(
        f"/c/{live.code}/moderation", data={"mode": "never", "csrf_token": token}, headers=HX
    )
    assert response.status_code == 400
    db.session.refresh(live)
    assert live.moderation == "approve"
    post_question(client, live, "Odottaa")
    assert "Odottaa" not in client.get(f"/j/{live.code}").get_data(as_text=True)
    assert "Odottaa" in trainer_client.get(f"/c/{live.code}").get_data(as_text=True)


def test_language_switch_sets_a_cookie_and_only_redirects_locally(client):
    response = client.get("/lang/sv?next=/accounts/login")
    assert response.status_code == 302 and response.location == "/accounts/login"
    assert client.get_cookie("lang", domain="training.test").value == "sv"
    assert '<html lang="sv">' in client.get("/accounts/login").get_data(as_text=True)
    assert client.get("/lang/en?next=https://evil.example/").location == "/"
    assert client.get("/lang/en?next=//evil.example/").location == "/"


def test_login_logout_and_change_password(client, trainer):
    token = csrf_from(client, "/accounts/login")
    bad = client.post(
        "/accounts/login", data={"email": trainer.email, "password": "nope", "csrf_token": token}
    )
    assert bad.status_code == 400
    login(client)
    assert client.get("/accounts/password").status_code == 200
    token = csrf_from(client, "/accounts/password")
    response = client.post(
        "/accounts/password",
        data={
            "current": "wrong",
            "new": "uusi salasana 1",
            "confirm": "uusi salasana 1",
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    response = client.post(
        "/accounts/password",
        data={
            "current": "correct horse battery",
            "new": "uusi salasana 1",
            "confirm": "uusi salasana 1",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert client.post("/accounts/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/accounts/password").status_code == 302
    login(client, password="uusi salasana 1")


def test_login_redirect_stays_on_this_site(client, trainer):
    token = csrf_from(client, "/accounts/login")
    response = client.post(
        "/accounts/login?next=https://evil.example/",
        data={"email": trainer.email, "password": "correct horse battery", "csrf_token": token},
    )
    assert response.location == "/"


def test_trainer_opens_and_closes_sessions(trainer_client, training):
    token = csrf_from(trainer_client, f"/trainings/{training.id}")
    response = trainer_client.post(
        f"/trainings/{training.id}/sessions", data={"title": "Iltapäivä", "csrf_token": token}
    )
    assert response.status_code == 302
    (live,) = training.sessions
    assert live.is_open and len(live.code) == 6
    response = trainer_client.post(
        f"/trainings/{training.id}/sessions/{live.id}/close", data={"csrf_token": token}
    )
    assert response.status_code == 302
    db.session.refresh(live)
    assert not live.is_open


def test_trainer_creates_a_training_and_empty_titles_are_refused(trainer_client):
    token = csrf_from(trainer_client, "/")
    response = trainer_client.post("/trainings/", data={"title": "  ", "csrf_token": token})
    assert response.status_code == 302 and response.location == "/"
    response = trainer_client.post("/trainings/", data={"title": "Tulkkaus", "csrf_token": token})
    assert response.status_code == 302 and "/trainings/" in response.location
    assert "Tulkkaus" in trainer_client.get("/").get_data(as_text=True)


def test_behind_a_proxy_cookies_are_secure_and_links_use_the_public_url(tmp_path):
    from flask_migrate import upgrade

    from facilitation import create_app
    from facilitation.accounts.services import create_user
    from facilitation.live.services import open_session
    from facilitation.trainings.services import create_training

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'proxy.sqlite'}",
            "SECRET_KEY": "x",
            "SOCKETIO_ASYNC_MODE": "threading",
            "PROXY_FIX": 1,
            "PUBLIC_URL": "https://koulutus.example.fi",
            "TRUSTED_HOSTS": ["koulutus.example.fi", "alias.example.fi", "localhost"],
        }
    )
    with app.app_context():
        upgrade()
        user = create_user("proxy@example.fi", "Proxy", "pitkä salasana")
        code = open_session(create_training(user, "Koulutus")).code
        db.session.commit()
    # The proxy forwards an alias the server also answers to.
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "alias.example.fi"}
    client = app.test_client()
    response = client.get(f"/j/{code}", headers=forwarded)
    assert response.status_code == 200
    assert "Secure" in response.headers["Set-Cookie"]
    token = csrf_from(client, "/accounts/login")
    client.post(
        "/accounts/login",
        data={"email": "proxy@example.fi", "password": "pitkä salasana", "csrf_token": token},
    )
    html = client.get(f"/p/{code}", headers=forwarded).get_data(as_text=True)
    assert f"koulutus.example.fi/j/{code}" in html  # shown without the scheme
    assert "alias.example.fi/j/" not in html
    # A forwarded host that is not trusted is refused, not linked to.
    evil = {**forwarded, "X-Forwarded-Host": "evil.example"}
    assert client.get(f"/p/{code}", headers=evil).status_code == 400
    with app.app_context():
        db.engine.dispose()


def test_stale_actions_get_a_message_not_a_crash(trainer_client, client, live):
    post_question(client, live, "Pian piilossa")
    question = db.session.query(Question).one()
    token = csrf_from(trainer_client, f"/c/{live.code}")
    hide = f"/c/{live.code}/questions/{question.id}/hide"
    trainer_client.post(hide, data={"csrf_token": token})
    # A phone that still shows the question votes for it.
    phone_token = csrf_from(client, f"/j/{live.code}")
    response = client.post(
        f"/j/{live.code}/questions/{question.id}/vote",
        data={"csrf_token": phone_token},
        headers={**HX, "Accept-Language": "fi"},
    )
    assert response.status_code == 404
    assert "Kysymystä ei ole enää olemassa" in response.get_data(as_text=True)
    # A second trainer device pins what the first one just hid.
    response = trainer_client.post(
        f"/c/{live.code}/questions/{question.id}/pin",
        data={"csrf_token": token},
        headers={**HX, "Accept-Language": "en"},
    )
    assert response.status_code == 400 and 'id="live-error"' in response.get_data(as_text=True)
    response = trainer_client.post(
        f"/c/{live.code}/questions/999999/hide",
        data={"csrf_token": token},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 302
    page = trainer_client.get(f"/c/{live.code}", headers={"Accept-Language": "en"})
    assert "That question no longer exists." in page.get_data(as_text=True)
