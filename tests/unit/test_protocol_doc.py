"""docs/protocol.md documents every Socket.IO event the server registers.

An event counts as documented when a heading of the doc's "Client → server
events" section names it in backticks (a heading may shorten the events of one area after the first:
"`agenda:start`, `next`" names agenda:next). A registered event missing from
the doc fails, and so does a documented event the server no longer has.
"""

import re
from pathlib import Path

from facilitation import create_app
from facilitation.extensions import socketio

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
BUILTIN = {"connect", "disconnect"}
EVENT = re.compile(r"^[a-z]+:[a-z_]+$")
VERB = re.compile(r"^[a-z_]+$")


def client_events_section(text: str) -> str:
    start = text.index("\n## 5. Client → server events")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def documented_events(text: str) -> set[str]:
    events = set()
    for heading in re.findall(r"^#{2,4} (.+)$", text, flags=re.MULTILINE):
        area = None
        for token in re.findall(r"`([^`]+)`", heading):
            token = token.rstrip("*")
            if EVENT.match(token):
                area = token.split(":")[0]
                events.add(token)
            elif area and VERB.match(token):
                events.add(f"{area}:{token}")
    return events


def registered_events() -> set[str]:
    # create_app imports every area's events module, which registers them.
    create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SOCKETIO_ASYNC_MODE": "threading",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    return set(socketio.server.handlers["/"]) - BUILTIN


def test_every_registered_event_is_documented_and_nothing_else():
    registered = registered_events()
    documented = documented_events(client_events_section(DOC.read_text(encoding="utf-8")))
    assert len(registered) > 20, "suspiciously few events registered"
    assert registered - documented == set(), "registered but not in docs/protocol.md"
    assert documented - registered == set(), "in docs/protocol.md but not registered"


def test_the_check_finds_a_missing_event():
    text = (
        "## 4. Server → client: `ui:swap`\n"
        "## 5. Client → server events\n### Agenda: `agenda:start`, `next`\n"
        "#### `questions:ask`\nsee `questions:vote` in the text\n## 6. Rules\n"
    )
    found = documented_events(client_events_section(text))
    assert found == {"agenda:start", "agenda:next", "questions:ask"}
