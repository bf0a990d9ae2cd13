"""Administration pages: decision letter templates (SPEC §6), for administrators only."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.admin.forms import ConfirmForm, LetterTemplateForm
from app.auth.access import roles_required
from app.services import letters

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
ACTIONS = ("preview", "save", "pdf")


@bp.before_request
@roles_required("admin")
def admins_only() -> None:
    """Every page of this blueprint, including ones added later, is for administrators."""
    return None


def _kind_or_404(kind: str) -> str:
    if kind not in letters.KINDS:
        abort(404)
    return kind


def _example_value(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 90 else text[:87] + "…"


def _render_edit(
    kind: str,
    form: LetterTemplateForm,
    preview: list[letters.TextBlock] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    state = next(item for item in letters.overview() if item.kind == kind)
    fields = [(name, _example_value(v)) for name, v in letters.sample_context(kind).items()]
    page = render_template(
        "admin/letter_edit.html",
        kind=kind,
        state=state,
        form=form,
        preview=preview,
        fields=fields,
    )
    return page, status


@bp.get("/")
@roles_required("admin")
def index() -> Response:
    return redirect(url_for("admin.letter_list"))


@bp.get("/letters/")
@roles_required("admin")
def letter_list() -> str:
    return render_template("admin/letters.html", templates=letters.overview())


@bp.route("/letters/<kind>", methods=["GET", "POST"])
@roles_required("admin")
def letter_edit(kind: str) -> tuple[str, int] | Response:
    _kind_or_404(kind)
    form = LetterTemplateForm()
    if not form.is_submitted():
        form.body.data = letters.current_source(kind)
        return _render_edit(kind, form)
    action = request.form.get("action", "preview")
    if action not in ACTIONS:
        abort(400)
    if not form.validate_on_submit():
        return _render_edit(kind, form, status=422)
    source = form.body.data.replace("\r\n", "\n")
    if action == "save":
        errors = letters.save_template(kind, source, current_user)
        if not errors:
            flash(_("The letter template has been saved. New letters use it."), "success")
            return redirect(url_for("admin.letter_edit", kind=kind))
    else:
        errors = letters.check_template(kind, source)
    if errors:
        form.body.errors = [*form.body.errors, *errors]
        return _render_edit(kind, form, status=422)
    context = letters.sample_context(kind)
    if action == "pdf":
        pdf = letters.render_pdf(kind, context, source=source)
        response = Response(pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'attachment; filename="voorbeeld-{kind}.pdf"'
        return response
    # The preview is the letter's text, escaped like any other text on the page: the letter
    # HTML itself is never put into the page (see text_blocks).
    preview = letters.text_blocks(letters.render_html(kind, context, source=source))
    return _render_edit(kind, form, preview=preview)


@bp.route("/letters/<kind>/restore", methods=["GET", "POST"])
@roles_required("admin")
def letter_restore(kind: str) -> str | Response:
    _kind_or_404(kind)
    state = next(item for item in letters.overview() if item.kind == kind)
    if not state.customised:
        flash(_("This letter already uses the default text."), "info")
        return redirect(url_for("admin.letter_edit", kind=kind))
    form = ConfirmForm()
    if form.validate_on_submit():
        letters.restore_default(kind, current_user)
        flash(_("The default text has been restored."), "success")
        return redirect(url_for("admin.letter_list"))
    return render_template("admin/letter_restore.html", kind=kind, state=state, form=form)
