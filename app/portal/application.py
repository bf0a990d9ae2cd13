"""Applying in steps: a new application, its steps, autosave, the check page and submitting.

The first step creates the draft; every later button press (next, previous, a step in the
progress list, save and continue later) saves what was typed before going on, and "next"
also shows what this step still lacks. The script autosave.js saves while typing.
"""

from __future__ import annotations

import secrets

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.extensions import db
from app.formatting import format_time
from app.models import Case, Regulation
from app.models.types import utcnow
from app.portal import steps
from app.portal.forms import WithdrawForm
from app.portal.routes import bp, own_draft, version_of
from app.services import drafts, storage, submission
from app.services.errors import ServiceError, StaleCase


def _open_regulation(code: str) -> Regulation:
    regulation = db.session.scalar(db.select(Regulation).where(Regulation.code == code))
    if regulation is None or not submission.is_accepting(regulation):
        abort(404)
    return regulation


def _may_apply(regulation: Regulation) -> bool:
    return bool(
        {"resident", "informal_group"} & set(regulation.applicant_kinds)
        or submission.memberships(current_user)
    )


@bp.route("/apply/<code>", methods=["GET", "POST"])
@login_required
def apply(code: str) -> str | Response:
    """The first step of a new application; its first save creates the draft."""
    regulation = _open_regulation(code)
    if not _may_apply(regulation):
        return render_template(
            "portal/organisations_only.html", regulation=regulation, locale=g.locale
        )
    page = steps.InitiativeStep(regulation, None)
    form = page.form
    if not form.submission_token.data:
        form.submission_token.data = secrets.token_urlsafe(24)
    if not form.is_submitted():
        return _render(page)
    page.check_form(_strict())
    try:
        draft = drafts.save_draft(
            current_user, regulation, page.fields(), token=form.submission_token.data
        )
    except ServiceError as exc:
        db.session.rollback()
        _clear(form)
        if exc.field:
            getattr(form, exc.field).errors = [exc.message]
        else:
            form.form_errors.append(exc.message)
        return _render(page)
    page.draft = draft
    return _go_on(page, draft)


@bp.post("/apply/<code>/autosave")
@login_required
def autosave_new(code: str) -> Response:
    """Autosave of the first step before the draft exists: creates it once per token."""
    regulation = _open_regulation(code)
    page = steps.InitiativeStep(regulation, None)
    page.check_form(strict=False)
    try:
        draft = drafts.save_draft(
            current_user, regulation, page.fields(), token=page.form.submission_token.data
        )
    except ServiceError as exc:
        db.session.rollback()
        return jsonify(saved=False, message=exc.message), 422
    return _saved(draft, "initiative")


@bp.get("/drafts/<int:case_id>")
@login_required
def draft(case_id: int) -> Response:
    """Continue a draft where it starts."""
    case = own_draft(case_id)
    if case.status != drafts.DRAFT:
        return redirect(url_for("portal.case_detail", case_id=case.id))
    return redirect(url_for("portal.draft_step", case_id=case.id, step="initiative"))


def _step_page(case: Case, step: str) -> steps.StepPage:
    if step not in steps.steps_for(case.regulation):
        abort(404)
    return steps.PAGES[step](case.regulation, case)


@bp.route("/drafts/<int:case_id>/<step>", methods=["GET", "POST"])
@login_required
def draft_step(case_id: int, step: str) -> str | Response:
    case = own_draft(case_id)
    if case.status != drafts.DRAFT:
        return redirect(url_for("portal.case_detail", case_id=case.id))
    page = _step_page(case, step)
    if not page.form.is_submitted():
        page.prefill(case)
        page.form.version.data = str(case.version)
        return _render(page)
    page.check_form(_strict())
    try:
        saved = drafts.save_draft(
            current_user,
            case.regulation,
            page.fields(),
            page.uploads(),
            case,
            version_of(page.form),
        )
    except ServiceError as exc:
        db.session.rollback()
        _clear(page.form)
        page.form.form_errors.append(exc.message)
        return _render(page)
    return _go_on(page, saved)


@bp.post("/drafts/<int:case_id>/<step>/autosave")
@login_required
def autosave(case_id: int, step: str) -> Response:
    """Save the typed text of a step while the person types (files are sent with the form)."""
    case = own_draft(case_id)
    if case.status != drafts.DRAFT:
        abort(404)
    page = _step_page(case, step)
    page.check_form(strict=False)
    try:
        saved = drafts.save_draft(
            current_user, case.regulation, page.fields(), (), case, version_of(page.form)
        )
    except StaleCase:
        db.session.rollback()
        message = _(
            "This draft was changed in another window. Reload the page to see the newest "
            "version; what you typed here since then is not saved."
        )
        return jsonify(saved=False, message=message), 409
    except ServiceError as exc:
        db.session.rollback()
        return jsonify(saved=False, message=exc.message), 422
    return _saved(saved, step)


