"""The applicant's pages: apply, receipt, my applications, one application."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.extensions import db
from app.forms import parse_money
from app.models import Area, Case, CaseEvent, Decision, Regulation
from app.portal.forms import (
    AnswerForm,
    ApplicationForm,
    ObjectionForm,
    WithdrawForm,
    application_form,
)
from app.services import (
    attachments,
    authz,
    drafts,
    intake,
    objections,
    submission,
    transitions,
    uploads,
)
from app.services.clock import local_today
from app.services.errors import InvalidInput, ServiceError, StaleCase
from workflows import terms

bp = Blueprint("portal", __name__, url_prefix="/portal", template_folder="templates")


def _neighbourhood_choices() -> dict[str, list[tuple[int, str]]]:
    areas = db.session.scalars(select(Area).order_by(Area.name)).all()
    return {area.name: [(n.id, n.name) for n in area.neighbourhoods] for area in areas}


def _open_regulation(code: str) -> Regulation:
    regulation = db.session.scalar(select(Regulation).where(Regulation.code == code))
    if regulation is None or not regulation.is_open:
        abort(404)
    return regulation


def _organisation_choices(regulation: Regulation) -> list[tuple[int, str]]:
    organisations = [
        (m.organisation_id, m.organisation.name) for m in submission.memberships(current_user)
    ]
    if not organisations:
        return []
    if {"resident", "informal_group"} & set(regulation.applicant_kinds):
        return [(0, _("Myself or our informal group")), *organisations]
    return organisations


def _amount_years(regulation: Regulation) -> list[int]:
    if regulation.max_years <= 1:
        return []
    first = local_today().year
    return list(range(first, first + regulation.max_years + 1))


def _text(form: ApplicationForm, name: str) -> str:
    field = getattr(form, name, None)
    return (field.data or "") if field is not None else ""


def _uploads(
    form: ApplicationForm, documents: list[tuple[str, str]]
) -> tuple[tuple[str, uploads.Upload], ...]:
    """The files sent with the form, each checked by its content (InvalidInput otherwise)."""
    checked = []
    for name, kind, photo_only in [
        *((f"document_{key}", key, False) for key, _label in documents),
        ("photo", "photo", True),
    ]:
        field = getattr(form, name, None)
        if field is not None and field.data:
            data = field.data.read()
            checked.append((kind, uploads.check(name, field.data.filename or "", data, photo_only)))
    return tuple(checked)


def _application(
    form: ApplicationForm, years: list[int], documents: tuple[tuple[str, uploads.Upload], ...]
) -> submission.Application:
    year_amounts = {year: getattr(form, f"amount_{year}").cents or 0 for year in years}
    organisation = getattr(form, "organisation_id", None)
    return submission.Application(
        title=form.title.data,
        description=form.description.data,
        neighbourhood_id=form.neighbourhood_id.data,
        requested_cents=form.requested_amount.cents if not years else sum(year_amounts.values()),
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        target_group=form.target_group.data or "",
        activities=getattr(form, "activities", None) and form.activities.data or "",
        expected_results=getattr(form, "expected_results", None)
        and form.expected_results.data
        or "",
        year_amounts={y: c for y, c in year_amounts.items() if c} or None,
        organisation_id=(organisation.data or None) if organisation else None,
        documents=documents,
    )


def _regulation_form(
    regulation: Regulation,
) -> tuple[ApplicationForm, list[int], list[tuple[str, str]]] | None:
    """The application form of a regulation; None when only organisations may apply."""
    organisations = _organisation_choices(regulation)
    if (
        "resident" not in regulation.applicant_kinds
        and "informal_group" not in regulation.applicant_kinds
        and not organisations
    ):
        return None
    years = _amount_years(regulation)
    documents = [(d["key"], d.get(g.locale) or d["nl"]) for d in regulation.required_documents]
    form = application_form(
        regulation.tier != "light", organisations, years, documents, regulation.tier == "light"
    )
    form.neighbourhood_id.choices = _with_blank(_neighbourhood_choices())
    return form, years, documents


@bp.route("/apply/<code>", methods=["GET", "POST"])
@login_required
def apply(code: str) -> str | Response:
    regulation = _open_regulation(code)
    built = _regulation_form(regulation)
    if built is None:
        return render_template(
            "portal/organisations_only.html", regulation=regulation, locale=g.locale
        )
    form, years, documents = built
    if not form.submission_token.data:
        form.submission_token.data = secrets.token_urlsafe(24)
    if form.is_submitted() and "save_draft" in request.form:
        saved = _save_draft(form, regulation, years, documents, None)
        if saved is not None:
            return saved
    elif form.validate_on_submit():
        try:
            application = _application(form, years, _uploads(form, documents))
            case = submission.submit(
                current_user, regulation, application, form.submission_token.data
            )
        except InvalidInput as exc:
            if years and exc.field == "requested_amount":
                exc.field = f"amount_{years[0]}"
            _attach_error(form, exc)
        else:
            return redirect(url_for("portal.receipt", case_id=case.id))
    return render_template(
        "portal/apply.html", form=form, regulation=regulation, locale=g.locale, years=years
    )


def _parsed_cents(text: str | None) -> int | None:
    try:
        return parse_money(text) if text else None
    except ValueError:
        return None


def _draft_fields(form: ApplicationForm, years: list[int]) -> drafts.DraftFields:
    """What parses of the typed form; what does not parse is left out."""
    organisation = getattr(form, "organisation_id", None)
    amount = getattr(form, "requested_amount", None)
    return drafts.DraftFields(
        title=form.title.data or "",
        description=form.description.data or "",
        target_group=_text(form, "target_group"),
        activities=_text(form, "activities"),
        expected_results=_text(form, "expected_results"),
        neighbourhood_id=form.neighbourhood_id.data or None
        if not form.neighbourhood_id.process_errors
        else None,
        organisation_id=(organisation.data or None)
        if organisation is not None and not organisation.process_errors
        else None,
        requested_cents=_parsed_cents(amount.data) if amount is not None else None,
        year_amounts={
            year: cents
            for year in years
            if (cents := _parsed_cents(getattr(form, f"amount_{year}").data))
        }
        or None,
        period_start=form.period_start.data,
        period_end=form.period_end.data,
    )


def _save_draft(
    form: ApplicationForm,
    regulation: Regulation,
    years: list[int],
    documents: list[tuple[str, str]],
    draft: Case | None,
    then: str = "draft",
) -> Response | None:
    """Save what was typed as a draft and go on; None re-shows the form with the error."""
    form.validate()  # parses amounts and files; only the title must be valid for a draft
    for field in form:
        field.errors = []
    form.form_errors = []
    try:
        saved = drafts.save_draft(
            current_user,
            regulation,
            _draft_fields(form, years),
            _uploads(form, documents),
            draft,
            _version(form) if draft is not None else None,
            token=form.submission_token.data if draft is None else None,
        )
    except ServiceError as exc:
        db.session.rollback()
        _apply_error(form, exc)
        return None
    if then == "check":
        return redirect(url_for("portal.check_draft", case_id=saved.id))
    flash(_("Your draft has been saved."), "success")
    return redirect(url_for("portal.draft", case_id=saved.id))


def _with_blank(choices: dict[str, list[tuple[int, str]]]) -> dict[str, list[tuple[int, str]]]:
    return {"": [(0, "—")], **choices}


def _attach_error(form: ApplicationForm, error: InvalidInput) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_errors.append(error.message)
    else:
        field.errors = [*field.errors, error.message]


@bp.get("/cases/<int:case_id>/receipt")
@login_required
def receipt(case_id: int) -> str:
    case = authz.case_for(current_user, case_id)
    if not authz.is_case_owner(current_user, case):
        abort(404)
    return render_template("portal/receipt.html", case=case)


@bp.get("/")
@login_required
def my_cases() -> str:
    query = authz.visible_cases(current_user).order_by(Case.created_at.desc())
    if current_user.is_staff:
        query = query.where(Case.applicant_id == current_user.id)
    cases = db.session.scalars(query).all()
    return render_template("portal/my_cases.html", cases=cases)


def _own_case(case_id: int) -> Case:
    case = authz.case_for(current_user, case_id)
    if not authz.is_case_owner(current_user, case):
        abort(404)
    return case


@bp.get("/cases/<int:case_id>")
@login_required
def case_detail(case_id: int) -> str:
    case = _own_case(case_id)
    events = db.session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.visible_to_applicant.is_(True))
        .order_by(CaseEvent.id)
    ).all()
    decisions = db.session.scalars(
        select(Decision)
        .where(Decision.case_id == case.id, Decision.status.in_(("sent", "revoked")))
        .order_by(Decision.id)
    ).all()
    return render_template(
        "portal/case.html",
        case=case,
        events=events,
        decisions=decisions,
        actions=transitions.allowed_actions(case, current_user),
        request=transitions.open_information_request(case),
        documents=attachments.sent_with_answers_and_objections(case),
    )


def _versioned(form: AnswerForm | WithdrawForm | ObjectionForm, case: Case) -> None:
    if not form.is_submitted():
        form.version.data = str(case.version)


def _version(form: AnswerForm | WithdrawForm | ObjectionForm) -> int | None:
    return int(form.version.data) if (form.version.data or "").isdigit() else None


def _apply_error(form: AnswerForm | WithdrawForm | ObjectionForm, error: ServiceError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_errors.append(error.message)
    else:
        field.errors = [*field.errors, error.message]


def _attachments(form: AnswerForm | ObjectionForm) -> tuple[uploads.Upload, ...]:
    """The files sent with the form, checked (InvalidInput on the files field otherwise)."""
    sent = [(file.filename or "", file.read()) for file in form.files.data or []]
    return attachments.check("files", sent)


def _perform(
    form: AnswerForm | WithdrawForm | ObjectionForm,
    case: Case,
    change: Callable[[], object],
    done: str,
) -> Response | None:
    """Validate, call the service, and go back to the case; None re-shows the form."""
    if not form.validate_on_submit():
        return None
    try:
        change()
    except ServiceError as exc:
        db.session.rollback()
        _apply_error(form, exc)
        return None
    flash(done, "success")
    return redirect(url_for("portal.case_detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/answer", methods=["GET", "POST"])
@login_required
def answer(case_id: int) -> str | Response:
    """Answer an information request before its deadline."""
    case = _own_case(case_id)
    request = transitions.open_information_request(case)
    if request is None:
        abort(404)
    form = AnswerForm()
    _versioned(form, case)
    expired = request.answer_deadline < local_today()
    done = (
        None
        if expired
        else _perform(
            form,
            case,
            lambda: intake.receive_answer(
                case, current_user, form.answer.data, None, _version(form), _attachments(form)
            ),
            _("Thank you. We received your answer."),
        )
    )
    return done or render_template(
        "portal/answer.html", case=case, request=request, form=form, expired=expired
    )


@bp.route("/cases/<int:case_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(case_id: int) -> str | Response:
    """Withdraw an application that is not decided yet, after a confirmation page."""
    case = _own_case(case_id)
    if "withdraw" not in transitions.allowed_actions(case, current_user):
        abort(404)
    form = WithdrawForm()
    _versioned(form, case)
    done = _perform(
        form,
        case,
        lambda: submission.withdraw(case, current_user, _version(form)),
        _("Your application has been withdrawn."),
    )
    return done or render_template("portal/withdraw.html", case=case, form=form)


@bp.route("/cases/<int:case_id>/objection", methods=["GET", "POST"])
@login_required
def objection(case_id: int) -> str | Response:
    """File an objection against the last decision; a late one must say why."""
    case = _own_case(case_id)
    decision = objections.last_sent_decision(case)
    if decision is None or "object" not in transitions.allowed_actions(case, current_user):
        abort(404)
    deadline = terms.objection_deadline(objections.sent_on(decision)).end
    late = local_today() > deadline
    form = ObjectionForm()
    _versioned(form, case)
    done = _perform(
        form,
        case,
        lambda: objections.register(
            case,
            current_user,
            form.grounds.data,
            None,
            "online",
            form.lateness_reason.data or "",
            False,
            _version(form),
            _attachments(form),
        ),
        _("We received your objection."),
    )
    return done or render_template(
        "portal/objection.html", case=case, form=form, deadline=deadline, late=late
    )


def _own_draft(case_id: int) -> Case:
    """The user's own application (drafts are never shared); 404 otherwise."""
    case = db.session.get(Case, case_id)
    if case is None or case.applicant_id != current_user.id:
        abort(404)
    return case


