"""E-mail over SMTP: confirmations, waiting-list promotions and invitations.

Always sent after the commit: a mail server that is down must not lose a
registration. Failures are logged and reported to the caller, never raised.
Each registrant gets mail in the language they registered in.
"""

import logging
import smtplib

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mail import Message

from ..extensions import mail
from ..live.links import public_url
from . import services
from .calendar import training_calendar
from .models import Registration

log = logging.getLogger(__name__)

SENT, OFF, FAILED = "sent", "off", "failed"
# What a refused connection or an unreachable server raises besides SMTP errors.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def registration_link(training) -> str:
    return public_url("registration.public_register_page", public_id=training.public_id)


def cancel_link(registration: Registration) -> str:
    return public_url("registration.public_cancel_page", token=registration.token)


def _registrant_message(registration: Registration, template: str, subject: str) -> Message:
    """Rendered in the caller's force_locale(registration.language)."""
    training = registration.training
    link = registration_link(training)
    message = Message(
        subject,
        recipients=[registration.email],
        body=render_template(
            template,
            registration=registration,
            training=training,
            position=services.waiting_position(registration),
            when=services.when_text(training),
            where=services.where_text(training),
            cancel_url=cancel_link(registration),
            link=link,
        ),
    )
    status = "CONFIRMED" if registration.status == "confirmed" else "TENTATIVE"
    ics = training_calendar(training, link, status=status)
    if ics:
        # method=PUBLISH: calendars offer to add the event, not to answer it.
        message.attach(
            "training.ics", "text/calendar; charset=utf-8; method=PUBLISH", ics, "attachment"
        )
    return message


def _send(message: Message, what: str) -> str:
    try:
        mail.send(message)
    except SEND_ERRORS:
        log.exception("Could not send the %s e-mail", what)
        return FAILED
    return SENT


def send_confirmation(registration: Registration) -> str:
    """SENT, OFF (no mail server configured) or FAILED."""
    if not mail_configured():
        return OFF
    with force_locale(registration.language):
        title = registration.training.title
        if registration.status == "confirmed":
            subject = _("Registration confirmed: %(title)s", title=title)
        else:
            subject = _("On the waiting list: %(title)s", title=title)
        message = _registrant_message(registration, "registration/email/confirmation.txt", subject)
    return _send(message, "confirmation")


def send_promotions(registrations: list[Registration]) -> None:
    """Tell people who moved up from the waiting list that they have a place."""
    if not registrations or not mail_configured():
        return
    for registration in registrations:
        with force_locale(registration.language):
            subject = _("You have a place: %(title)s", title=registration.training.title)
            message = _registrant_message(registration, "registration/email/promotion.txt", subject)
        _send(message, "promotion")


def send_invitations(
    training, addresses: list[str], reply_to: str | None = None
) -> tuple[int, list[str]]:
    """One e-mail per address over one connection; (sent, failed addresses).

    A server that refuses one recipient does not stop the others; a lost
    connection fails the rest.
    """
    link = registration_link(training)
    with force_locale(services.training_language(training)):
        subject = _("Invitation: %(title)s", title=training.title)
        body = render_template(
            "registration/email/invitation.txt",
            text=services.invitation_text(training, link),
            link=link,
        )
    sent, failed = 0, []
    try:
        with mail.connect() as connection:
            for address in addresses:
                message = Message(subject, recipients=[address], body=body, reply_to=reply_to)
                try:
                    connection.send(message)
                except smtplib.SMTPRecipientsRefused:
                    failed.append(address)
                    continue
                sent += 1
    except SEND_ERRORS:
        log.exception("Could not send invitations")
        failed.extend(addresses[sent + len(failed) :])
    return sent, failed
