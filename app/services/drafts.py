"""Draft applications: saved half-way, continued later, checked and then submitted.

A draft is a Case in status "draft" without reference, date of receipt or decision deadline.
Only the title is required to save one. Where the case table needs a value the applicant
has not given yet, the draft stores a neutral placeholder: description "" , requested amount
0, the period today..today, and the area of the chosen neighbourhood (or the first area
when none is chosen yet). The summary page and full validation at submission catch them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import (
    Area,
    Case,
    CaseAnswer,
    CaseYearAmount,
    CoApplicant,
    Document,
    Neighbourhood,
    Regulation,
    User,
)
from app.models.types import utcnow
from app.services import storage, submission, transitions
from app.services.clock import local_today
from app.services.errors import InvalidInput, NotAllowed, StaleCase
from app.services.uploads import Upload
from workflows import lifecycle

DRAFT = lifecycle.State.DRAFT.value


@dataclass(frozen=True)
class InitiativeFields:
    """The first step: what the initiative is and where; only the title must be given."""

    title: str
    description: str = ""
    target_group: str = ""
    activities: str = ""
    expected_results: str = ""
    neighbourhood_id: int | None = None

    def apply(self, user: User, draft: Case) -> None:
        title = self.title.strip()
        if not title:
            raise InvalidInput(_("Give your initiative a name to save it as a draft."), "title")
        if len(title) > 200:
            raise InvalidInput(_("Use at most 200 characters."), "title")
        neighbourhood = (
            db.session.get(Neighbourhood, self.neighbourhood_id) if self.neighbourhood_id else None
        )
        draft.title = title
        draft.description = self.description.strip()
        draft.target_group = self.target_group.strip()
        draft.activities = self.activities.strip()
        draft.expected_results = self.expected_results.strip()
        draft.neighbourhood = neighbourhood
        draft.area = (
            db.session.get(Area, neighbourhood.area_id)
            if neighbourhood
            else db.session.scalar(select(Area).order_by(Area.id))
        )


@dataclass(frozen=True)
class ApplicantFields:
    """Who applies: the person, an informal group with co-applicants, or an organisation."""

    applicant_kind: str | None = None
    organisation_id: int | None = None
    group_name: str = ""
    co_applicants: tuple[tuple[str, str], ...] = ()  # (name, e-mail)

    def apply(self, user: User, draft: Case) -> None:
        member_of = {m.organisation_id for m in submission.memberships(user)}
        if self.applicant_kind in applicant_kinds(draft.regulation):
            draft.applicant_kind = self.applicant_kind
        is_organisation = draft.applicant_kind == "organisation"
        draft.organisation_id = (
            self.organisation_id if is_organisation and self.organisation_id in member_of else None
        )
        is_group = draft.applicant_kind == "informal_group"
        draft.group_name = (self.group_name.strip() or None) if is_group else None
        draft.co_applicants = [
            CoApplicant(position=position, name=name.strip()[:200], email=email.strip()[:254])
            for position, (name, email) in enumerate(self.co_applicants if is_group else ())
            if name.strip()
        ]


@dataclass(frozen=True)
class MoneyFields:
    """The period and the amount, or the amount of each year; None where nothing valid."""

    requested_cents: int | None = None
    year_amounts: dict[int, int] | None = None
    period_start: date | None = None
    period_end: date | None = None

    def apply(self, user: User, draft: Case) -> None:
        today = local_today()
        draft.period_start = self.period_start or today
        draft.period_end = self.period_end or self.period_start or today
        years = {y: c for y, c in (self.year_amounts or {}).items() if c}
        draft.requested_cents = sum(years.values()) if years else (self.requested_cents or 0)
        set_year_amounts(draft, years)


def set_year_amounts(case: Case, years: dict[int, int]) -> None:
    """Change the amounts per year in place: a row replaced in one flush breaks the unique
    (case, year) key, since the insert goes before the delete."""
    for row in list(case.year_amounts):
        if row.year in years:
            row.requested_cents = years[row.year]
        else:
            case.year_amounts.remove(row)
    known = {row.year for row in case.year_amounts}
    for year, cents in sorted(years.items()):
        if year not in known:
            case.year_amounts.append(CaseYearAmount(year=year, requested_cents=cents))


@dataclass(frozen=True)
class AnswerFields:
    """Answers to the regulation's questions by key: None clears one, a missing key keeps it."""

    answers: dict[str, object | None] = field(default_factory=dict)

    def apply(self, user: User, draft: Case) -> None:
        stored = {answer.question.key: answer for answer in draft.answers}
        for question in draft.regulation.questions:
            if question.key not in self.answers:
                continue
            value = self.answers[question.key]
            if value is None and question.key in stored:
                draft.answers.remove(stored[question.key])
            elif value is not None and question.key in stored:
                stored[question.key].value = value
            elif value is not None:
                draft.answers.append(CaseAnswer(question=question, value=value))


@dataclass(frozen=True)
class FilesOnly:
    """A step that sends only files."""

    def apply(self, user: User, draft: Case) -> None:
        return None


StepFields = InitiativeFields | ApplicantFields | MoneyFields | AnswerFields | FilesOnly


