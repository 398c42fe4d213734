"""Retention: when raw data goes (shown on the training page), and an
organiser deleting a session's raw data at once."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..dbtypes import utcnow
from ..extensions import db
from . import bp, services


@bp.app_template_global()
def retention_due(training) -> dict | None:
    """When ``flask purge`` deletes the training's raw data, and whether that
    day has come (None: no date, never automatically)."""
    when = services.purge_due(training)
    return {"date": when, "past": when <= utcnow()} if when else None


@bp.post("/trainings/<int:training_id>/sessions/<int:session_id>/raw-data/delete")
@login_required
def manage_raw_data_delete(training_id: int, session_id: int):
    """Organiser: delete a closed session's raw data now (confirmed by typing its code)."""
    from ..followup.views import editable_session, manage_page

    training, live = editable_session(training_id, session_id)
    try:
        record = services.delete_now(live, current_user, request.form.get("confirm", ""))
    except services.RetentionError as exc:
        db.session.rollback()
        return manage_page(training, live, 400, delete_error=str(exc))
    db.session.commit()
    flash(
        _(
            "The session's raw data was deleted (%(num)d posts and answers). "
            "The summary and the follow-up page are kept.",
            num=sum(v for k, v in record.counts.items() if not k.endswith("_votes")),
        ),
        "success",
    )
    return redirect(
        url_for("followup.manage_followup", training_id=training.id, session_id=live.id)
    )
