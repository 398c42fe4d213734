"""The follow-up page: the organisers' page per session and the public page
/f/<followup_id> that participants open after the training."""

import io

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..extensions import db
from ..htmx import fragment, wants_fragment
from ..live.links import public_url, qr_svg
from ..trainings.access import can_edit, editable_or_403, session_or_404, training_or_404
from . import bp, services
from .broadcasts import push_followup
from .services import FollowupError

# --- shown on the live pages ------------------------------------------------------


@bp.app_template_global()
def followup_link(live) -> str | None:
    """The phone's link to the published follow-up page, or None."""
    if live is None or not live.followup_id or live.followup_published_at is None:
        return None
    return url_for("followup.public_followup", followup_id=live.followup_id)


@bp.app_template_global()
def followup_qr(live, step=None) -> dict | None:
    """The follow-up address and QR code for the projector: in the lobby, at
    the last agenda step and when the session has closed, once published."""
    if followup_link(live) is None:
        return None
    if step is not None and not services.is_last_step(live, step):
        return None
    url = public_url("followup.public_followup", followup_id=live.followup_id)
    return {"url": url, "short": url.split("://", 1)[-1], "qr": qr_svg(url)}


@bp.app_template_filter("filesize")
def filesize_filter(size: int) -> str:
    """1,2 MB or 35 kB, in the reader's number format."""
    if size >= 100 * 1024:
        return f"{format_decimal(size / (1024 * 1024), '#,##0.0')} MB"
    return f"{format_decimal(max(size / 1024, 1), '#,##0')} kB"


@bp.app_template_filter("markdown")
def markdown_filter(text: str):
    """Organisers' Markdown (answers, intro) as sanitised HTML."""
    return services.render_markdown(text)


# --- the organisers' page ------------------------------------------------------------


BASE = "/trainings/<int:training_id>/sessions/<int:session_id>/followup"


def editable_session(training_id: int, session_id: int):
    """For changes: the training (owners and co-organisers only) and its session."""
    training = editable_or_403(training_id)
    return training, session_or_404(training, session_id)


def _url(live, anchor: str = "") -> str:
    url = url_for("followup.manage_followup", training_id=live.training_id, session_id=live.id)
    return f"{url}#{anchor}" if anchor else url


def manage_page(training, live, status: int = 200, **state):
    questions = services.questions_of(live)
    answered, _open = services.answered_first(questions)
    return render_template(
        "followup/manage.html",
        training=training,
        live=live,
        when=services.session_date(live),
        editable=can_edit(training),
        questions=questions,
        answered_count=len(answered),
        materials=services.materials_of(live),
        allowed_types=services.allowed_extensions(),
        max_mb=services.megabytes(_max_bytes()),
        public=followup_qr(live),
        **state,
    ), status


def _max_bytes() -> int:
    return current_app.config["FOLLOWUP_MAX_BYTES"]


@bp.get(BASE)
@login_required
def manage_followup(training_id: int, session_id: int):
    """Organiser or trainer: the session's follow-up page (trainers only look)."""
    training = training_or_404(training_id)
    return manage_page(training, session_or_404(training, session_id))


@bp.get(BASE + "/preview")
@login_required
def manage_followup_preview(training_id: int, session_id: int):
    """Organiser or trainer: the public page as participants will see it, published or not."""
    training = training_or_404(training_id)
    return _public_page(session_or_404(training, session_id), preview=True)


@bp.post(BASE + "/settings")
@login_required
def manage_followup_settings(training_id: int, session_id: int):
    """Organiser: save the introduction and whether approved stories are shown."""
    training, live = editable_session(training_id, session_id)
    try:
        services.save_settings(
            live, request.form.get("intro", ""), request.form.get("show_stories") == "1"
        )
    except FollowupError as exc:
        db.session.rollback()
        return manage_page(
            training, live, 400, settings_error=str(exc), intro=request.form.get("intro")
        )
    db.session.commit()
    flash(_("Follow-up page saved."), "success")
    return redirect(_url(live, "intro"))


@bp.post(BASE + "/questions/<int:question_id>")
@login_required
def manage_followup_answer(training_id: int, session_id: int, question_id: int):
    """Organiser: save the answer to one question (htmx swaps just that question)."""
    training, live = editable_session(training_id, session_id)
    text = request.form.get("answer", "")
    try:
        question = services.save_answer(live, question_id, text)
    except FollowupError as exc:
        db.session.rollback()
        if wants_fragment():
            return fragment("core/_flash_error.html", status=400, message=str(exc))
        return manage_page(
            training, live, 400, answer_error=(question_id, str(exc)), answer_text=text
        )
    db.session.commit()
    if wants_fragment():
        item = services.FollowupQuestion(
            question.id,
            question.body,
            question.vote_count,
            question.followup_answer,
            question.followup_answered_at,
        )
        return fragment(
            "followup/_manage_question.html", training=training, live=live, q=item,
            editable=True, saved=True,
        )  # fmt: skip
    flash(_("Answer saved."), "success")
    return redirect(_url(live, f"question-{question_id}"))