def applicant_kinds(regulation: Regulation) -> list[str]:
    """Who may apply for the regulation, in the order the form offers them."""
    return [
        k for k in ("resident", "informal_group", "organisation") if k in regulation.applicant_kinds
    ]


def save_draft(
    user: User,
    regulation: Regulation,
    fields: StepFields,
    uploads: tuple[tuple[str, Upload], ...] = (),
    draft: Case | None = None,
    expected_version: int | None = None,
    token: str | None = None,
) -> Case:
    """Create a draft (from the first step) or save one step of it.

    A stale version raises StaleCase and changes nothing; the first step sent again with
    the same token (a double click, autosave before the click) saves into the same draft."""
    if draft is None and token:
        draft = submission.case_with_token(user, token)
    if draft is None:
        if not submission.is_accepting(regulation):
            raise InvalidInput(_("This regulation is closed for applications."))
        draft = _new_draft(user, regulation, token)
    else:
        _check_draft(user, draft)
        transitions.check_version(draft, expected_version)
    with db.session.no_autoflush:
        fields.apply(user, draft)
    db.session.add(draft)
    for kind, upload in uploads:
        _replace_document(user, draft, kind, upload)
    draft.updated_at = utcnow()  # a new version even when only documents changed
    transitions.commit_or_stale()
    return draft


def _new_draft(user: User, regulation: Regulation, token: str | None) -> Case:
    member_of = submission.memberships(user)
    kinds = applicant_kinds(regulation)
    preferred = "organisation" if member_of and "organisation" in kinds else kinds[0]
    today = local_today()
    return Case(
        regulation=regulation,
        applicant=user,
        tier=regulation.tier,
        status=DRAFT,
        submission_token=token,
        applicant_kind=preferred,
        organisation_id=member_of[0].organisation_id if preferred == "organisation" else None,
        description="",
        requested_cents=0,
        period_start=today,
        period_end=today,
    )


def _replace_document(user: User, draft: Case, kind: str, upload: Upload) -> None:
    """A new file for a document kind replaces the one stored before."""
    for old in storage.documents_of(draft):
        if old.kind == kind:
            _remove(old)
    storage.store(draft, kind, upload.filename, upload.media_type, upload.data, user)


def _remove(document: Document) -> None:
    path = storage.path_of(document)
    db.session.delete(document)
    db.session.flush()
    path.unlink(missing_ok=True)


def delete_document(user: User, draft: Case, document_id: int) -> None:
    _check_draft(user, draft)
    document = db.session.get(Document, document_id)
    if document is None or document.case_id != draft.id:
        raise InvalidInput(_("This document is not part of your draft."))
    _remove(document)
    draft.updated_at = utcnow()
    transitions.commit_or_stale()


def application_of(draft: Case) -> submission.Application:
    """The draft as an application, for the summary and the full check."""
    years = {a.year: a.requested_cents for a in draft.year_amounts}
    return submission.Application(
        applicant_kind=draft.applicant_kind,
        group_name=draft.group_name or "",
        co_applicants=tuple((c.name, c.email) for c in draft.co_applicants),
        answers={answer.question.key: answer.value for answer in draft.answers},
        title=draft.title,
        description=draft.description,
        neighbourhood_id=draft.neighbourhood_id or 0,
        requested_cents=draft.requested_cents,
        period_start=draft.period_start,
        period_end=draft.period_end,
        target_group=draft.target_group,
        activities=draft.activities,
        expected_results=draft.expected_results,
        year_amounts=years if len(years) > 1 or draft.regulation.max_years > 1 else None,
        organisation_id=draft.organisation_id,
    )


def problems(user: User, draft: Case) -> list[InvalidInput]:
    """Everything that still stops the draft from being submitted, in the form's order."""
    application = application_of(draft)
    found = [
        InvalidInput(_("Fill in this question."), name)
        for name in _required_texts(draft)
        if not getattr(application, name).strip()
    ]
    stored = frozenset(d.kind for d in storage.documents_of(draft))
    return [*found, *submission.problems(draft.regulation, application, user, stored)]


def _required_texts(draft: Case) -> list[str]:
    if draft.tier == "light":
        return ["description"]
    return ["description", "target_group", "activities", "expected_results"]


def submit_draft(user: User, draft: Case, expected_version: int | None) -> Case:
    """Validate fully, fire "submit", give reference and terms, record and acknowledge."""
    _check_draft(user, draft)
    transitions.check_version(draft, expected_version)
    found = problems(user, draft)
    if found:
        raise found[0]
    set_year_amounts(draft, application_of(draft).amounts_by_year())
    submission.receive(draft, draft.regulation)
    transitions.fire(draft, "submit", user, after={"reference": draft.reference})
    try:
        db.session.flush()
    except StaleDataError as exc:  # a simultaneous second submit
        db.session.rollback()
        raise StaleCase(_("This application was already submitted.")) from exc
    submission.acknowledge(draft, user)
    db.session.commit()
    return draft


def _check_draft(user: User, draft: Case) -> None:
    if draft.applicant_id != user.id:
        raise NotAllowed(_("This is not your draft."))
    if draft.status != DRAFT:
        raise NotAllowed(_("This application is no longer a draft."))
