"""Submitting an application: validation, reference, statutory deadline, receipt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.formatting import format_money
from app.models import (
    Area,
    Case,
    CaseYearAmount,
    Neighbourhood,
    OrganisationMember,
    Regulation,
    User,
)
from app.services import events, notifications, storage, transitions
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
            select(Regulation).where(Regulation.is_open.is_(True)).order_by(Regulation.id)
        )
    )


def validate(
    regulation: Regulation,
    application: Application,
    applicant: User | None = None,
    stored_documents: frozenset[str] = frozenset(),
) -> Neighbourhood:
    """Check the application against its regulation; returns the neighbourhood.

    `stored_documents` are the document kinds already stored with a draft."""
    if not regulation.is_open:
        raise InvalidInput(_("This regulation is closed for applications."))
    if applicant is not None:
        _validate_applicant(regulation, application, applicant)
    neighbourhood = db.session.get(Neighbourhood, application.neighbourhood_id)
    if neighbourhood is None:
        raise InvalidInput(_("Choose the neighbourhood or village."), "neighbourhood_id")
    _validate_years(application)
    if application.total_cents > regulation.max_amount_cents:
        raise InvalidInput(
            _(
                "The maximum for this regulation is %(max)s.",
                max=format_money(regulation.max_amount_cents),
            ),
            "requested_amount",
        )
    if application.total_cents < max(regulation.min_amount_cents, 1):
        raise InvalidInput(
            _(
                "The minimum for this regulation is %(min)s.",
                min=format_money(max(regulation.min_amount_cents, 1)),
            ),
            "requested_amount",
        )
    _validate_period(regulation, application)
    _validate_documents(regulation, application, stored_documents)
    return neighbourhood


def _validate_documents(
    regulation: Regulation, application: Application, stored: frozenset[str]
) -> None:
    given = {kind for kind, _upload in application.documents} | stored
    for document in regulation.required_documents:
        if document["key"] not in given:
            raise InvalidInput(_("Add this document."), f"document_{document['key']}")


def _validate_period(regulation: Regulation, application: Application) -> None:
    if application.period_end < application.period_start:
        raise InvalidInput(_("The end date must be on or after the start date."), "period_end")
    years = application.period_end.year - application.period_start.year + 1
    if years > regulation.max_years:
        raise InvalidInput(
            _("This regulation funds at most %(n)d calendar year(s).", n=regulation.max_years),
            "period_end",
        )


def _validate_applicant(regulation: Regulation, application: Application, applicant: User) -> None:
    if application.organisation_id is None:
        if not {"resident", "informal_group"} & set(regulation.applicant_kinds):
            raise InvalidInput(
                _("Only organisations can apply for this regulation. Choose your organisation."),
                "organisation_id",
            )
        return
    member_of = {m.organisation_id for m in memberships(applicant)}
    if application.organisation_id not in member_of:
        raise InvalidInput(_("Choose an organisation you are a member of."), "organisation_id")


def memberships(user: User) -> list[OrganisationMember]:
    return list(
        db.session.scalars(select(OrganisationMember).where(OrganisationMember.user_id == user.id))
    )


def _validate_years(application: Application) -> None:
    if not application.year_amounts:
        return
    period = set(range(application.period_start.year, application.period_end.year + 1))
    given = {year for year, cents in application.year_amounts.items() if cents}
    if given != period:
        raise InvalidInput(
            _("Give an amount for each year of the period, and only for those years."),
            "requested_amount",
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
    case.organisation_id = application.organisation_id
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
