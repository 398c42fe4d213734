"""Registration: the public form and cancellation, the organisers'
invitations page, registration list and exports."""

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..htmx import refuse
from ..live.links import qr_svg
from ..trainings.access import (
    can_edit,
    editable_or_403,
    is_organiser,
    organiser_or_403,
    training_or_404,
)
from ..trainings.models import Training
from . import bp, emails, export, services
from .calendar import training_calendar


@bp.app_template_global()
def registration_counts(training: Training) -> dict[str, int]:
    """For the training page's card (members only)."""
    return services.counts(training)


def _private(response: Response) -> Response:
    """Pages whose address holds a cancellation token: no Referer to other
    sites, no shared caches."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the public form ----------------------------------------------------------


def _public_training(public_id: str) -> Training:
    training = services.by_public_id(public_id)
    if training is None:
        abort(404)
    return training


def _public_page(training: Training, status: int = 200, **state):
    locale = str(get_locale())
    state_name = services.registration_state(training)
    return render_template(
        "registration/public.html",
        training=training,
        state=state_name,
        closed_message=services.closed_message(state_name),
        places_left=services.places_left(training),
        sectors=services.sector_choices(training),
        consent_text=services.consent_text(training, locale),
        when=services.when_text(training),
        values=state.pop("values", None) or MultiDict(),
        errors=state.pop("errors", None) or {},
        **state,
    ), status


@bp.get("/r/<public_id>")
def public_register_page(public_id: str):
    """Visitor: the training's details and the registration form (no account)."""
    return _public_page(_public_training(public_id))


@bp.post("/r/<public_id>")
def public_register(public_id: str):
    """Visitor: send the registration form; works without JavaScript."""
    training = _public_training(public_id)
    try:
        registration = services.register(training, request.form, language=str(get_locale()))
    except services.RegistrationClosed as exc:
        db.session.rollback()
        return _public_page(training, 409, error=str(exc))
    except services.RegistrationError as exc:
        db.session.rollback()
        return _public_page(training, 422, error=str(exc), errors=exc.errors, values=request.form)
    db.session.commit()
    result = emails.send_confirmation(registration)
    if result == emails.SENT:
        flash(_("A confirmation was sent to %(email)s.", email=registration.email), "success")
    elif result == emails.FAILED:
        flash(
            _(
                "Your registration is saved, but the confirmation e-mail could not be sent. "
                "Keep the cancellation link on this page."
            ),
            "error",
        )
    return redirect(
        url_for(".public_registered", public_id=training.public_id, token=registration.token)
    )


@bp.get("/r/<public_id>/registered/<token>")
def public_registered(public_id: str, token: str):
    """Visitor: the confirmation after registering, with the cancellation link."""
    training = _public_training(public_id)
    registration = services.by_token(token)
    if registration is None or registration.training_id != training.id:
        abort(404)
    response = make_response(
        render_template(
            "registration/registered.html",
            training=training,
            registration=registration,
            position=services.waiting_position(registration),
            when=services.when_text(training),
            cancel_url=emails.cancel_link(registration),
            mail_configured=emails.mail_configured(),
        )
    )
    return _private(response)


@bp.get("/r/<public_id>/calendar.ics")
def public_calendar(public_id: str):
    """Visitor: the training as a calendar file."""
    training = _public_training(public_id)
    ics = training_calendar(training, emails.registration_link(training))
    if ics is None:
        abort(404)
    return Response(
        ics,
        mimetype="text/calendar",
        headers={"Content-Disposition": "attachment; filename=training.ics"},
    )


def _registration_or_404(token: str):
    registration = services.by_token(token)
    if registration is None:
        abort(404)
    return registration


@bp.get("/r/cancel/<token>")
def public_cancel_page(token: str):
    """Visitor: the cancellation link from the confirmation; asks before cancelling."""
    registration = _registration_or_404(token)
    response = make_response(
        render_template(
            "registration/cancel.html",
            registration=registration,
            training=registration.training,
            when=services.when_text(registration.training),
        )
    )
    return _private(response)


@bp.post("/r/cancel/<token>")
def public_cancel(token: str):
    """Visitor: cancel the registration; the first on the waiting list moves up."""
    registration = _registration_or_404(token)
    promoted = services.cancel(registration)
    db.session.commit()
    emails.send_promotions(promoted)
    flash(_("Your registration is cancelled. Thank you for letting us know."), "success")
    return redirect(url_for(".public_cancel_page", token=token))


# --- organisers: invitations ----------------------------------------------------


def _invitations_page(training: Training, status: int = 200, **state):
    link = emails.registration_link(training)
    default_invitation = services.default_invitation_text(training, link)
    default_consent = services.default_consent_text(training, services.training_language(training))
    values = state.pop("values", None) or {
        "invitation_text": training.invitation_text or default_invitation,
        "consent_text": training.consent_text or default_consent,
        "registration_deadline": training.registration_deadline.isoformat()
        if training.registration_deadline
        else "",
    }
    return render_template(
        "registration/invitations.html",
        training=training,
        link=link,
        qr=qr_svg(link),
        state=services.registration_state(training),
        counts=services.counts(training),
        can_edit=can_edit(training),
        mail_configured=emails.mail_configured(),
        values=values,
        **state,
    ), status


