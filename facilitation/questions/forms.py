"""The ask form's client id: one per rendered form, so a re-sent post is stored once."""

import secrets


def new_client_id() -> str:
    return secrets.token_urlsafe(16)
