"""The anonymous participant: a random cookie, stored only as a per-session hash.

The cookie is issued by the join page alone (under the join limit) and is
signed, so a made-up or copied-and-altered value is not a participant: votes
and answers count once per issued token, and a script cannot mint a new
voter for every vote.
"""

import hashlib
import hmac
import secrets

from flask import current_app, request

_TOKEN_BYTES = 18
_SIGNATURE_CHARS = 22


def _signature(nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"participant-token:{nonce}".encode(), hashlib.sha256).hexdigest()
    return digest[:_SIGNATURE_CHARS]


def new_token() -> str:
    nonce = secrets.token_urlsafe(_TOKEN_BYTES)
    return f"{nonce}.{_signature(nonce)}"


def valid_token(token: str | None) -> bool:
    if not token or len(token) > 128 or token.count(".") != 1:
        return False
    nonce, signature = token.split(".")
    return len(nonce) >= 16 and hmac.compare_digest(signature, _signature(nonce))


def token_from_request() -> str | None:
    """This browser's participant token, if the join page issued it."""
    token = request.cookies.get(current_app.config["PARTICIPANT_COOKIE"])
    return token if valid_token(token) else None


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


def my_votes(live, voter: str | None) -> dict:
    """Context for live/_my_votes.html: what this participant voted for."""
    from ..cases import services as case_services
    from ..questions import services as question_services

    if voter is None:
        return {"voted": set(), "voted_stories": set()}
    return {
        "voted": question_services.voted_ids(live, voter),
        "voted_stories": case_services.voted_ids(live, voter),
    }


class RequestVoter:
    """This request's participant: their per-session hash, or None when the
    browser holds no issued token. Only the join page passes ``issue=True``:
    it gives a browser without a token a new one (set by ``keep``)."""

    def __init__(self, live, issue: bool = False):
        token = token_from_request()
        self.new_token = new_token() if token is None and issue else None
        token = token or self.new_token
        self.hash = voter_hash(live, token) if token else None

    @classmethod
    def required(cls, live) -> "RequestVoter":
        """For a vote or an answer: this participant, or the request is refused
        (nothing counted) and the browser sent to the join page for a token."""
        voter = cls(live)
        if voter.hash is None:
            from flask import abort, url_for
            from flask_babel import gettext as _

            from ..htmx import refuse

            abort(
                refuse(
                    _("Open the join page again to vote and answer."),
                    403,
                    url_for("live.participant_page", code=live.code),
                )
            )
        return voter

    def keep(self, response):
        if self.new_token:
            ensure_cookie(response, self.new_token)
        return response