@bp.post(BASE + "/<any(publish, unpublish):action>")
@login_required
def manage_followup_publish(training_id: int, session_id: int, action: str):
    """Organiser: publish the page (projector and phones get the link at once),
    or hide it again (its address is kept for a later publish)."""
    _training, live = editable_session(training_id, session_id)
    if action == "publish":
        services.publish(live)
        message = _("The follow-up page is published.")
    else:
        services.unpublish(live)
        message = _("The follow-up page is hidden. Its address stays the same.")
    db.session.commit()
    push_followup(live)
    flash(message, "success")
    return redirect(_url(live))


@bp.post(BASE + "/materials")
@login_required
def manage_material_upload(training_id: int, session_id: int):
    """Organiser: add a file (slides, handout) to the follow-up page."""
    training, live = editable_session(training_id, session_id)
    upload = request.files.get("file")
    try:
        if upload is None:
            raise FollowupError(_("Choose a file to upload."))
        # One byte over the limit is enough to know it is too large.
        data = upload.stream.read(_max_bytes() + 1)
        material = services.add_material(
            live, upload.filename or "", data, request.form.get("title", "")
        )
    except FollowupError as exc:
        db.session.rollback()
        return manage_page(training, live, 400, material_error=str(exc))
    db.session.commit()
    flash(_("File added: %(name)s", name=material.filename), "success")
    return redirect(_url(live, "materials"))


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(exc):
    """A request over MAX_CONTENT_LENGTH: on the upload form, the organisers'
    page with the reason; elsewhere the translated error page."""
    message = _("The file is too large: at most %(mb)s MB.", mb=services.megabytes(_max_bytes()))
    if request.endpoint == "followup.manage_material_upload" and request.view_args:
        try:
            training, live = editable_session(**request.view_args)
            return manage_page(training, live, 413, material_error=message)
        except HTTPException:
            pass
    return render_template(
        "core/error.html", title=_("The file is too large"), message=message, status=413
    ), 413


@bp.post(BASE + "/materials/<int:material_id>")
@login_required
def manage_material_rename(training_id: int, session_id: int, material_id: int):
    """Organiser: change the title a file is listed with."""
    training, live = editable_session(training_id, session_id)
    try:
        services.rename_material(live, material_id, request.form.get("title", ""))
    except FollowupError as exc:
        db.session.rollback()
        return manage_page(training, live, 400, material_error=str(exc))
    db.session.commit()
    flash(_("File title saved."), "success")
    return redirect(_url(live, "materials"))


@bp.post(BASE + "/materials/<int:material_id>/delete")
@login_required
def manage_material_delete(training_id: int, session_id: int, material_id: int):
    """Organiser: remove a file from the follow-up page."""
    training, live = editable_session(training_id, session_id)
    try:
        services.remove_material(live, material_id)
    except FollowupError as exc:
        return manage_page(training, live, 404, material_error=str(exc))
    db.session.commit()
    flash(_("File removed."), "success")
    return redirect(_url(live, "materials"))


# --- the public page --------------------------------------------------------------------


def _public_page(live, preview: bool = False):
    answered, unanswered = services.answered_first(services.questions_of(live))
    if live.raw_deleted_at is not None:
        # The questions can no longer be answered: "not answered yet" would be a promise.
        unanswered = []
    response = make_response(
        render_template(
            "followup/public.html",
            live=live,
            training=live.training,
            when=services.session_date(live),
            answered=answered,
            unanswered=unanswered,
            stories=services.stories_of(live),
            links=services.toolkit_links(live),
            materials=services.materials_of(live),
            preview=preview,
        )
    )
    # The address is the page's only key: do not hand it to the toolkit
    # sites in a Referer, and keep it out of search engines.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _published_or_404(followup_id: str):
    live = services.published_session(followup_id)
    if live is None:
        abort(404)
    return live


@bp.get("/f/<followup_id>")
def public_followup(followup_id: str):
    """Participant (no account): the follow-up page after the training."""
    return _public_page(_published_or_404(followup_id))


@bp.get("/f/<followup_id>/materials/<int:material_id>/<path:filename>")
def public_material(followup_id: str, material_id: int, filename: str):
    """Participant: download one of the follow-up page's files."""
    live = _published_or_404(followup_id)
    try:
        material = services.get_material(live, material_id)
    except FollowupError:
        abort(404)
    if filename != material.filename:
        abort(404)
    response = send_file(
        io.BytesIO(material.data),
        mimetype=material.content_type,
        as_attachment=True,
        download_name=material.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
