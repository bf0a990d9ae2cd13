"""Draft applications: saved half-way, continued later, checked and then submitted.

A draft is a Case in status "draft" without reference, date of receipt or decision deadline.
Only the title is required to save one. Where the case table needs a value the applicant
has not given yet, the draft stores a neutral placeholder: description "" , requested amount
0, the period today..today, and the area of the chosen neighbourhood (or the first area
when none is chosen yet). The summary page and full validation at submission catch them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import Area, Case, CaseYearAmount, Document, Neighbourhood, Regulation, User
from app.models.types import utcnow
from app.services import storage, submission, transitions
from app.services.clock import local_today
from app.services.errors import InvalidInput, NotAllowed, StaleCase
from app.services.uploads import Upload
from workflows import lifecycle

DRAFT = lifecycle.State.DRAFT.value


@dataclass(frozen=True)
class DraftFields:
    """What the applicant typed so far; None where nothing (valid) was given."""

    title: str
    description: str = ""
    target_group: str = ""
    activities: str = ""
    expected_results: str = ""
    neighbourhood_id: int | None = None
    organisation_id: int | None = None
    requested_cents: int | None = None
    year_amounts: dict[int, int] | None = None
    period_start: date | None = None
    period_end: date | None = None


def save_draft(
    user: User,
    regulation: Regulation,
    fields: DraftFields,
    uploads: tuple[tuple[str, Upload], ...],
    draft: Case | None = None,
    expected_version: int | None = None,
    token: str | None = None,
) -> Case:
    """Create or update a draft; a stale version raises StaleCase and changes nothing."""
    title = (fields.title or "").strip()
    if not title:
        raise InvalidInput(_("Give your initiative a name to save it as a draft."), "title")
    if len(title) > 200:
        raise InvalidInput(_("Use at most 200 characters."), "title")
    if draft is None:
        existing = submission.case_with_token(user, token) if token else None
        if existing is not None:
            return existing  # a double click on "Save as draft"
        if not regulation.is_open:
            raise InvalidInput(_("This regulation is closed for applications."))
        draft = Case(
            regulation=regulation,
            applicant=user,
            tier=regulation.tier,
            status=DRAFT,
            submission_token=token,
        )
    else:
        _check_draft(user, draft)
        transitions.check_version(draft, expected_version)
    with db.session.no_autoflush:
        _fill(user, draft, title, fields)
    db.session.add(draft)
    for kind, upload in uploads:
        _replace_document(user, draft, kind, upload)
    draft.updated_at = utcnow()  # a new version even when only documents changed
    transitions.commit_or_stale()
    return draft


def _fill(user: User, draft: Case, title: str, fields: DraftFields) -> None:
    neighbourhood = (
        db.session.get(Neighbourhood, fields.neighbourhood_id) if fields.neighbourhood_id else None
    )
    area = (
        db.session.get(Area, neighbourhood.area_id)
        if neighbourhood
        else db.session.scalar(select(Area).order_by(Area.id))
    )
    member_of = {m.organisation_id for m in submission.memberships(user)}
    today = local_today()
    draft.title = title
    draft.description = fields.description.strip()
    draft.target_group = fields.target_group.strip()
    draft.activities = fields.activities.strip()
    draft.expected_results = fields.expected_results.strip()
    draft.neighbourhood = neighbourhood
    draft.area = area
    draft.organisation_id = fields.organisation_id if fields.organisation_id in member_of else None
    draft.period_start = fields.period_start or today
    draft.period_end = fields.period_end or fields.period_start or today
    years = {y: c for y, c in (fields.year_amounts or {}).items() if c}
    draft.requested_cents = sum(years.values()) if years else (fields.requested_cents or 0)
    draft.year_amounts = [
        CaseYearAmount(year=year, requested_cents=cents) for year, cents in sorted(years.items())
    ]


def _replace_document(user: User, draft: Case, kind: str, upload: Upload) -> None:
    """A new file for a document kind replaces the one stored before."""
    for old in documents(draft):
        if old.kind == kind:
            _remove(old)
    storage.store(draft, kind, upload.filename, upload.media_type, upload.data, user)


def _remove(document: Document) -> None:
    path = storage.path_of(document)
    db.session.delete(document)
    db.session.flush()
    path.unlink(missing_ok=True)


def documents(draft: Case) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document).where(Document.case_id == draft.id).order_by(Document.id)
        )
    )


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
    """What still stops the draft from being submitted (the first problem found)."""
    try:
        _validate(user, draft, application_of(draft))
    except InvalidInput as exc:
        return [exc]
    return []


def _validate(user: User, draft: Case, application: submission.Application) -> Neighbourhood:
    required = ["description"]
    if draft.tier != "light":
        required += ["target_group", "activities", "expected_results"]
    for name in required:
        if not getattr(application, name).strip():
            raise InvalidInput(_("Fill in this question."), name)
    stored = frozenset(d.kind for d in documents(draft))
    return submission.validate(draft.regulation, application, user, stored)


def submit_draft(
    user: User, draft: Case, application: submission.Application, expected_version: int | None
) -> Case:
    """Validate fully, fire "submit", give reference and terms, record and acknowledge."""
    _check_draft(user, draft)
    transitions.check_version(draft, expected_version)
    neighbourhood = _validate(user, draft, application)
    submission.fill(draft, application, neighbourhood)
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
