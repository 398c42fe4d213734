"""The training as an iCalendar event (attachment and download).

Times are written in Europe/Helsinki with the VTIMEZONE included, so a
calendar shows the right hour on both sides of a daylight-saving change.
"""

from datetime import date
from urllib.parse import urlsplit

from flask_babel import gettext as _
from icalendar import Calendar, Event

from ..dbtypes import utcnow
from ..trainings.models import Training
from ..trainings.services import HELSINKI

PRODID = "-//Training facilitation//Registration//EN"


def training_calendar(training: Training, url: str, status: str = "CONFIRMED") -> bytes | None:
    """One VEVENT for the training (None while it has no date).

    The UID is the same for everyone and every download, so a second import
    updates the entry instead of adding another.
    """
    if training.starts_at is None:
        return None
    start = training.starts_at.astimezone(HELSINKI)
    host = urlsplit(url).hostname or "localhost"
    event = Event()
    event.add("uid", f"training-{training.public_id or training.id}@{host}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", start)
    if training.ends_at:
        event.add("dtend", training.ends_at.astimezone(HELSINKI))
    event.add("summary", training.title)
    location = ", ".join(p for p in (training.venue_name, training.venue_address) if p)
    if location:
        event.add("location", location)
    description = [training.description]
    if training.venue_accessibility:
        description.append(_("Accessibility") + ": " + training.venue_accessibility)
    description.append(url)
    event.add("description", "\n\n".join(part for part in description if part))
    event.add("url", url)
    event.add("status", status)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    # Transitions around the event only: the whole zone history is long.
    calendar.add_missing_timezones(
        first_date=date(start.year - 1, 1, 1), last_date=date(start.year + 2, 1, 1)
    )
    return calendar.to_ical()
