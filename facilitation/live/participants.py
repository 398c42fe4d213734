"""The anonymous participant: a random cookie, stored only as a per-session hash."""

import hashlib
import hmac
import secrets

from flask import current_app, request


def token_from_request() -> str | None:
    token = request.cookies.get(current_app.config["PARTICIPANT_COOKIE"])
    return token if token and 16 <= len(token) <= 128 else None


def new_token() -> str:
    return secrets.token_urlsafe(24)


def voter_hash(live, token: str) -> str:
    """Keyed hash of (session, token): same phone, same session -> same hash;
    nothing links it to a person or to the same phone in another session."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{live.id}:{token}".encode(), hashlib.sha256).hexdigest()


def ensure_cookie(response, token: str) -> None:
    response.set_cookie(
        current_app.config["PARTICIPANT_COOKIE"],
        token,
        max_age=current_app.config["PARTICIPANT_COOKIE_MAX_AGE"],
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def my_votes(live, voter: str) -> dict:
    """Context for live/_my_votes.html: what this participant voted for."""
    from ..cases import services as case_services
    from ..questions import services as question_services

    return {
        "voted": question_services.voted_ids(live, voter),
        "voted_stories": case_services.voted_ids(live, voter),
    }


class RequestVoter:
    """This request's participant: their per-session hash, and a new cookie
    to set when the browser had none (so the same phone can take a vote back)."""

    def __init__(self, live):
        token = token_from_request()
        self.new_token = None if token else new_token()
        self.hash = voter_hash(live, token or self.new_token)

    def keep(self, response):
        if self.new_token:
            ensure_cookie(response, self.new_token)
        return response