def _saved(draft: Case, step: str) -> Response:
    return jsonify(
        saved=True,
        version=draft.version,
        message=_("Draft saved at %(time)s.", time=format_time(utcnow())),
        action=url_for("portal.draft_step", case_id=draft.id, step=step),
        autosave=url_for("portal.autosave", case_id=draft.id, step=step),
    )


def _strict() -> bool:
    """Only "next" checks the step fully; the other buttons save what parses and go on."""
    return request.form.get("go", "next") == "next"


def _clear(form: object) -> None:
    for field in form:  # type: ignore[attr-defined]
        field.errors = []
    form.form_errors = []  # type: ignore[attr-defined]


def _go_on(page: steps.StepPage, draft: Case) -> str | Response:
    """After saving: where the pressed button leads, or the step again with its errors."""
    order = steps.steps_for(draft.regulation)
    target = request.form.get("go", "next")
    page.show_errors(drafts.problems(current_user, draft) if target == "next" else [])
    if page.has_errors():
        page.form.version.data = str(draft.version)
        return _render(page)
    if target == "save":
        flash(_("Your draft has been saved. You can continue it later."), "success")
        return redirect(url_for("portal.my_cases"))
    position = order.index(page.key)
    if target == "previous" and position > 0:
        target = order[position - 1]
    elif target == "next":
        target = order[position + 1] if position + 1 < len(order) else "check"
    if target == "check" or target not in order:
        return redirect(url_for("portal.check_draft", case_id=draft.id))
    return redirect(url_for("portal.draft_step", case_id=draft.id, step=target))


def _render(page: steps.StepPage) -> str:
    order = steps.steps_for(page.regulation)
    draft = page.draft
    return render_template(
        f"portal/steps/{page.key}.html",
        page=page,
        form=page.form,
        regulation=page.regulation,
        draft=draft,
        steps=order,
        position=order.index(page.key),
        locale=g.locale,
        action=url_for("portal.draft_step", case_id=draft.id, step=page.key)
        if draft
        else url_for("portal.apply", code=page.regulation.code),
        autosave_url=url_for("portal.autosave", case_id=draft.id, step=page.key)
        if draft
        else url_for("portal.autosave_new", code=page.regulation.code),
        **page.context(),
    )


@bp.route("/drafts/<int:case_id>/documents/<int:document_id>/delete", methods=["GET", "POST"])
@login_required
def delete_draft_document(case_id: int, document_id: int) -> str | Response:
    """Delete an uploaded file of a draft, after a confirmation page."""
    case = own_draft(case_id)
    document = next((d for d in storage.documents_of(case) if d.id == document_id), None)
    if case.status != drafts.DRAFT or document is None:
        abort(404)
    step = steps.step_of(document.kind) or "documents"
    form = WithdrawForm()
    if form.validate_on_submit():
        drafts.delete_document(current_user, case, document.id)
        flash(_("The document has been deleted."), "success")
        return redirect(url_for("portal.draft_step", case_id=case.id, step=step))
    return render_template(
        "portal/delete_document.html", case=case, document=document, form=form, step=step
    )


@bp.route("/drafts/<int:case_id>/check", methods=["GET", "POST"])
@login_required
def check_draft(case_id: int) -> str | Response:
    """The summary to check before submitting; submitting twice creates one case."""
    case = own_draft(case_id)
    if case.status != drafts.DRAFT:
        return redirect(url_for("portal.receipt", case_id=case.id))
    form = WithdrawForm()
    if not form.is_submitted():
        form.version.data = str(case.version)
    if form.validate_on_submit():
        try:
            drafts.submit_draft(current_user, case, version_of(form))
        except StaleCase as exc:
            db.session.rollback()
            case = own_draft(case_id)
            if case.status != drafts.DRAFT:
                return redirect(url_for("portal.receipt", case_id=case.id))
            form.form_errors.append(exc.message)
            form.version.data = str(case.version)
        except ServiceError as exc:
            db.session.rollback()
            case = own_draft(case_id)
            form.form_errors.append(exc.message)
        else:
            return redirect(url_for("portal.receipt", case_id=case.id))
    order = steps.steps_for(case.regulation)
    return render_template(
        "portal/check.html",
        case=case,
        form=form,
        problems=[(steps.step_of(p.field), p) for p in drafts.problems(current_user, case)],
        case_documents=storage.documents_of(case),
        steps=order,
        position=len(order),
        locale=g.locale,
    )
