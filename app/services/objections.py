"""Objections (bezwaar): registration, admissibility against the term, decision."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import OUTCOMES, Case, Decision, Objection, User
from app.services import attachments, correspondence, events, notifications
from app.services.clock import AMSTERDAM, local_today
from app.services.errors import InvalidInput, NotAllowed, received_between
from app.services.transitions import check_version, fire
from app.services.uploads import Upload
from workflows import lifecycle, terms


def last_sent_decision(case: Case) -> Decision | None:
    return db.session.scalar(
        select(Decision)
        .where(Decision.case_id == case.id, Decision.status == "sent")
        .order_by(Decision.id.desc())
    )


def open_objection(case: Case) -> Objection | None:
    return db.session.scalar(
        select(Objection)
        .where(Objection.case_id == case.id, Objection.outcome.is_(None))
        .order_by(Objection.id.desc())
    )


def sent_on(decision: Decision) -> date:
    return (
        decision.sent_at.astimezone(AMSTERDAM).date() if decision.sent_at else decision.decided_on
    )


def register(
    case: Case,
    actor: User,
    grounds: str,
    received_on: date | None,
    channel: str,
    lateness_reason: str,
    advisory_committee: bool,
    expected_version: int | None,
    files: tuple[Upload, ...] = (),
) -> Objection:
    """Record an objection received online or on paper, with the files sent with it; the
    term decides admissibility."""
    check_version(case, expected_version)
    decision = last_sent_decision(case)
    if decision is None:
        raise NotAllowed(_("There is no decision to object to."))
    if not grounds.strip():
        raise InvalidInput(_("Give the grounds of the objection."), "grounds")
    received_on = received_between(
        received_on,
        sent_on(decision),
        local_today(),
        _("The date of receipt lies between the decision and today."),
        "received_on",
    )
    in_time = terms.is_objection_in_time(sent_on(decision), received_on)
    if not in_time and not lateness_reason.strip():
        raise InvalidInput(
            _("This objection is late. Record why it is late (Awb 6:11)."), "lateness_reason"
        )
    term_end = terms.objection_deadline(sent_on(decision)).end
    objection = Objection(
        case=case,
        decision=decision,
        received_on=received_on,
        channel=channel,
        grounds=grounds.strip(),
        in_time=in_time,
        lateness_reason=lateness_reason.strip(),
        advisory_committee=advisory_committee,
        decision_deadline=terms.objection_decision_deadline(term_end, advisory_committee).end,
        registered_by=actor,
    )
    db.session.add(objection)
    fire(
        case,
        "object",
        actor,
        after={
            "in_time": in_time,
            "received_on": str(received_on),
            "files": [f.filename for f in files],
        },
    )
    attachments.store(case, attachments.OBJECTION, files, actor)
    db.session.flush()
    _tell_objector(case, objection, "objection_received", "received")
    db.session.commit()
    return objection


def decide(
    case: Case,
    officer: User,
    outcome: str,
    motivation: str,
    hearing_on: date | None,
    lateness_excusable: bool | None,
    expected_version: int | None,
) -> Objection:
    """Decide on the objection; someone other than the original decision's proposer decides."""
    check_version(case, expected_version)
    objection = open_objection(case)
    if objection is None:
        raise NotAllowed(_("There is no open objection."))
    if outcome not in OUTCOMES:
        raise InvalidInput(_("Choose the outcome."), "outcome")
    if not motivation.strip():
        raise InvalidInput(_("Give the motivation for this decision."), "motivation")
    if not objection.in_time and lateness_excusable is None:
        raise InvalidInput(_("Say whether the lateness is excusable."), "lateness_excusable")
    ctx = lifecycle.GuardContext(
        tier="regular", actor_id=officer.id, proposer_id=objection.decision.proposer_id
    )
    fire(case, "decide_objection", officer, ctx=ctx, after={"outcome": outcome})
    objection.outcome = outcome
    objection.outcome_motivation = motivation.strip()
    objection.hearing_on = hearing_on
    objection.lateness_excusable = lateness_excusable
    objection.decided_on = local_today()
    objection.decided_by = officer
    db.session.flush()
    _send_decision_letter(case, objection, officer)
    if outcome == "well_founded":
        fire(case, "reopen", officer, ctx=lifecycle.GuardContext(objection_upheld=True))
        objection.decision.status = "revoked"
        term = terms.decision_deadline(local_today(), case.regulation.decision_term_weeks)
        case.decision_deadline = term.end
    db.session.commit()
    return objection


def _send_decision_letter(case: Case, objection: Objection, officer: User) -> None:
    context = correspondence.letter_context(
        case,
        "objection_decision",
        officer,
        motivation=objection.outcome_motivation,
        outcome=objection.outcome,
        objection_received_on=objection.received_on,
        appeal_deadline=terms.objection_deadline(local_today()).end,
    )
    correspondence.send_letter(
        case, "objection_decision", officer, context, f"objection:{objection.id}:decided"
    )


def extend_decision_term(case: Case, officer: User, expected_version: int | None) -> Objection:
    """Extend the term to decide on the objection once, by 6 weeks (Awb 7:10 lid 3)."""
    check_version(case, expected_version)
    objection = open_objection(case)
    if objection is None or objection.extended or not officer.has_role("officer", "team_lead"):
        raise NotAllowed(_("The term of this objection cannot be extended."))
    term_end = terms.objection_deadline(sent_on(objection.decision)).end
    before = objection.decision_deadline
    objection.extended = True
    objection.decision_deadline = terms.objection_decision_deadline(
        term_end, objection.advisory_committee, extended=True
    ).end
    events.record(
        case,
        "objection_term_extended",
        officer,
        before={"decision_deadline": str(before)},
        after={"decision_deadline": str(objection.decision_deadline)},
    )
    _tell_objector(case, objection, "objection_term_extended", "extended")
    db.session.commit()
    return objection


def _tell_objector(case: Case, objection: Objection, template: str, event: str) -> None:
    """Mail the objector the date by which we decide on the objection."""
    notifications.queue(
        recipient=case.applicant,
        template=template,
        dedupe_key=f"objection:{objection.id}:{event}",
        case=case,
        context={
            "reference": case.reference,
            "name": case.applicant.name,
            "decision_deadline": objection.decision_deadline.isoformat(),
        },
    )
