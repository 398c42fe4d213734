"""Organiser: the module library and building a training's agenda from it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import login_required

from ..agenda.broadcasts import push_agenda
from ..agenda.models import STEP_KINDS
from ..extensions import db
from ..trainings.access import can_edit, editable_or_403, training_or_404
from ..trainings.models import TARGET_GROUPS
from . import bp, library, services
from .models import MODULE_KINDS

BLANK_STEP_ROWS = 2


def _language(training) -> str:
    """The library's language: asked for, else the training's."""
    asked = request.values.get("lang", "")
    return asked if asked in services.LANGUAGES else training.language or str(get_locale())


def _library_url(training, language=None, anchor: str = "") -> str:
    return url_for(
        "modules.manage_library",
        training_id=training.id,
        lang=language or training.language,
        _anchor=anchor or None,
    )


def _open_sessions(training):
    return [live for live in training.sessions if live.is_open]


def _library_page(training, status=200, **state):
    language = _language(training)
    counts, source = services.audience(training)
    return (
        render_template(
            "modules/library.html",
            training=training,
            language=language,
            modules=services.library_for(training, language),
            templates=library.templates(language),
            suggested=services.suggested_toolkits(training, language),
            audience=counts,
            audience_source=source,
            sessions=_open_sessions(training),
            can_edit=can_edit(training),
            **state,
        ),
        status,
    )


@bp.get("/trainings/<int:training_id>/modules")
@login_required
def manage_library(training_id: int):
    """Organiser or trainer: the module library for this training's audience."""
    return _library_page(training_or_404(training_id))


def _after_build(live, message: str):
    """As after an edit in the agenda editor: commit, push, and show the agenda."""
    db.session.commit()
    push_agenda(live)
    flash(message, "success")
    return redirect(url_for("agenda.manage_agenda", code=live.code))


@bp.post("/trainings/<int:training_id>/modules/build")
@login_required
def manage_agenda_build(training_id: int):
    """Organiser or trainer: a complete agenda from a template in one click."""
    training = training_or_404(training_id)
    language = _language(training)
    toolkits = request.form.getlist("toolkit") if request.form.get("choose_toolkits") else None
    try:
        live = services.target_session(training, request.form.get("session"))
        steps = services.build_from_template(
            training,
            live,
            request.form.get("template", ""),
            language,
            toolkit_keys=toolkits,
            replace=bool(request.form.get("replace")),
        )
    except services.ModuleError as exc:
        db.session.rollback()
        return _library_page(training, 422, build_error=str(exc), build_values=request.form)
    return _after_build(
        live,
        ngettext(
            "The agenda was built: %(num)d step.",
            "The agenda was built: %(num)d steps.",
            len(steps),
        ),
    )


@bp.post("/trainings/<int:training_id>/modules/add")
@login_required
def manage_module_add_to_agenda(training_id: int):
    """Organiser or trainer: append one module's steps to a session's agenda."""
    training = training_or_404(training_id)
    language = _language(training)
    key = request.form.get("module", "")
    try:
        view = services.resolve(training, key, language)
        live = services.target_session(training, request.form.get("session"))
        steps = services.add_module(live, view)
    except services.ModuleError as exc:
        db.session.rollback()
        return _library_page(training, 422, module_error=str(exc), error_key=key)
    return _after_build(
        live,
        ngettext(
            "%(num)d step added to the agenda.", "%(num)d steps added to the agenda.", len(steps)
        ),
    )


@bp.post("/trainings/<int:training_id>/modules/copy")
@login_required
def manage_module_copy(training_id: int):
    """Organiser: an editable copy of a shipped module."""
    training = editable_or_403(training_id)
    language = _language(training)
    try:
        module = services.copy_shipped(training, request.form.get("slug", ""), language)
    except services.ModuleError as exc:
        db.session.rollback()
        return _library_page(training, 422, module_error=str(exc))
    db.session.commit()
    flash(_("Your own copy was made: edit it freely."), "success")
    return redirect(
        url_for("modules.manage_module_edit", training_id=training.id, module_id=module.id)
    )


# --- own modules -----------------------------------------------------------


def _form_steps() -> list[dict]:
    """The step rows of the module form: step-<n>-<field>."""
    rows = {}
    for name, value in request.form.items():
        if not name.startswith("step-"):
            continue
        _prefix, index, field = name.split("-", 2)
        if index.isdigit():
            rows.setdefault(int(index), {})[field] = value
    return [rows[index] for index in sorted(rows)]


def _module_page(training, module=None, status=200, **state):
    values = state.pop("values", None)
    steps = state.pop("steps", None)
    if values is None:
        values = _module_values(module) if module else {"language": _language(training)}
    if steps is None:
        steps = list(module.steps) if module else []
    return (
        render_template(
            "modules/edit.html",
            training=training,
            module=module,
            values=values,
            steps=steps + [{} for _ in range(BLANK_STEP_ROWS)],
            step_kinds=[kind for kind in STEP_KINDS],
            module_kinds=MODULE_KINDS,
            target_groups=TARGET_GROUPS,
            languages=services.LANGUAGES,
            **state,
        ),
        status,
    )


def _module_values(module) -> dict:
    return {
        "title": module.title,
        "language": module.language,
        "kind": module.kind,
        "summary": module.summary,
        "key_points": module.key_points,
        "links": module.links,
        "minutes": module.minutes,
        "as_of": module.as_of.isoformat() if module.as_of else "",
        "target_groups": list(module.target_groups or ()),
    }


def _posted_values() -> dict:
    values = {key: request.form.get(key, "") for key in request.form if not key.startswith("step-")}
    values["target_groups"] = request.form.getlist("target_groups")
    return values


def _save(training, module=None):
    """Create (no ``module``) or update a module from the posted form."""
    try:
        if module is None:
            module = services.create_module(training, request.form, _form_steps())
        else:
            services.update_module(training, module.id, request.form, _form_steps())
    except services.ModuleError as exc:
        db.session.rollback()
        return _module_page(
            training, module, 422, error=str(exc), values=_posted_values(), steps=_form_steps()
        )
    db.session.commit()
    flash(_("Module saved."), "success")
    return redirect(_library_url(training, module.language, f"module-own-{module.id}"))


@bp.route("/trainings/<int:training_id>/modules/new", methods=["GET", "POST"])
@login_required
def manage_module_new(training_id: int):
    """Organiser: write a module of one's own."""
    training = editable_or_403(training_id)
    return _module_page(training) if request.method == "GET" else _save(training)


@bp.route("/trainings/<int:training_id>/modules/<int:module_id>/edit", methods=["GET", "POST"])
@login_required
def manage_module_edit(training_id: int, module_id: int):
    """Organiser: edit an own module or an own copy of a shipped one."""
    training = editable_or_403(training_id)
    try:
        module = services.get_own(training, module_id)
    except services.ModuleError:
        return _library_page(training, 404, module_error=_("That module no longer exists."))
    return _module_page(training, module) if request.method == "GET" else _save(training, module)


@bp.post("/trainings/<int:training_id>/modules/<int:module_id>/delete")
@login_required
def manage_module_delete(training_id: int, module_id: int):
    """Organiser: remove an own module (agendas built from it keep their steps)."""
    training = editable_or_403(training_id)
    try:
        services.delete_module(training, module_id)
    except services.ModuleError as exc:
        return _library_page(training, 404, module_error=str(exc))
    db.session.commit()
    flash(_("Module removed."), "success")
    return redirect(_library_url(training, _language(training)))
