"""The officer's case page and the actions the lifecycle allows on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.access import roles_required
from app.cases import forms
from app.extensions import db
from app.formatting import format_money
from app.models import (
    Case,
    CaseEvent,
    Decision,
    Document,
    FitAssessment,
    InformationRequest,
    Objection,
    User,
)
from app.services import authz, decisions, fit_check, intake, objections, transitions
from app.services.errors import InvalidInput, NotAllowed, ServiceError, StaleCase
from app.services.transitions import OPEN_STATES

bp = Blueprint("cases", __name__, url_prefix="/cases", template_folder="templates")
STAFF = ("officer", "advisor", "team_lead", "admin", "finance", "council")
NOTE_ROLES = ("officer", "advisor", "team_lead", "admin", "finance")

__all__ = ["OPEN_STATES", "STAFF", "bp"]


@dataclass(frozen=True)
class Action:
    """One action on the case page: its form, the service call, the success message."""

    make_form: Callable[[Case, str], FlaskForm]
    perform: Callable[[Case, User, FlaskForm], object]
    done: str


def _version(form: FlaskForm) -> int | None:
    value = getattr(form, "version", None)
    return int(value.data) if value is not None and (value.data or "").isdigit() else None


def _years(case: Case) -> list[int]:
    return list(range(case.period_start.year, case.period_end.year + 1))


def _proposal_form(case: Case, prefix: str) -> FlaskForm:
    reasons = [(key, str(label)) for key, label in decisions.REFUSAL_REASONS.items()]
    return forms.proposal_form(_years(case), reasons, prefix)


def _programme_goal_ids(case: Case) -> list[int]:
    programme = fit_check.adopted_programme(case)
    return [goal.id for goal in programme.goals] if programme else []


def _propose(case: Case, user: User, form: FlaskForm) -> object:
    amounts = {}
    for year in _years(case):
        field = getattr(form, f"amount_{year}")
        if field.cents:
            amounts[year] = field.cents
    return decisions.propose(
        case,
        user,
        form.kind.data,
        amounts,
        form.motivation.data,
        form.conditions.data or "",
        form.refusal_reason.data or None,
        _version(form),
    )


def _assess(case: Case, user: User, form: FlaskForm) -> object:
    scores = [
        fit_check.Score(
            goal_id,
            getattr(form, f"score_{goal_id}").data,
            getattr(form, f"note_{goal_id}").data or "",
        )
        for goal_id in _programme_goal_ids(case)
    ]
    return fit_check.record_assessment(
        case, user, scores, form.verdict.data, form.motivation.data, _version(form)
    )


def _excusable(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


ACTIONS: dict[str, Action] = {
    "start_intake": Action(
        lambda case, prefix: forms.ConfirmForm(prefix=prefix),
        lambda case, user, form: intake.start_intake(case, user, _version(form)),
        _l("Intake has started."),
    ),
    "request_information": Action(
        lambda case, prefix: forms.InformationRequestForm(prefix=prefix),
        lambda case, user, form: intake.request_information(
            case, user, form.questions.data, form.answer_weeks.data, _version(form)
        ),
        _l("The information request has been sent. The decision term is suspended."),
    ),
    "receive_answer": Action(
        lambda case, prefix: forms.AnswerForm(prefix=prefix),
        lambda case, user, form: intake.receive_answer(
            case, user, form.answer.data, form.answered_on.data, _version(form)
        ),
        _l("The answer has been recorded. The decision term runs again."),
    ),
    "not_consider": Action(
        lambda case, prefix: forms.MotivationForm(prefix=prefix),
        lambda case, user, form: intake.not_consider(
            case, user, form.motivation.data, _version(form)
        ),
        _l("The decision not to consider the application has been sent."),
    ),
    "extend_term": Action(
        lambda case, prefix: forms.ExtensionForm(prefix=prefix),
        lambda case, user, form: intake.extend_term(
            case, user, form.extension_weeks.data, form.motivation.data, _version(form)
        ),
        _l("The decision term has been extended and the applicant informed."),
    ),
    "start_fit_check": Action(
        lambda case, prefix: forms.ConfirmForm(prefix=prefix),
        lambda case, user, form: fit_check.start_fit_check(case, user, _version(form)),
        _l("The area advisor has been asked for the fit check."),
    ),
    "assess_fit": Action(
        lambda case, prefix: forms.fit_assessment_form(_programme_goal_ids(case), prefix),
        _assess,
        _l("Your assessment has been saved."),
    ),
    "propose_decision": Action(
        _proposal_form, _propose, _l("The decision proposal is waiting for approval.")
    ),
    "approve": Action(
        lambda case, prefix: forms.ApprovalForm(prefix=prefix),
        lambda case, user, form: decisions.approve(
            case, user, _version(form), bool(form.board_decision.data)
        ),
        _l("The decision has been approved and sent to the applicant."),
    ),
    "send_back": Action(
        lambda case, prefix: forms.SendBackForm(prefix=prefix),
        lambda case, user, form: decisions.send_back(case, user, form.note.data, _version(form)),
        _l("The proposal has been sent back to the officer."),
    ),
    "decide_light": Action(
        lambda case, prefix: forms.GrantForm(prefix=prefix),
        lambda case, user, form: decisions.grant_light(
            case, user, form.amount.cents, form.motivation.data, _version(form)
        ),
        _l("The decision has been sent to the applicant."),
    ),
    "object": Action(
        lambda case, prefix: forms.ObjectionForm(prefix=prefix),
        lambda case, user, form: objections.register(
            case,
            user,
            form.grounds.data,
            form.received_on.data,
            form.channel.data,
            form.lateness_reason.data or "",
            form.advisory_committee.data,
            _version(form),
        ),
        _l("The objection has been registered."),
    ),
    "decide_objection": Action(
        lambda case, prefix: forms.ObjectionDecisionForm(prefix=prefix),
        lambda case, user, form: objections.decide(
            case,
            user,
            form.outcome.data,
            form.motivation.data,
            form.hearing_on.data,
            _excusable(form.lateness_excusable.data),
            _version(form),
        ),
        _l("The decision on the objection has been sent."),
    ),
    "extend_objection_term": Action(
        lambda case, prefix: forms.ConfirmForm(prefix=prefix),
        lambda case, user, form: objections.extend_decision_term(case, user, _version(form)),
        _l("The term to decide on the objection has been extended by 6 weeks."),
    ),
    "add_note": Action(
        lambda case, prefix: forms.NoteForm(prefix=prefix),
        lambda case, user, form: intake.add_note(case, user, form.note.data),
        _l("The note has been added."),
    ),
}


def available_actions(case: Case, user: User) -> list[str]:
    """The actions of this page the user may take now, in the lifecycle's order."""
    names = [name for name in transitions.allowed_actions(case, user) if name in ACTIONS]
    if (
        user.has_role("officer", "team_lead")
        and case.status in OPEN_STATES
        and not case.extension_weeks
    ):
        names.append("extend_term")
    objection = objections.open_objection(case) if case.status == "objection" else None
    if objection and not objection.extended and user.has_role("officer", "team_lead"):
        names.append("extend_objection_term")
    if fit_check.may_assess(user, case) and fit_check.adopted_programme(case):
        names.append("assess_fit")
    if user.has_role(*NOTE_ROLES):
        names.append("add_note")
    return names


