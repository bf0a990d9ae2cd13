"""Decisions on cases: checked by the lifecycle, sent as a PDF letter."""

from __future__ import annotations

from flask_babel import gettext as _

from app.extensions import db
from app.formatting import format_money
from app.models import Case, Decision, User
from app.models.types import utcnow
from app.services import authz, events, letters, notifications, storage
from app.services.clock import local_today
from app.services.errors import InvalidInput, NotAllowed, StaleCase
from workflows import lifecycle, terms

MUNICIPALITY = "Groningen"


def _check_transition(case: Case, action: str, actor: User) -> None:
    ctx = lifecycle.GuardContext(
        tier=case.tier, actor_id=actor.id, total_cents=case.requested_cents
    )
    try:
        lifecycle.check(case.status, action, authz.workflow_roles(actor, case), ctx)
    except lifecycle.IllegalTransition as exc:
        raise NotAllowed(str(exc)) from exc


def _check_version(case: Case, expected_version: int) -> None:
    if case.version != expected_version:
        raise StaleCase(
            _("This case was changed by someone else after you opened it. Check it and try again.")
        )


def _validate_grant(case: Case, amount_cents: int, motivation: str) -> None:
    if not motivation.strip():
        raise InvalidInput(_("Give the motivation for this decision."), "motivation")
    if amount_cents <= 0:
        raise InvalidInput(_("Enter an amount above zero."), "amount")
    limit = min(case.requested_cents, case.regulation.max_amount_cents)
    if amount_cents > limit:
        raise InvalidInput(
            _(
                "The amount cannot exceed %(max)s (requested amount and regulation maximum).",
                max=format_money(limit),
            ),
            "amount",
        )


def grant_light(
    case: Case, officer: User, amount_cents: int, motivation: str, expected_version: int
) -> Decision:
    """Light tier: one officer grants and determines at once (SPEC §4, §5)."""
    _check_version(case, expected_version)
    _check_transition(case, "decide_light", officer)
    _validate_grant(case, amount_cents, motivation)
    today = local_today()
    decision = Decision(
        case=case,
        kind="grant",
        amount_cents=amount_cents,
        amounts_by_year={str(case.period_start.year): amount_cents},
        motivation=motivation.strip(),
        legal_basis=case.regulation.legal_basis,
        proposer=officer,
        approver=officer,
        decided_on=today,
        objection_deadline=terms.objection_deadline(today).end,
        sent_at=utcnow(),
    )
    db.session.add(decision)
    decision.letter = _letter(case, decision, officer)
    before = {"status": case.status}
    case.status = lifecycle.State.GRANTED.value
    events.record(case, "decision_sent", officer, before=before, after=_summary(decision))
    _notify_decision(case, decision)
    db.session.commit()
    return decision


def _summary(decision: Decision) -> dict[str, object]:
    return {
        "status": decision.case.status,
        "decision": decision.kind,
        "amount_cents": decision.amount_cents,
        "objection_deadline": decision.objection_deadline.isoformat(),
    }


def _letter_context(case: Case, decision: Decision, signer: User) -> dict[str, object]:
    return {
        "municipality": MUNICIPALITY,
        "recipient_name": case.applicant.name,
        "organisation_name": case.organisation.name if case.organisation else "",
        "reference": case.reference,
        "subject": f"Besluit op uw subsidieaanvraag {case.reference}",
        "title": case.title,
        "received_on": case.received_on,
        "decided_on": decision.decided_on,
        "amount_cents": decision.amount_cents,
        "amounts_by_year": decision.amounts_by_year,
        "motivation": decision.motivation,
        "legal_basis": decision.legal_basis,
        "conditions": decision.conditions,
        "period_start": case.period_start,
        "period_end": case.period_end,
        "objection_deadline": decision.objection_deadline,
        "signer_name": signer.name,
    }


def _letter(case: Case, decision: Decision, signer: User):  # type: ignore[no-untyped-def]
    pdf = letters.render_pdf("grant_light", _letter_context(case, decision, signer))
    filename = f"besluit-{case.reference}.pdf"
    return storage.store(case, "decision_letter", filename, "application/pdf", pdf, signer)


def _notify_decision(case: Case, decision: Decision) -> None:
    db.session.flush()
    notifications.queue(
        recipient=case.applicant,
        template="decision_sent",
        dedupe_key=f"decision:{decision.id}:sent",
        case=case,
        context={
            "reference": case.reference,
            "title": case.title,
            "name": case.applicant.name,
            "kind": decision.kind,
            "amount_cents": decision.amount_cents,
            "objection_deadline": decision.objection_deadline.isoformat(),
        },
    )
