"""The applicant's pages: apply, receipt, my applications, one application."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import Area, Case, CaseEvent, Decision, Regulation
from app.portal.forms import (
    AnswerForm,
    ApplicationForm,
    ObjectionForm,
    WithdrawForm,
    application_form,
)
from app.services import authz, intake, objections, submission, transitions, uploads
from app.services.clock import local_today
from app.services.errors import InvalidInput, ServiceError
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


@bp.route("/apply/<code>", methods=["GET", "POST"])
@login_required
def apply(code: str) -> str | Response:
    regulation = _open_regulation(code)
    organisations = _organisation_choices(regulation)
    if (
        "resident" not in regulation.applicant_kinds
        and "informal_group" not in regulation.applicant_kinds
        and not organisations
    ):
        return render_template(
            "portal/organisations_only.html", regulation=regulation, locale=g.locale
        )
    years = _amount_years(regulation)
    documents = [(d["key"], d.get(g.locale) or d["nl"]) for d in regulation.required_documents]
    form = application_form(
        regulation.tier != "light", organisations, years, documents, regulation.tier == "light"
    )
    form.neighbourhood_id.choices = _with_blank(_neighbourhood_choices())
    if not form.submission_token.data:
        form.submission_token.data = secrets.token_urlsafe(24)
    if form.validate_on_submit():
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
                case, current_user, form.answer.data, None, _version(form)
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
        ),
        _("We received your objection."),
    )
    return done or render_template(
        "portal/objection.html", case=case, form=form, deadline=deadline, late=late
    )