def _money_text(cents: int) -> str:
    return str(cents // 100) if cents % 100 == 0 else f"{cents // 100},{cents % 100:02d}"


def _prefill(form: ApplicationForm, draft: Case, years: list[int]) -> None:
    for name in ("title", "description", "target_group", "activities", "expected_results"):
        field = getattr(form, name, None)
        if field is not None:
            field.data = getattr(draft, name)
    form.neighbourhood_id.data = draft.neighbourhood_id or 0
    if getattr(form, "organisation_id", None) is not None:
        form.organisation_id.data = draft.organisation_id or 0
    if years:
        for amount in draft.year_amounts:
            field = getattr(form, f"amount_{amount.year}", None)
            if field is not None:
                field.data = _money_text(amount.requested_cents)
    elif draft.requested_cents:
        form.requested_amount.data = _money_text(draft.requested_cents)
    form.period_start.data = draft.period_start
    form.period_end.data = draft.period_end


@bp.route("/drafts/<int:case_id>", methods=["GET", "POST"])
@login_required
def draft(case_id: int) -> str | Response:
    """Continue a draft: the same form, prefilled; save again or go to the summary."""
    case = _own_draft(case_id)
    if case.status != drafts.DRAFT:
        return redirect(url_for("portal.case_detail", case_id=case.id))
    built = _regulation_form(case.regulation)
    if built is None:
        abort(404)
    form, years, documents = built
    if form.is_submitted():
        then = "check" if "check" in request.form else "draft"
        saved = _save_draft(form, case.regulation, years, documents, case, then)
        if saved is not None:
            return saved
    else:
        _prefill(form, case, years)
        form.version.data = str(case.version)
    return render_template(
        "portal/apply.html",
        form=form,
        regulation=case.regulation,
        locale=g.locale,
        years=years,
        draft=case,
        documents=drafts.documents(case),
    )


@bp.route("/drafts/<int:case_id>/documents/<int:document_id>/delete", methods=["GET", "POST"])
@login_required
def delete_draft_document(case_id: int, document_id: int) -> str | Response:
    """Delete an uploaded file of a draft, after a confirmation page."""
    case = _own_draft(case_id)
    document = next((d for d in drafts.documents(case) if d.id == document_id), None)
    if case.status != drafts.DRAFT or document is None:
        abort(404)
    form = WithdrawForm()
    if form.validate_on_submit():
        drafts.delete_document(current_user, case, document.id)
        flash(_("The document has been deleted."), "success")
        return redirect(url_for("portal.draft", case_id=case.id))
    return render_template("portal/delete_document.html", case=case, document=document, form=form)


@bp.route("/drafts/<int:case_id>/check", methods=["GET", "POST"])
@login_required
def check_draft(case_id: int) -> str | Response:
    """The summary to check before submitting; submitting twice creates one case."""
    case = _own_draft(case_id)
    if case.status != drafts.DRAFT:
        return redirect(url_for("portal.receipt", case_id=case.id))
    form = WithdrawForm()
    _versioned(form, case)
    if form.validate_on_submit():
        try:
            drafts.submit_draft(current_user, case, drafts.application_of(case), _version(form))
        except StaleCase as exc:
            db.session.rollback()
            case = _own_draft(case_id)
            if case.status != drafts.DRAFT:
                return redirect(url_for("portal.receipt", case_id=case.id))
            form.form_errors.append(exc.message)
            form.version.data = str(case.version)
        except ServiceError as exc:
            db.session.rollback()
            case = _own_draft(case_id)
            form.form_errors.append(exc.message)
        else:
            return redirect(url_for("portal.receipt", case_id=case.id))
    documents = drafts.documents(case)
    labels = {d["key"]: d.get(g.locale) or d["nl"] for d in case.regulation.required_documents}
    return render_template(
        "portal/check.html",
        case=case,
        form=form,
        problems=drafts.problems(current_user, case),
        documents=documents,
        labels=labels,
        locale=g.locale,
    )
