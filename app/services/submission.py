"""Submitting an application: validation, reference, statutory deadline, receipt."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.formatting import format_money
from app.models import (
    Area,
    Case,
    CaseAnswer,
    CaseYearAmount,
    CoApplicant,
    Neighbourhood,
    OrganisationMember,
    Regulation,
    User,
)
from app.services import events, notifications, questions, storage, transitions
from app.services.clock import local_today
from app.services.errors import InvalidInput
from app.services.references import next_reference
from app.services.uploads import Upload
from workflows import lifecycle, terms


@dataclass(frozen=True)
class Application:
    """What the applicant filled in."""

    title: str
    description: str
    neighbourhood_id: int
    requested_cents: int
    period_start: date
    period_end: date
    target_group: str = ""
    activities: str = ""
    expected_results: str = ""
    year_amounts: dict[int, int] | None = None  # multi-year: the amount of each year
    organisation_id: int | None = None
    documents: tuple[tuple[str, Upload], ...] = ()  # (document kind, checked upload)
    applicant_kind: str = "resident"  # resident, informal_group or organisation
    group_name: str = ""
    co_applicants: tuple[tuple[str, str], ...] = ()  # (name, e-mail) of an informal group
    answers: Mapping[str, object] = field(default_factory=dict)  # by question key

    def amounts_by_year(self) -> dict[int, int]:
        if self.year_amounts:
            return dict(sorted(self.year_amounts.items()))
        return {self.period_start.year: self.requested_cents}

    @property
    def total_cents(self) -> int:
        return sum(self.amounts_by_year().values())


def open_regulations() -> list[Regulation]:
    return list(
        db.session.scalars(
            select(Regulation)
            .where(
                Regulation.is_open.is_(True),
                or_(Regulation.closes_on.is_(None), Regulation.closes_on >= local_today()),
            )
            .order_by(Regulation.id)
        )
    )


def validate(
    regulation: Regulation,
    application: Application,
    applicant: User | None = None,
    stored_documents: frozenset[str] = frozenset(),
) -> Neighbourhood:
    """Check the application against its regulation; returns the neighbourhood.

    Raises the first problem found; `stored_documents` are the document kinds already
    stored with a draft."""
    for problem in problems(regulation, application, applicant, stored_documents):
        raise problem
    neighbourhood = db.session.get(Neighbourhood, application.neighbourhood_id)
    assert neighbourhood is not None
    return neighbourhood


def problems(
    regulation: Regulation,
    application: Application,
    applicant: User | None = None,
    stored_documents: frozenset[str] = frozenset(),
) -> Iterator[InvalidInput]:
    """Everything that stops the application from being submitted, in the form's order."""
    if not is_accepting(regulation):
        yield InvalidInput(_("This regulation is closed for applications."))
    if applicant is not None:
        yield from _applicant_problems(regulation, application, applicant)
    if db.session.get(Neighbourhood, application.neighbourhood_id) is None:
        yield InvalidInput(_("Choose the neighbourhood or village."), "neighbourhood_id")
    yield from _amount_problems(regulation, application)
    yield from _period_problems(regulation, application)
    yield from questions.problems(
        regulation,
        application.answers,
        stored_documents | {kind for kind, _upload in application.documents},
        application.amounts_by_year(),
    )
    yield from _document_problems(regulation, application, stored_documents)


def is_accepting(regulation: Regulation) -> bool:
    """Open, and its closing date (if any) not passed."""
    return regulation.is_open and (
        regulation.closes_on is None or local_today() <= regulation.closes_on
    )


def _amount_problems(regulation: Regulation, application: Application) -> Iterator[InvalidInput]:
    if application.year_amounts:
        period = set(range(application.period_start.year, application.period_end.year + 1))
        given = {year for year, cents in application.year_amounts.items() if cents}
        if given != period:
            yield InvalidInput(
                _("Give an amount for each year of the period, and only for those years."),
                "requested_amount",
            )
            return
    if application.total_cents > regulation.max_amount_cents:
        yield InvalidInput(
            _(
                "The maximum for this regulation is %(max)s.",
                max=format_money(regulation.max_amount_cents),
            ),
            "requested_amount",
        )
    elif application.total_cents < max(regulation.min_amount_cents, 1):
        yield InvalidInput(
            _(
                "The minimum for this regulation is %(min)s.",
                min=format_money(max(regulation.min_amount_cents, 1)),
            ),
            "requested_amount",
        )


def _document_problems(
    regulation: Regulation, application: Application, stored: frozenset[str]
) -> Iterator[InvalidInput]:
    given = {kind for kind, _upload in application.documents} | stored
    for document in regulation.required_documents:
        if document["key"] not in given:
            yield InvalidInput(_("Add this document."), f"document_{document['key']}")


def _period_problems(regulation: Regulation, application: Application) -> Iterator[InvalidInput]:
    for name in ("period_start", "period_end"):
        message = questions.period_problem(regulation, getattr(application, name))
        if message:
            yield InvalidInput(message, name)
            return
    if application.period_end < application.period_start:
        yield InvalidInput(_("The end date must be on or after the start date."), "period_end")
        return
    years = application.period_end.year - application.period_start.year + 1
    if years > regulation.max_years:
        yield InvalidInput(
            _("This regulation funds at most %(n)d calendar year(s).", n=regulation.max_years),
            "period_end",
        )


