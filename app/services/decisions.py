"""Decisions on cases: proposal, four eyes and mandate, sending the letter (SPEC §4-§6)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.formatting import format_money
from app.models import Case, Decision, User, UserRole
from app.models.types import utcnow
from app.services import correspondence, letters, notifications
from app.services.clock import local_today
from app.services.errors import InvalidInput, NotAllowed
from app.services.transitions import check_version, fire, pending_decision
from workflows import terms, tiers

REFUSAL_REASONS = {
    "ceiling_reached": _l("The subsidy ceiling has been reached (Awb 4:25)"),
    "does_not_fit": _l("The activities do not fit the area programme"),
    "outside_regulation": _l("The application falls outside the regulation"),
    "other": _l("Another reason, given in the motivation"),
}
REFUSAL_REASON_LETTER_TEXTS = {
    "ceiling_reached": "Het subsidieplafond voor deze regeling is bereikt (artikel 4:25 Awb).",
    "does_not_fit": "De activiteiten dragen niet bij aan de doelen van het gebiedsprogramma.",
    "outside_regulation": "Uw aanvraag valt buiten de subsidieregeling.",
    "other": "Zie de motivering hieronder.",
}


def _validate_amounts(case: Case, amounts_by_year: dict[int, int], motivation: str) -> int:
    if not motivation.strip():
        raise InvalidInput(_("Give the motivation for this decision."), "motivation")
    total = sum(amounts_by_year.values())
    if total <= 0 or any(cents < 0 for cents in amounts_by_year.values()):
        raise InvalidInput(_("Enter an amount above zero."), "amount")
    limit = min(case.requested_cents, case.regulation.max_amount_cents)
    if total > limit:
        raise InvalidInput(
            _(
                "The amount cannot exceed %(max)s (requested amount and regulation maximum).",
                max=format_money(limit),
            ),
            "amount",
        )
    years = set(range(case.period_start.year, case.period_end.year + 1))
    if not set(amounts_by_year) <= years:
        raise InvalidInput(_("Amounts can only be granted for the years of the period."), "amount")
    return total


def grant_light(
    case: Case, officer: User, amount_cents: int, motivation: str, expected_version: int
) -> Decision:
    """Light tier: one officer grants and determines at once (SPEC §4, §5)."""
    check_version(case, expected_version)
    amounts = {case.period_start.year: amount_cents}
    total = _validate_amounts(case, amounts, motivation)
    decision = Decision(
        case=case,
        kind="grant",
        status="approved",
        amount_cents=total,
        amounts_by_year={str(year): cents for year, cents in amounts.items()},
        motivation=motivation.strip(),
        legal_basis=case.regulation.legal_basis,
        proposer=officer,
        approver=officer,
        approved_at=utcnow(),
        decided_on=local_today(),
    )
    fire(case, "decide_light", officer, after={"amount_cents": total})
    db.session.add(decision)
    _send(case, decision, officer, "grant_light")
    db.session.commit()
    return decision


def propose(
    case: Case,
    officer: User,
    kind: str,
    amounts_by_year: dict[int, int],
    motivation: str,
    conditions: str,
    refusal_reason: str | None,
    expected_version: int | None,
) -> Decision:
    """The officer's decision proposal, waiting for an approver (four eyes)."""
    check_version(case, expected_version)
    if kind == "grant":
        total = _validate_amounts(case, amounts_by_year, motivation)
    elif kind == "refusal":
        if refusal_reason not in REFUSAL_REASONS:
            raise InvalidInput(_("Choose the reason for the refusal."), "refusal_reason")
        if not motivation.strip():
            raise InvalidInput(_("Give the motivation for this decision."), "motivation")
        total, amounts_by_year = 0, {}
    else:
        raise InvalidInput(_("Choose grant or refusal."), "kind")
    fire(
        case,
        "propose_decision",
        officer,
        after={"kind": kind, "amount_cents": total},
        visible_to_applicant=False,
    )
    decision = Decision(
        case=case,
        kind=kind,
        status="proposed",
        amount_cents=total,
        amounts_by_year={str(year): cents for year, cents in sorted(amounts_by_year.items())},
        motivation=motivation.strip(),
        conditions=conditions.strip(),
        refusal_reason=refusal_reason if kind == "refusal" else None,
        legal_basis=case.regulation.legal_basis,
        proposer=officer,
        decided_on=local_today(),
    )
    db.session.add(decision)
    db.session.flush()
    _notify_approvers(case, decision)
    db.session.commit()
    return decision


def _notify_approvers(case: Case, decision: Decision) -> None:
    approvers = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == "team_lead").distinct()
    )
    for approver in approvers:
        notifications.queue(
            recipient=approver,
            template="approval_requested",
            dedupe_key=f"decision:{decision.id}:approval:{approver.id}",
            case=case,
            context={"reference": case.reference, "title": case.title, "name": approver.name},
        )


