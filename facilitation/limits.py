"""Who a rate limit counts: the client's address, as a keyed hash.

The limiter keeps its counters in memory (or in Redis, which keeps nothing on
disk) for the length of a window only; neither the address nor its hash is
ever written to the database or a log.
"""

import hashlib
import hmac

from flask import current_app, request


def client_address() -> str:
    """The client's address. Behind PROXY_FIX hops, the one the nearest trusted
    proxy saw (X-Forwarded-For is read here only, never stored or logged)."""
    hops = int(current_app.config.get("PROXY_FIX") or 0)
    if hops:
        forwarded = [v.strip() for v in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [v for v in forwarded if v]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.remote_addr or "unknown"


def client_key() -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"client:{client_address()}".encode(), hashlib.sha256).hexdigest()[:32]