def _prefill(case: Case, forms_by_action: dict[str, FlaskForm]) -> None:
    for name, form in forms_by_action.items():
        if hasattr(form, "version") and not form.version.data:
            form.version.data = str(case.version)
        if name == "decide_light" and not form.amount.data:
            form.amount.data = format_money(case.requested_cents).replace("€", "").strip()
        if name == "propose_decision" and not form.is_submitted():
            for year_amount in case.year_amounts:
                field = getattr(form, f"amount_{year_amount.year}", None)
                if field is not None:
                    field.data = format_money(year_amount.requested_cents).replace("€", "").strip()


def _render_case(
    case: Case,
    submitted: tuple[str, FlaskForm] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    actions = available_actions(case, current_user)
    forms_by_action = {name: ACTIONS[name].make_form(case, name) for name in actions}
    if submitted:
        forms_by_action[submitted[0]] = submitted[1]
    _prefill(case, forms_by_action)
    return render_template(
        "cases/case.html",
        case=case,
        forms=forms_by_action,
        submitted_action=submitted[0] if submitted else None,
        errors=errors or [],
        **_case_facts(case),
    ), status


def _case_facts(case: Case) -> dict[str, object]:
    def rows(model: type) -> list:
        return db.session.scalars(
            select(model).where(model.case_id == case.id).order_by(model.id)
        ).all()

    programme = fit_check.adopted_programme(case)
    return {
        "events": rows(CaseEvent),
        "show_actors": True,
        "decisions": rows(Decision),
        "documents": rows(Document),
        "information_requests": rows(InformationRequest),
        "assessments": rows(FitAssessment),
        "objection_list": rows(Objection),
        "checklist": intake.completeness(case, g.locale),
        "decision_term": transitions.decision_term(case) if case.received_on else None,
        "programme": programme,
        "suggestions": fit_check.suggestions(case, programme) if programme else [],
        "pending": transitions.pending_decision(case),
        "refusal_reasons": decisions.REFUSAL_REASONS,
    }


@bp.get("/<int:case_id>")
@roles_required(*STAFF)
def detail(case_id: int) -> tuple[str, int]:
    return _render_case(authz.case_for(current_user, case_id))


@bp.post("/<int:case_id>/actions/<name>")
@roles_required(*NOTE_ROLES)
def act(case_id: int, name: str) -> Response | tuple[str, int]:
    case = authz.case_for(current_user, case_id)
    action = ACTIONS.get(name)
    if action is None:
        abort(404)
    form = action.make_form(case, name)
    if not form.validate_on_submit():
        return _render_case(case, (name, form), status=422)
    try:
        action.perform(case, current_user, form)
    except ServiceError as exc:
        db.session.rollback()
        return _refused(case, name, form, exc)
    flash(str(action.done), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


def _refused(case: Case, name: str, form: FlaskForm, exc: ServiceError) -> tuple[str, int]:
    case = db.session.get(Case, case.id)
    field = getattr(form, exc.field, None) if exc.field else None
    if isinstance(exc, InvalidInput) and field is not None:
        field.errors = [*field.errors, exc.message]
        return _render_case(case, (name, form), status=422)
    status = 409 if isinstance(exc, StaleCase) else 403 if isinstance(exc, NotAllowed) else 422
    return _render_case(case, (name, form), [exc.message], status)


@bp.get("/<int:case_id>/decisions/<int:decision_id>/preview.pdf")
@roles_required(*NOTE_ROLES)
def preview_letter(case_id: int, decision_id: int) -> Response:
    """The letter of a proposed decision as it would be sent today."""
    case = authz.case_for(current_user, case_id)
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.case_id != case.id:
        abort(404)
    pdf = decisions.preview_letter(case, decision, current_user)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="preview-{case.reference}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