def _invitations_url(training: Training, anchor: str = "") -> str:
    url = url_for(".manage_invitations", training_id=training.id)
    return f"{url}#{anchor}" if anchor else url


@bp.get("/trainings/<int:training_id>/invitations")
@login_required
def manage_invitations(training_id: int):
    """Organiser or trainer: the public link, QR code, texts, deadline, sending."""
    training = training_or_404(training_id)
    if services.ensure_public_id(training):
        db.session.commit()
    return _invitations_page(training)


@bp.post("/trainings/<int:training_id>/invitations")
@login_required
def manage_invitations_save(training_id: int):
    """Organiser: save the invitation text, consent text and deadline."""
    training = editable_or_403(training_id)
    services.ensure_public_id(training)
    link = emails.registration_link(training)
    try:
        services.save_settings(
            training,
            request.form,
            services.default_invitation_text(training, link),
            services.default_consent_text(training, services.training_language(training)),
        )
    except services.RegistrationError as exc:
        db.session.rollback()
        return _invitations_page(training, 422, settings_error=str(exc), values=request.form)
    db.session.commit()
    flash(_("Invitation settings saved."), "success")
    return redirect(_invitations_url(training, "settings"))


@bp.post("/trainings/<int:training_id>/invitations/<any(open, close):action>")
@login_required
def manage_registration_switch(training_id: int, action: str):
    """Organiser: open or close the public registration form."""
    training = editable_or_403(training_id)
    if action == "open":
        services.open_registration(training)
        message = _("Registration is open.")
    else:
        services.close_registration(training)
        message = _("Registration is closed.")
    db.session.commit()
    flash(message, "success")
    return redirect(_invitations_url(training))


@bp.post("/trainings/<int:training_id>/invitations/send")
@login_required
def manage_invitations_send(training_id: int):
    """Organiser: e-mail the invitation to a list of addresses (none are stored)."""
    training = editable_or_403(training_id)
    raw = request.form.get("addresses", "")

    def refused(message: str):
        return _invitations_page(training, 422, send_error=message, addresses=raw)

    if not emails.mail_configured():
        return refused(_("E-mail is not configured on this server, so nothing was sent."))
    if services.registration_state(training) != "open":
        return refused(
            _("Open the registration first: the link in the invitation would not work yet.")
        )
    try:
        addresses = services.parse_addresses(raw)
    except services.RegistrationError as exc:
        return refused(str(exc))
    sent, failed = emails.send_invitations(training, addresses, reply_to=current_user.email)
    if failed:
        return _invitations_page(
            training,
            503 if not sent else 200,
            send_error=_(
                "Sent %(sent)d. Could not send to: %(addresses)s",
                sent=sent,
                addresses=", ".join(failed),
            ),
            addresses="\n".join(failed),
        )
    flash(ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", sent), "success")
    return redirect(_invitations_url(training, "send"))


# --- organisers: the registration list ----------------------------------------


@bp.get("/trainings/<int:training_id>/registrations")
@login_required
def manage_registrations(training_id: int):
    """Organiser: who registered, the waiting list, sectors, diets, accessibility.
    Trainer: the same as numbers only; the personal data never reaches the page."""
    training = training_or_404(training_id)
    groups = services.registrations_of(training)
    if not is_organiser(training):
        return render_template(
            "registration/counts.html",
            training=training,
            counts=services.aggregates(groups),
        )
    return render_template(
        "registration/list.html",
        training=training,
        groups=groups,
        summary=services.summary(groups),
        can_edit=can_edit(training),
        mail_configured=emails.mail_configured(),
    )


@bp.post("/trainings/<int:training_id>/registrations/<int:registration_id>/cancel")
@login_required
def manage_registration_cancel(training_id: int, registration_id: int):
    """Organiser: cancel someone's registration; the waiting list moves up."""
    training = editable_or_403(training_id)
    back = url_for(".manage_registrations", training_id=training.id)
    try:
        registration = services.get_registration(training, registration_id)
    except services.RegistrationError as exc:
        return refuse(str(exc), 404, back)
    promoted = services.cancel(registration)
    db.session.commit()
    emails.send_promotions(promoted)
    message = _("Registration of %(name)s cancelled.", name=registration.name)
    if promoted:
        message += " " + ngettext(
            "%(num)d person moved up from the waiting list.",
            "%(num)d people moved up from the waiting list.",
            len(promoted),
        )
    flash(message, "success")
    return redirect(back)


def _download(data: bytes, content_type: str, name: str) -> Response:
    response = Response(data, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/trainings/<int:training_id>/registrations.csv")
@login_required
def manage_registrations_csv(training_id: int):
    """Organiser (not a trainer): the registrations as CSV for Excel."""
    training = organiser_or_403(training_id)
    data = export.to_csv(services.registrations_of(training))
    return _download(data, "text/csv; charset=utf-8", export.filename(training.title, "csv"))


@bp.get("/trainings/<int:training_id>/registrations.xlsx")
@login_required
def manage_registrations_xlsx(training_id: int):
    """Organiser (not a trainer): the registrations as an Excel workbook."""
    training = organiser_or_403(training_id)
    data = export.to_xlsx(services.registrations_of(training))
    return _download(
        data,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        export.filename(training.title, "xlsx"),
    )
