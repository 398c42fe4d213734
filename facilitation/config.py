"""Configuration defaults.

Order of precedence (later wins): these defaults, ``instance/config.py``,
``FACILITATION_*`` environment variables, then ``test_config`` passed to
``create_app``. Secrets never live here: the secret key is generated into
``instance/secret_key`` on first run.
"""

LANGUAGES = ("fi", "sv", "en")


class Defaults:
    # SQLALCHEMY_DATABASE_URI is filled in by create_app (SQLite in instance/)
    # unless DATABASE_URL is configured.
    DATABASE_URL = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = "fi"
    BABEL_DEFAULT_TIMEZONE = "Europe/Helsinki"
    LANGUAGES = LANGUAGES

    # Socket.IO: gevent in production; tests switch to threading.
    SOCKETIO_ASYNC_MODE = "gevent"
    # e.g. redis://127.0.0.1:6379/0 to fan out between several server processes
    SOCKETIO_MESSAGE_QUEUE = None
    # Pub/Sub channels are shared by every database of a Redis server: give
    # each deployment sharing one Redis its own channel.
    SOCKETIO_CHANNEL = "facilitation"
    # "Connected now" with a message queue: each process refreshes its count
    # in Redis this often (seconds); a count not refreshed for PRESENCE_EXPIRY
    # seconds (a dead process) is no longer added (live/presence.py).
    PRESENCE_INTERVAL = 5.0
    PRESENCE_EXPIRY = 15.0

    # Pushes after a change wait this long (seconds) and then go out once for
    # all changes in between. 0: push at once (tests).
    LIVE_PUSH_DELAY = 0.1
    # Closing a session disconnects every socket of it this many seconds
    # after the "session has ended" push, so the push arrives first (also
    # through the message queue). 0: at once (tests).
    LIVE_CLOSE_DELAY = 1.0

    # The base of every absolute link that leaves the server (join links, QR
    # codes, e-mails), e.g. "https://koulutus.example.fi". Links are built from
    # this setting only, never from a request's Host header. Empty: derived
    # from SERVER_NAME, else http://127.0.0.1:5000 (`python -m facilitation`
    # sets it from HOST and PORT).
    PUBLIC_URL = ""

    # Host names this server answers to; any other Host header gets 400.
    # None: the PUBLIC_URL's host plus localhost, 127.0.0.1 and ::1.
    # A leading dot admits subdomains (".example.fi").
    TRUSTED_HOSTS = None

    # Redis for the rate limits (and, with SOCKETIO_MESSAGE_QUEUE, the
    # fan-out). RATELIMIT_STORAGE_URI empty: REDIS_URL, else the message queue
    # when it is Redis, else memory (per process).
    REDIS_URL = None
    RATELIMIT_STORAGE_URI = None
    RATELIMIT_KEY_PREFIX = "facilitation-limits"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    # Participant tokens handed out by the join page to browsers without one,
    # per client address. A room behind one venue NAT shares an address: 300
    # phones may join at once, and a script minting voters gets 30 a minute.
    PARTICIPANT_JOIN_LIMIT = "300 per 10 minutes"

    # Behind a reverse proxy that sets X-Forwarded-Proto/Host: 1 trusts one hop
    # (https links, secure cookies). X-Forwarded-For is never read: no
    # participant IP address is needed anywhere.
    PROXY_FIX = 0

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Participant cookie: a random token, never stored; only a per-session
    # hash of it is kept with votes.
    PARTICIPANT_COOKIE = "participant"
    PARTICIPANT_COOKIE_MAX_AGE = 60 * 60 * 24 * 7

    WTF_CSRF_TIME_LIMIT = None  # a training day is long; tokens live with the session

    QUESTION_MAX_LENGTH = 500

    # E-mail over SMTP (Flask-Mail): registration confirmations, waiting-list
    # promotions and invitations. No MAIL_SERVER: e-mail is off; people still
    # see their cancellation link on the confirmation page. Set these in
    # instance/config.py or as FACILITATION_MAIL_SERVER etc.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "koulutus@localhost"

    # Follow-up materials are stored in the database: one file at most this
    # large. A request may be a little larger (the form around the file);
    # anything bigger is refused with 413 before it is read. Raise both together.
    FOLLOWUP_MAX_BYTES = 10 * 1024 * 1024
    MAX_CONTENT_LENGTH = FOLLOWUP_MAX_BYTES + 1024 * 1024
