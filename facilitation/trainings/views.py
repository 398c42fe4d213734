"""Organiser: create a training and open or close its live sessions."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..htmx import refuse
from ..live import services as live_services
from ..realtime import disconnect_room, member_room, room
from . import bp
from .access import editable_or_403, session_or_404, training_or_404
from .models import TARGET_GROUPS, Training
from .services import (
    HELSINKI,
    TrainingError,
    add_partner,
    add_task,
    create_training,
    invite_member,
    late_tasks,
    remove_member,
    remove_partner,
    remove_task,
    role_of,
    seed_checklist,
    task_tree,
    today_in_helsinki,
    update_details,
    update_partner,
    update_task,
)


@bp.post("/")
@login_required
def manage_training_create():
    """Organiser: create a training from the home page."""
    from ..modules import services as module_services

    template = request.form.get("template", "")
    try:
        training = create_training(
            current_user, request.form.get("title", ""), language=str(get_locale())
        )
        if template:
            live = module_services.target_session(training)
            module_services.build_from_template(training, live, template, training.language)
    except (TrainingError, module_services.ModuleError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("core.home"))
    db.session.commit()
    if template:
        flash(
            _(
                "Training created with a complete agenda. Check the content, then choose "
                "toolkit sections for your audience in the module library."
            ),
            "success",
        )
    else:
        flash(_("Training created."), "success")
    return redirect(url_for("trainings.manage_training_show", training_id=training.id))


@bp.get("/<int:training_id>")
@login_required
def manage_training_show(training_id: int):
    """Organiser or trainer: a training with its live sessions."""
    return _show_page(training_or_404(training_id))


@bp.post("/<int:training_id>/sessions")
@login_required
def manage_session_open(training_id: int):
    """Trainer: open a new live session with a fresh join code."""
    training = training_or_404(training_id)
    session = live_services.open_session(training, request.form.get("title", ""))
    db.session.commit()
    flash(_("Session opened. Join code: %(code)s", code=session.code), "success")
    return redirect(url_for("trainings.manage_training_show", training_id=training.id))


@bp.post("/<int:training_id>/sessions/<int:session_id>/close")
@login_required
def manage_session_close(training_id: int, session_id: int):
    """Trainer: close a live session; its join code is freed and phones see the end."""
    training = training_or_404(training_id)
    session = session_or_404(training, session_id)
    live_services.close_session(session)
    db.session.commit()
    from ..live.broadcasts import push_session_closed

    push_session_closed(session)
    # Every socket leaves, phones included; the "ended" screen goes out first.
    disconnect_room(room(session.code), delay=current_app.config["LIVE_CLOSE_DELAY"])
    flash(_("Session closed."), "success")
    return redirect(url_for("trainings.manage_training_show", training_id=training.id))


# --- details, partners, organisers -------------------------------------------


def _show(training_id: int) -> str:
    return url_for("trainings.manage_training_show", training_id=training_id)


def form_values(training: Training) -> dict:
    """The edit form's fields from the stored training (times in Helsinki)."""
    starts = training.starts_at.astimezone(HELSINKI) if training.starts_at else None
    ends = training.ends_at.astimezone(HELSINKI) if training.ends_at else None
    known = [g for g in training.target_groups if g in TARGET_GROUPS]
    return {
        "title": training.title,
        "description": training.description,
        "target_groups": known,
        "other_groups": ", ".join(g for g in training.target_groups if g not in TARGET_GROUPS),
        "languages": training.languages,
        "date": starts.strftime("%Y-%m-%d") if starts else "",
        "start_time": starts.strftime("%H:%M") if starts else "",
        "end_time": ends.strftime("%H:%M") if ends else "",
        "venue_name": training.venue_name,
        "venue_address": training.venue_address,
        "venue_accessibility": training.venue_accessibility,
        "venue_booking": training.venue_booking,
        "venue_cost": format_decimal(training.venue_cost_cents / 100, "#,##0.00")
        if training.venue_cost_cents
        else "",
        "capacity": training.capacity or "",
        "status": training.status,
        "retention_days": training.retention_days,
    }


@bp.route("/<int:training_id>/edit", methods=["GET", "POST"])
@login_required
def manage_training_edit(training_id: int):
    """Organiser: edit the training's details (date, venue, target groups, status)."""
    training = editable_or_403(training_id)
    if request.method == "POST":
        try:
            update_details(training, request.form)
        except TrainingError as exc:
            db.session.rollback()
            # What was typed comes back with the reason; nothing was saved.
            values = {
                **request.form.to_dict(),
                "target_groups": request.form.getlist("target_groups"),
                "languages": request.form.getlist("languages"),
            }
            return render_template(
                "trainings/edit.html", training=training, values=values, error=str(exc)
            ), 400
        from ..registration import emails
        from ..registration import services as registration

        # A raised capacity gives places to the waiting list at once.
        promoted = registration.fill_from_waiting_list(training)
        db.session.commit()
        emails.send_promotions(promoted)
        flash(_("Training saved."), "success")
        return redirect(_show(training.id))
    return render_template("trainings/edit.html", training=training, values=form_values(training))


