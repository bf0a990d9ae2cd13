"""Intake: completeness, information requests (Awb 4:5, 4:15), extension (4:14), notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Case, Decision, Document, InformationRequest, User
from app.models.types import utcnow
from app.services import attachments, correspondence, events
from app.services.clock import local_today
from app.services.errors import InvalidInput, NotAllowed, received_between
from app.services.transitions import (
    OPEN_STATES,
    check_version,
    fire,
    open_information_request,
    recompute_decision_deadline,
)
from app.services.uploads import Upload
from workflows import terms

MAX_ANSWER_WEEKS = 6
MAX_EXTENSION_WEEKS = 8


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    present: bool


def completeness(case: Case, locale: str) -> list[ChecklistItem]:
    """The regulation's required documents and whether the case has each."""
    kinds = set(db.session.scalars(select(Document.kind).where(Document.case_id == case.id)))
    return [
        ChecklistItem(item["key"], item.get(locale) or item["nl"], item["key"] in kinds)
        for item in case.regulation.required_documents
    ]


def start_intake(case: Case, officer: User, expected_version: int | None) -> None:
    check_version(case, expected_version)
    fire(case, "start_intake", officer)
    if case.assignee is None:
        case.assignee = officer
    db.session.commit()


def request_information(
    case: Case, officer: User, questions: str, weeks: int, expected_version: int | None
) -> InformationRequest:
    """Ask the applicant for what is missing; the decision term is suspended meanwhile."""
    check_version(case, expected_version)
    if not questions.strip():
        raise InvalidInput(_("Write the questions for the applicant."), "questions")
    if not 1 <= weeks <= MAX_ANSWER_WEEKS:
        raise InvalidInput(
            _("The answer term is 1 to %(n)d weeks.", n=MAX_ANSWER_WEEKS), "answer_weeks"
        )
    today = local_today()
    request = InformationRequest(
        case=case,
        questions=questions.strip(),
        sent_on=today,
        answer_deadline=terms.answer_deadline(today, weeks).end,
        requested_by=officer,
    )
    db.session.add(request)
    fire(
        case,
        "request_information",
        officer,
        after={"answer_deadline": str(request.answer_deadline)},
    )
    db.session.flush()
    recompute_decision_deadline(case)
    context = correspondence.letter_context(
        case,
        "information_request",
        officer,
        questions=request.questions,
        answer_deadline=request.answer_deadline,
    )
    correspondence.send_letter(
        case, "information_request", officer, context, f"information_request:{request.id}:sent"
    )
    db.session.commit()
    return request


def receive_answer(
    case: Case,
    actor: User,
    answer: str,
    answered_on: date | None,
    expected_version: int | None,
    files: tuple[Upload, ...] = (),
) -> InformationRequest:
    """Record the answer (online or on paper) with the files sent with it; the decision
    term resumes."""
    check_version(case, expected_version)
    request = open_information_request(case)
    if request is None:
        raise NotAllowed(_("There is no open information request."))
    if not answer.strip():
        raise InvalidInput(_("Write the answer or a summary of it."), "answer")
    answered_on = received_between(
        answered_on,
        request.sent_on,
        local_today(),
        _("The answer date lies between the request and today."),
        "answered_on",
    )
    request.answer = answer.strip()
    request.answered_on = answered_on
    request.answered_by = actor
    fire(
        case,
        "receive_answer",
        actor,
        after={"answered_on": str(answered_on), "files": [f.filename for f in files]},
    )
    attachments.store(case, attachments.ANSWER, files, actor)
    term = recompute_decision_deadline(case)
    events.record(
        case,
        "decision_deadline_moved",
        actor,
        after={"decision_deadline": str(term.end), "suspended_days": term.suspended_days},
    )
    db.session.commit()
    return request


def not_consider(
    case: Case, officer: User, motivation: str, expected_version: int | None
) -> Decision:
    """Decide not to consider an incomplete application after the answer term (Awb 4:5)."""
    check_version(case, expected_version)
    if not motivation.strip():
        raise InvalidInput(_("Give the motivation for this decision."), "motivation")
    request = open_information_request(case)
    today = local_today()
    if request and today > terms.not_considered_deadline(request.answer_deadline).end:
        raise NotAllowed(
            _(
                "The 4 weeks after the answer term have passed (Awb 4:5). "
                "Decide on the application as it is."
            )
        )
    fire(case, "not_consider", officer)
    decision = Decision(
        case=case,
        kind="not_considered",
        status="sent",
        motivation=motivation.strip(),
        legal_basis="Artikel 4:5 Algemene wet bestuursrecht",
        proposer=officer,
        approver=officer,
        decided_on=today,
        objection_deadline=terms.objection_deadline(today).end,
        sent_at=utcnow(),
    )
    db.session.add(decision)
    db.session.flush()
    context = correspondence.letter_context(
        case,
        "not_considered",
        officer,
        motivation=decision.motivation,
        objection_deadline=decision.objection_deadline,
        request_sent_on=request.sent_on,
        answer_deadline=request.answer_deadline,
    )
    decision.letter = correspondence.send_letter(
        case, "not_considered", officer, context, f"decision:{decision.id}:sent"
    )
    db.session.commit()
    return decision


def extend_term(
    case: Case, officer: User, weeks: int, motivation: str, expected_version: int | None
) -> terms.Term:
    """Verdaging (Awb 4:14): once, with a notice and the new date."""
    check_version(case, expected_version)
    if case.status not in OPEN_STATES or not officer.has_role("officer", "team_lead"):
        raise NotAllowed(_("The decision term of this case cannot be extended now."))
    if case.extension_weeks:
        raise NotAllowed(_("The decision term has already been extended once."))
    if not 1 <= weeks <= MAX_EXTENSION_WEEKS:
        raise InvalidInput(
            _("An extension is 1 to %(n)d weeks.", n=MAX_EXTENSION_WEEKS), "extension_weeks"
        )
    if not motivation.strip():
        raise InvalidInput(_("Say why more time is needed."), "motivation")
    old_deadline = case.decision_deadline
    case.extension_weeks = weeks
    term = recompute_decision_deadline(case)
    events.record(
        case,
        "term_extended",
        officer,
        before={"decision_deadline": str(old_deadline)},
        after={"decision_deadline": str(term.end), "weeks": weeks, "motivation": motivation},
    )
    context = correspondence.letter_context(
        case,
        "extension",
        officer,
        motivation=motivation.strip(),
        old_deadline=old_deadline,
        new_deadline=term.end,
        extension_weeks=weeks,
    )
    correspondence.send_letter(case, "extension", officer, context, f"case:{case.id}:extension")
    db.session.commit()
    return term


def add_note(case: Case, author: User, text: str) -> None:
    """An internal note: on the staff timeline, never shown to the applicant."""
    if not text.strip():
        raise InvalidInput(_("Write the note."), "note")
    events.record(case, "note", author, after={"text": text.strip()}, visible_to_applicant=False)
    db.session.commit()
