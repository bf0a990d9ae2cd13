"""The applicant's pages: apply, receipt, my applications, one application."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import Case, CaseEvent, Decision
from app.portal.forms import (
    AnswerForm,
    ObjectionForm,
    WithdrawForm,
)
from app.services import (
    attachments,
    authz,
    intake,
    objections,
    storage,
    submission,
    transitions,
    uploads,
)
from app.services.clock import local_today
from app.services.errors import ServiceError
from workflows import terms

bp = Blueprint("portal", __name__, url_prefix="/portal", template_folder="templates")


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
    case_documents = storage.documents_of(case)
    return render_template(
        "portal/case.html",
        case=case,
        case_documents=case_documents,
        events=events,
        decisions=decisions,
        actions=transitions.allowed_actions(case, current_user),
        request=transitions.open_information_request(case),
        documents=attachments.sent_with_answers_and_objections(case_documents),
    )


def _versioned(form: AnswerForm | WithdrawForm | ObjectionForm, case: Case) -> None:
    if not form.is_submitted():
        form.version.data = str(case.version)


def version_of(form: AnswerForm | WithdrawForm | ObjectionForm) -> int | None:
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
                case, current_user, form.answer.data, None, version_of(form), _attachments(form)
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
        lambda: submission.withdraw(case, current_user, version_of(form)),
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
            version_of(form),
            _attachments(form),
        ),
        _("We received your objection."),
    )
    return done or render_template(
        "portal/objection.html", case=case, form=form, deadline=deadline, late=late
    )


def own_draft(case_id: int) -> Case:
    """The user's own application (drafts are never shared); 404 otherwise."""
    case = db.session.get(Case, case_id)
    if case is None or case.applicant_id != current_user.id:
        abort(404)
    return case