@bp.post("/<int:training_id>/partners")
@login_required
def manage_partner_add(training_id: int):
    """Organiser: add a partner organisation."""
    training = editable_or_403(training_id)
    try:
        add_partner(training, request.form)
    except TrainingError as exc:
        db.session.rollback()
        return _show_page(training, 400, partner_error=str(exc), partner_values=request.form)
    db.session.commit()
    flash(_("Partner added."), "success")
    return redirect(_show(training.id) + "#partners")


@bp.post("/<int:training_id>/partners/<int:partner_id>")
@login_required
def manage_partner_edit(training_id: int, partner_id: int):
    """Organiser: change a partner's details."""
    training = editable_or_403(training_id)
    try:
        update_partner(training, partner_id, request.form)
    except TrainingError as exc:
        db.session.rollback()
        return _show_page(
            training,
            400,
            partner_error=str(exc),
            edit_partner=partner_id,
            partner_values=request.form,
        )
    db.session.commit()
    flash(_("Partner saved."), "success")
    return redirect(_show(training.id) + "#partners")


@bp.post("/<int:training_id>/partners/<int:partner_id>/delete")
@login_required
def manage_partner_delete(training_id: int, partner_id: int):
    """Organiser: remove a partner."""
    training = editable_or_403(training_id)
    try:
        remove_partner(training, partner_id)
    except TrainingError as exc:
        return refuse(str(exc), 404, _show(training.id))
    db.session.commit()
    flash(_("Partner removed."), "success")
    return redirect(_show(training.id) + "#partners")


@bp.post("/<int:training_id>/members")
@login_required
def manage_member_invite(training_id: int):
    """Owner: add a co-organiser or trainer by the e-mail of their account."""
    training = training_or_404(training_id)
    if role_of(current_user, training) != "owner":
        abort(403)
    try:
        invite_member(training, request.form.get("email", ""), request.form.get("role", ""))
    except TrainingError as exc:
        db.session.rollback()
        return _show_page(training, 400, member_error=str(exc), member_values=request.form)
    db.session.commit()
    flash(_("Added to the training."), "success")
    return redirect(_show(training.id) + "#organisers")


@bp.post("/<int:training_id>/members/<int:member_id>/delete")
@login_required
def manage_member_remove(training_id: int, member_id: int):
    """Owner: remove someone from the training."""
    training = training_or_404(training_id)
    if role_of(current_user, training) != "owner":
        abort(403)
    try:
        user_id = remove_member(training, member_id)
    except TrainingError as exc:
        db.session.rollback()
        return refuse(str(exc), 400, _show(training.id))
    db.session.commit()
    # Their open projector and control pages lose the session at once.
    disconnect_room(member_room(training.id, user_id))
    flash(_("Removed from the training."), "success")
    return redirect(_show(training.id) + "#organisers")


def _show_page(training, status=200, **state):
    return render_template(
        "trainings/show.html",
        training=training,
        role=role_of(current_user, training),
        late=late_tasks(training),
        **state,
    ), status


@bp.get("/<int:training_id>/tasks")
@login_required
def manage_tasks(training_id: int):
    """Organiser: who does what, the guide's planning checklist and own tasks."""
    return _tasks_page(training_or_404(training_id))


def _tasks_page(training, status=200, **state):
    return render_template(
        "trainings/tasks.html",
        training=training,
        role=role_of(current_user, training),
        tree=task_tree(training),
        today=today_in_helsinki(),
        **state,
    ), status


def _tasks_url(training_id: int, anchor: str = "") -> str:
    url = url_for("trainings.manage_tasks", training_id=training_id)
    return f"{url}#{anchor}" if anchor else url


@bp.post("/<int:training_id>/tasks")
@login_required
def manage_task_add(training_id: int):
    """Organiser: add a task (or a sub-task of one of the planning tasks)."""
    training = editable_or_403(training_id)
    try:
        task = add_task(training, request.form)
    except TrainingError as exc:
        db.session.rollback()
        return _tasks_page(training, 400, error=str(exc), values=request.form)
    db.session.commit()
    flash(_("Task added."), "success")
    return redirect(_tasks_url(training.id, f"task-{task.id}"))


@bp.post("/<int:training_id>/tasks/<int:task_id>")
@login_required
def manage_task_edit(training_id: int, task_id: int):
    """Organiser: change a task's owner, due date or status."""
    training = editable_or_403(training_id)
    try:
        update_task(training, task_id, request.form)
    except TrainingError as exc:
        db.session.rollback()
        return _tasks_page(training, 400, error=str(exc), edit_task=task_id, values=request.form)
    db.session.commit()
    flash(_("Task saved."), "success")
    return redirect(_tasks_url(training.id, f"task-{task_id}"))


@bp.post("/<int:training_id>/tasks/<int:task_id>/delete")
@login_required
def manage_task_delete(training_id: int, task_id: int):
    """Organiser: remove a task and its sub-tasks."""
    training = editable_or_403(training_id)
    try:
        remove_task(training, task_id)
    except TrainingError as exc:
        return refuse(str(exc), 404, _tasks_url(training.id))
    db.session.commit()
    flash(_("Task removed."), "success")
    return redirect(_tasks_url(training.id))


@bp.post("/<int:training_id>/tasks/checklist")
@login_required
def manage_task_checklist(training_id: int):
    """Organiser: add the guide's planning checklist to a training that has no tasks."""
    training = editable_or_403(training_id)
    seed_checklist(training)
    db.session.commit()
    return redirect(_tasks_url(training.id))