def approve(
    case: Case, approver: User, expected_version: int | None, board_decision: bool = False
) -> Decision:
    """Second pair of eyes within mandate; the approved decision is sent at once."""
    check_version(case, expected_version)
    decision = _proposed(case)
    only_admin = approver.has_role("admin") and not approver.has_role("team_lead", "officer")
    if only_admin and not board_decision:
        raise NotAllowed(_("An administrator only records a decision of the board."))
    fire(
        case,
        "approve",
        approver,
        after={"board_decision": board_decision},
        visible_to_applicant=False,
    )
    decision.status = "approved"
    decision.approver = approver
    decision.approved_at = utcnow()
    decision.board_decision = board_decision
    decision.decided_on = local_today()
    action = "grant" if decision.kind == "grant" else "refuse"
    fire(case, action, None, after={"decision": decision.kind})
    _send(case, decision, approver, "grant" if decision.kind == "grant" else "refusal")
    db.session.commit()
    return decision


def send_back(case: Case, approver: User, note: str, expected_version: int | None) -> Decision:
    check_version(case, expected_version)
    if not note.strip():
        raise InvalidInput(_("Say what needs to change."), "note")
    decision = _proposed(case)
    fire(case, "send_back", approver, after={"note": note.strip()}, visible_to_applicant=False)
    decision.status = "sent_back"
    decision.send_back_note = note.strip()
    db.session.flush()
    if decision.proposer:
        notifications.queue(
            recipient=decision.proposer,
            template="proposal_sent_back",
            dedupe_key=f"decision:{decision.id}:sent_back",
            case=case,
            context={"reference": case.reference, "title": case.title, "note": note.strip()},
        )
    db.session.commit()
    return decision


def _proposed(case: Case) -> Decision:
    decision = pending_decision(case)
    if decision is None or decision.status != "proposed":
        raise NotAllowed(_("There is no decision proposal to approve."))
    return decision


def _send(case: Case, decision: Decision, signer: User, letter_kind: str) -> None:
    decision.objection_deadline = terms.objection_deadline(decision.decided_on).end
    decision.sent_at = utcnow()
    decision.status = "sent"
    db.session.flush()
    context = letter_context(case, decision, signer)
    decision.letter = correspondence.send_letter(
        case, letter_kind, signer, context, f"decision:{decision.id}:sent"
    )


def letter_kind(case: Case, decision: Decision) -> str:
    if decision.kind == "refusal":
        return "refusal"
    return "grant_light" if case.tier == "light" else "grant"


def letter_context(case: Case, decision: Decision, signer: User) -> dict[str, object]:
    rules = tiers.DEFAULT_RULES[tiers.Tier(case.tier)]
    report_deadline: date | None = None
    if rules.report_weeks_after_period:
        report_deadline = case.period_end + timedelta(weeks=rules.report_weeks_after_period)
    objection_deadline = decision.objection_deadline or terms.objection_deadline(local_today()).end
    return correspondence.letter_context(
        case,
        letter_kind(case, decision),
        signer,
        decided_on=decision.decided_on,
        motivation=decision.motivation,
        objection_deadline=objection_deadline,
        amount_cents=decision.amount_cents,
        amounts_by_year=decision.amounts_by_year,
        conditions=decision.conditions,
        obligations=_obligations(case, rules),
        period_start=case.period_start,
        period_end=case.period_end,
        later_years_conditional=len(decision.amounts_by_year) > 1,
        report_deadline=report_deadline,
        advance_percentage=rules.advance_percentage,
        refusal_reason_text=REFUSAL_REASON_LETTER_TEXTS.get(decision.refusal_reason or "", ""),
    )


def _obligations(case: Case, rules: tiers.TierRules) -> list[str]:
    if case.tier == "light":
        return ["U werkt mee aan de steekproef als wij daarom vragen."]
    items = [
        "U meldt het ons direct als de activiteiten niet of anders doorgaan.",
        "U dient na afloop een inhoudelijk en financieel verslag in.",
    ]
    if case.tier == "extended":
        items.append("U stuurt ons elk half jaar een voortgangsrapportage.")
    threshold = rules.auditor_statement_above_cents
    if threshold is not None and case.requested_cents > threshold:
        items.append("Bij de jaarrekening voegt u een controleverklaring van een accountant.")
    return items


def preview_letter(case: Case, decision: Decision, viewer: User) -> bytes:
    """The letter as it would be sent today, for checking before approval."""
    return letters.render_pdf(letter_kind(case, decision), letter_context(case, decision, viewer))
