"""Firing lifecycle transitions on a case: the one path every status change takes."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import Case, Decision, FitAssessment, InformationRequest, User
from app.services import authz, events
from app.services.clock import local_today
from app.services.errors import NotAllowed, StaleCase
from workflows import lifecycle, terms, tiers

log = logging.getLogger("sociale_basis.access")
OPEN_STATES = (
    "submitted",
    "intake",
    "information_requested",
    "fit_check",
    "decision_proposed",
    "decision_approved",
)


def _stale() -> StaleCase:
    return StaleCase(
        _("This case was changed by someone else after you opened it. Check it and try again.")
    )


def check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and case.version != expected_version:
        raise _stale()


def commit_or_stale() -> None:
    """Commit; a concurrent change to the same case (optimistic lock) becomes StaleCase."""
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise _stale() from exc


def pending_decision(case: Case) -> Decision | None:
    return db.session.scalar(
        select(Decision)
        .where(Decision.case_id == case.id, Decision.status.in_(("proposed", "approved")))
        .order_by(Decision.id.desc())
    )


def open_information_request(case: Case) -> InformationRequest | None:
    return db.session.scalar(
        select(InformationRequest)
        .where(InformationRequest.case_id == case.id, InformationRequest.answered_on.is_(None))
        .order_by(InformationRequest.id.desc())
    )


def latest_fit_assessment(case: Case) -> FitAssessment | None:
    return db.session.scalar(
        select(FitAssessment)
        .where(FitAssessment.case_id == case.id)
        .order_by(FitAssessment.id.desc())
    )


def mandate_cents(user: User) -> int | None:
    """The highest mandate among the user's roles; an administrator records the board's."""
    if user.has_role("admin"):
        return None
    limits = [m.limit_cents for m in tiers.DEFAULT_MANDATES if user.has_role(m.role)]
    if not limits:
        return 0
    return None if None in limits else max(limits)


def guard_context(case: Case, actor: User) -> lifecycle.GuardContext:
    decision = pending_decision(case)
    request = open_information_request(case)
    return lifecycle.GuardContext(
        tier=case.tier,
        fit_check_required=case.regulation.requires_fit_check,
        has_fit_check=latest_fit_assessment(case) is not None,
        actor_id=actor.id,
        proposer_id=decision.proposer_id if decision else None,
        total_cents=decision.amount_cents if decision else case.requested_cents,
        actor_mandate_cents=mandate_cents(actor),
        answer_term_expired=bool(request and request.answer_deadline < local_today()),
    )


def allowed_actions(case: Case, user: User) -> list[str]:
    roles = authz.workflow_roles(user, case)
    ctx = guard_context(case, user)
    return [t.action for t in lifecycle.allowed_actions(case.status, roles, ctx)]


def fire(
    case: Case,
    action: str,
    actor: User | None,
    *,
    ctx: lifecycle.GuardContext | None = None,
    after: dict[str, object] | None = None,
    visible_to_applicant: bool = True,
) -> lifecycle.Transition:
    """Check the transition for this actor, change the status and record the event.

    `actor=None` is the system acting on a decision already approved by a person.
    """
    roles = {"system"} if actor is None else authz.workflow_roles(actor, case)
    if ctx is None:
        ctx = guard_context(case, actor) if actor else lifecycle.GuardContext(tier=case.tier)
    try:
        transition = lifecycle.check(case.status, action, roles, ctx)
    except lifecycle.IllegalTransition as exc:
        log.warning("refused %s on %s for user %s: %s", action, case.reference, actor, exc.reason)
        raise NotAllowed(_refusal_message(exc)) from exc
    before = case.status
    case.status = transition.target.value
    events.record(
        case,
        action,
        actor,
        before={"status": before},
        after={"status": case.status, **(after or {})},
        visible_to_applicant=visible_to_applicant,
    )
    return transition


def _refusal_message(exc: lifecycle.IllegalTransition) -> str:
    reasons = {
        "four_eyes": _("Someone other than the proposer must approve this decision (four eyes)."),
        "not_proposer": _("Someone other than the proposer must send this proposal back."),
        "within_mandate": _(
            "The amount exceeds your mandate. A higher mandate holder or the board decides."
        ),
        "fit_check_done_if_required": _(
            "This regulation requires a fit check against the area programme first."
        ),
        "answer_term_expired": _("The answer term of the information request has not ended yet."),
        "role_not_allowed": _("Your role does not allow this action."),
    }
    return reasons.get(
        exc.reason, _("This action is not possible now: %(detail)s", detail=str(exc))
    )


def decision_term(case: Case) -> terms.Term:
    """Decision term from receipt, suspended by information requests, extended once."""
    requests = db.session.scalars(
        select(InformationRequest).where(InformationRequest.case_id == case.id)
    ).all()
    suspensions = [terms.Suspension(r.sent_on, r.answer_deadline, r.answered_on) for r in requests]
    return terms.decision_deadline(
        case.received_on, case.regulation.decision_term_weeks, suspensions, case.extension_weeks
    )


def recompute_decision_deadline(case: Case) -> terms.Term:
    term = decision_term(case)
    case.decision_deadline = term.end
    return term