def _applicant_problems(
    regulation: Regulation, application: Application, applicant: User
) -> Iterator[InvalidInput]:
    kind = application.applicant_kind
    if kind not in regulation.applicant_kinds:
        only_organisations = regulation.applicant_kinds == ["organisation"]
        yield InvalidInput(
            _("Only organisations can apply for this regulation. Choose your organisation.")
            if only_organisations
            else _("Choose who applies."),
            "organisation_id" if only_organisations else "applicant_kind",
        )
    elif kind == "organisation":
        member_of = {m.organisation_id for m in memberships(applicant)}
        if application.organisation_id not in member_of:
            yield InvalidInput(_("Choose an organisation you are a member of."), "organisation_id")
    elif kind == "informal_group":
        yield from _group_problems(application)


def _group_problems(application: Application) -> Iterator[InvalidInput]:
    if not (application.group_name or "").strip():
        yield InvalidInput(_("Give the name of your group."), "group_name")
    if not application.co_applicants:
        yield InvalidInput(
            _("Name at least one other member of your group who applies with you."),
            "co_name_1",
        )


def memberships(user: User) -> list[OrganisationMember]:
    return list(
        db.session.scalars(select(OrganisationMember).where(OrganisationMember.user_id == user.id))
    )


def submit(applicant: User, regulation: Regulation, application: Application, token: str) -> Case:
    """Create and submit the case once per token: a double submit returns the same case."""
    existing = case_with_token(applicant, token)
    if existing:
        return existing
    neighbourhood = validate(regulation, application, applicant)
    lifecycle.check(lifecycle.State.DRAFT, "submit", {"applicant"})
    case = _new_case(applicant, regulation, application, neighbourhood, token)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return case_with_token(applicant, token)
    for kind, upload in application.documents:
        storage.store(case, kind, upload.filename, upload.media_type, upload.data, applicant)
    events.record(
        case, "submitted", applicant, after={"status": case.status, "reference": case.reference}
    )
    acknowledge(case, applicant)
    db.session.commit()
    return case


def case_with_token(applicant: User, token: str) -> Case | None:
    return db.session.scalar(
        select(Case).where(Case.applicant_id == applicant.id, Case.submission_token == token)
    )


def _new_case(
    applicant: User,
    regulation: Regulation,
    application: Application,
    neighbourhood: Neighbourhood,
    token: str,
) -> Case:
    case = Case(
        regulation=regulation,
        applicant=applicant,
        tier=regulation.tier,
        status=lifecycle.State.SUBMITTED.value,
        submission_token=token,
    )
    fill(case, application, neighbourhood)
    receive(case, regulation)
    db.session.add(case)
    return case


def fill(case: Case, application: Application, neighbourhood: Neighbourhood) -> None:
    """Copy a validated application onto its case."""
    case.area = db.session.get(Area, neighbourhood.area_id)
    case.neighbourhood = neighbourhood
    case.title = application.title.strip()
    case.description = application.description.strip()
    case.target_group = application.target_group.strip()
    case.activities = application.activities.strip()
    case.expected_results = application.expected_results.strip()
    case.requested_cents = application.total_cents
    case.applicant_kind = application.applicant_kind
    case.organisation_id = application.organisation_id
    case.group_name = application.group_name.strip() or None
    case.co_applicants = [
        CoApplicant(position=position, name=name, email=email)
        for position, (name, email) in enumerate(application.co_applicants)
    ]
    by_key = {question.key: question for question in case.regulation.questions}
    case.answers = [
        CaseAnswer(question=by_key[key], value=value) for key, value in application.answers.items()
    ]
    case.period_start = application.period_start
    case.period_end = application.period_end
    case.year_amounts = _year_amounts(application)


def receive(case: Case, regulation: Regulation) -> None:
    """Give a submitted case its reference, date of receipt and statutory decision deadline."""
    received = local_today()
    case.reference = next_reference(received.year)
    case.received_on = received
    case.decision_deadline = terms.decision_deadline(received, regulation.decision_term_weeks).end


def acknowledge(case: Case, applicant: User) -> None:
    """Queue the receipt notification of a submitted case (once per case)."""
    notifications.queue(
        recipient=applicant,
        template="application_received",
        dedupe_key=f"case:{case.id}:received",
        case=case,
        context=_receipt_context(case),
    )


def _year_amounts(application: Application) -> list[CaseYearAmount]:
    return [
        CaseYearAmount(year=year, requested_cents=cents)
        for year, cents in application.amounts_by_year().items()
        if cents
    ]


def _receipt_context(case: Case) -> dict[str, object]:
    return {
        "reference": case.reference,
        "title": case.title,
        "name": case.applicant.name,
        "received_on": case.received_on.isoformat(),
        "decision_deadline": case.decision_deadline.isoformat(),
        "requested_cents": case.requested_cents,
    }


def withdraw(case: Case, applicant: User, expected_version: int | None) -> None:
    """The applicant withdraws an application that is not yet decided."""
    transitions.check_version(case, expected_version)
    transitions.fire(case, "withdraw", applicant)
    db.session.flush()
    if case.assignee:
        notifications.queue(
            recipient=case.assignee,
            template="application_withdrawn",
            dedupe_key=f"case:{case.id}:withdrawn",
            case=case,
            context={"reference": case.reference, "title": case.title, "name": case.assignee.name},
        )
    db.session.commit()
