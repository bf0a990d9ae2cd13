"""The steps of the application form: which a regulation has, and how each reads its form.

Every step saves what was typed as the draft (leniently: what does not parse is left out and
shown as an error); "next" then also checks the step against the draft's problems, so the
rules live once, in the services.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask import g
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.validators import ValidationError

from app.extensions import db
from app.forms import MoneyField, parse_money
from app.labels import APPLICANT_KIND_LABELS
from app.models import Area, Case, Regulation
from app.portal import forms
from app.services import drafts, questions, storage, submission, uploads
from app.services.clock import local_today
from app.services.errors import InvalidInput

FIELD_STEPS = {
    "title": "initiative",
    "description": "initiative",
    "target_group": "initiative",
    "activities": "initiative",
    "expected_results": "initiative",
    "neighbourhood_id": "initiative",
    "applicant_kind": "applicant",
    "organisation_id": "applicant",
    "group_name": "applicant",
    "co_name_1": "applicant",
    "requested_amount": "money",
    "period_start": "money",
    "period_end": "money",
    "photo": "documents",
}
PREFIX_STEPS = (("question_", "questions"), ("document_", "documents"), ("amount_", "money"))

Uploads = tuple[tuple[str, uploads.Upload], ...]


def steps_for(regulation: Regulation) -> list[str]:
    """The steps of a regulation's form, without the final check."""
    steps = ["initiative", "applicant", "money"]
    if regulation.questions:
        steps.append("questions")
    if regulation.required_documents or regulation.tier == "light":
        steps.append("documents")
    return steps


def step_of(field: str | None) -> str | None:
    """The step that asks for a field; None for problems of the application as a whole."""
    if field is None:
        return None
    for prefix, step in PREFIX_STEPS:
        if field.startswith(prefix):
            return step
    return FIELD_STEPS.get(field)


def amount_years(regulation: Regulation) -> list[int]:
    """The calendar years a multi-year application may ask amounts for."""
    if regulation.max_years <= 1:
        return []
    first = local_today().year
    years = range(first, first + regulation.max_years + 1)
    return [
        year
        for year in years
        if (regulation.period_start is None or year >= regulation.period_start.year)
        and (regulation.period_end is None or year <= regulation.period_end.year)
    ]


def document_labels(regulation: Regulation) -> list[tuple[str, str]]:
    return [(d["key"], d.get(g.locale) or d["nl"]) for d in regulation.required_documents]


class StepPage:
    """One step: its form, how a draft fills it, and what of it a draft saves."""

    key = ""

    def __init__(self, regulation: Regulation, draft: Case | None) -> None:
        self.regulation = regulation
        self.draft = draft
        self.form = self.build()
        self.field_errors: dict[str, str] = {}

    @property
    def saved(self) -> Case:
        """The draft; every step after the first has one."""
        assert self.draft is not None
        return self.draft

    def build(self) -> FlaskForm:
        raise NotImplementedError

    def prefill(self, draft: Case) -> None:
        raise NotImplementedError

    def fields(self) -> drafts.StepFields:
        raise NotImplementedError

    def file_fields(self) -> Iterator[tuple[str, str, bool]]:
        """(field name, document kind, photos only) of the files this step takes."""
        return iter(())

    def uploads(self) -> Uploads:
        """The files sent, each checked by content; refused ones become field errors."""
        checked = []
        for name, kind, photo_only in self.file_fields():
            field = getattr(self.form, name, None)
            if field is None or not field.data:
                continue
            try:
                checked.append(
                    (
                        kind,
                        uploads.check(
                            name, field.data.filename or "", field.data.read(), photo_only
                        ),
                    )
                )
            except InvalidInput as exc:
                self.field_errors[name] = exc.message
        return tuple(checked)

    def check_form(self, strict: bool) -> None:
        """All of the form's own checks, or (not strict) only those of what does not parse:
        a value that cannot be stored stops every button, so nothing typed gets lost."""
        if strict:
            self.form.validate()
            return
        self.form.form_errors = []
        for field in self.form:
            field.errors = list(field.process_errors)
            if isinstance(field, MoneyField):
                try:
                    field.pre_validate(self.form)
                except ValidationError as exc:
                    field.errors.append(str(exc))

    def show_errors(self, problems: list[InvalidInput]) -> None:
        """Put what did not parse or upload, and this step's problems, next to their fields."""
        for name, message in self.field_errors.items():
            getattr(self.form, name).errors = [message]
        for problem in problems:
            if step_of(problem.field) != self.key:
                continue
            field = self._field_for(problem.field or "")
            if field is not None and not field.errors:
                field.errors = [problem.message]
            elif field is None:
                self.form.form_errors.append(problem.message)

    def _field_for(self, name: str) -> object | None:
        field = getattr(self.form, name, None)
        if field is None and name == "requested_amount":
            years = [n for n in self.form._fields if n.startswith("amount_")]
            field = getattr(self.form, years[0]) if years else None
        return field

    def has_errors(self) -> bool:
        return bool(self.form.form_errors) or any(f.errors for f in self.form)

    def context(self) -> dict[str, object]:
        return {}


def _text(form: FlaskForm, name: str) -> str:
    field = getattr(form, name, None)
    return (field.data or "") if field is not None else ""


def _parsed_cents(text: str | None) -> int | None:
    try:
        return parse_money(text) if text else None
    except ValueError:
        return None


class InitiativeStep(StepPage):
    key = "initiative"
    names = ("title", "description", "target_group", "activities", "expected_results")

    def build(self) -> FlaskForm:
        form_class = (
            forms.TheoryOfChangeForm if self.regulation.tier != "light" else forms.InitiativeForm
        )
        form = form_class()
        form.neighbourhood_id.choices = _neighbourhood_choices()
        return form

    def prefill(self, draft: Case) -> None:
        for name in self.names:
            field = getattr(self.form, name, None)
            if field is not None:
                field.data = getattr(draft, name)
        self.form.neighbourhood_id.data = draft.neighbourhood_id or 0

    def fields(self) -> drafts.InitiativeFields:
        neighbourhood = self.form.neighbourhood_id
        return drafts.InitiativeFields(
            **{name: _text(self.form, name) for name in self.names},
            neighbourhood_id=None if neighbourhood.process_errors else neighbourhood.data or None,
        )


def _neighbourhood_choices() -> dict[str, list[tuple[int, str]]]:
    areas = db.session.scalars(select(Area).order_by(Area.name)).all()
    return {
        "": [(0, "—")],
        **{area.name: [(n.id, n.name) for n in area.neighbourhoods] for area in areas},
    }


class ApplicantStep(StepPage):
    key = "applicant"

    def build(self) -> FlaskForm:
        form = forms.ApplicantForm()
        kinds = drafts.applicant_kinds(self.regulation)
        form.applicant_kind.choices = [(kind, APPLICANT_KIND_LABELS[kind]) for kind in kinds]
        form.organisation_id.choices = [(0, "—")] + [
            (m.organisation_id, m.organisation.name) for m in submission.memberships(current_user)
        ]
        return form

    def prefill(self, draft: Case) -> None:
        self.form.applicant_kind.data = draft.applicant_kind
        self.form.organisation_id.data = draft.organisation_id or 0
        self.form.group_name.data = draft.group_name or ""
        for row, co_applicant in enumerate(draft.co_applicants[: forms.CO_APPLICANT_ROWS], 1):
            getattr(self.form, f"co_name_{row}").data = co_applicant.name
            getattr(self.form, f"co_email_{row}").data = co_applicant.email

    def fields(self) -> drafts.ApplicantFields:
        organisation = self.form.organisation_id
        return drafts.ApplicantFields(
            applicant_kind=self.form.applicant_kind.data,
            organisation_id=None if organisation.process_errors else organisation.data or None,
            group_name=self.form.group_name.data or "",
            co_applicants=tuple(self._co_applicants()),
        )

    def _co_applicants(self) -> Iterator[tuple[str, str]]:
        for row in range(1, forms.CO_APPLICANT_ROWS + 1):
            name, email = (getattr(self.form, f"co_{part}_{row}") for part in ("name", "email"))
            if name.data and not email.errors:
                yield name.data, email.data or ""

    def context(self) -> dict[str, object]:
        return {
            "members_of": len(self.form.organisation_id.choices) > 1,
            "rows": range(1, forms.CO_APPLICANT_ROWS + 1),
        }


class MoneyStep(StepPage):
    key = "money"

    def build(self) -> FlaskForm:
        self.years = amount_years(self.regulation)
        return forms.money_form(self.years)

    def prefill(self, draft: Case) -> None:
        if self.years:
            for amount in draft.year_amounts:
                field = getattr(self.form, f"amount_{amount.year}", None)
                if field is not None:
                    field.data = questions.money_text(amount.requested_cents)
        elif draft.requested_cents:
            self.form.requested_amount.data = questions.money_text(draft.requested_cents)
        # A new draft holds the placeholder period today..today: show empty dates instead.
        if draft.requested_cents or draft.period_start != draft.period_end:
            self.form.period_start.data = draft.period_start
            self.form.period_end.data = draft.period_end

    def fields(self) -> drafts.MoneyFields:
        amount = getattr(self.form, "requested_amount", None)
        return drafts.MoneyFields(
            requested_cents=_parsed_cents(amount.data) if amount is not None else None,
            year_amounts={
                year: cents
                for year in self.years
                if (cents := _parsed_cents(getattr(self.form, f"amount_{year}").data))
            }
            or None,
            period_start=_valid_date(self.form.period_start),
            period_end=_valid_date(self.form.period_end),
        )

    def context(self) -> dict[str, object]:
        return {"years": self.years}


def _valid_date(field: object) -> date | None:
    return None if field.process_errors else field.data  # type: ignore[attr-defined]


class QuestionsStep(StepPage):
    key = "questions"

    def build(self) -> FlaskForm:
        self.years = list(range(self.saved.period_start.year, self.saved.period_end.year + 1))
        form = forms.questions_form(self.regulation.questions, self.years, g.locale)
        for question in self.regulation.questions:
            if question.kind == "choice":
                getattr(form, question.field_name).choices = [
                    (c["value"], c.get(g.locale) or c["nl"]) for c in question.choices
                ]
        return form

    def prefill(self, draft: Case) -> None:
        for answer in draft.answers:
            question = answer.question
            text = questions.raw_text(question, answer.value)
            if isinstance(text, dict):
                for year, amount in text.items():
                    field = getattr(self.form, f"{question.field_name}_{year}", None)
                    if field is not None:
                        field.data = amount
            else:
                getattr(self.form, question.field_name).data = text

    def fields(self) -> drafts.AnswerFields:
        answers: dict[str, object | None] = {}
        for question in self.regulation.questions:
            if question.kind == "file":
                continue
            try:
                answers[question.key] = questions.parse(question, self._raw(question))
            except ValueError as exc:
                self.field_errors[self._error_field(question)] = str(exc)
        return drafts.AnswerFields(answers)

    def _raw(self, question: object) -> questions.Raw:
        name = question.field_name  # type: ignore[attr-defined]
        if question.kind == "year_amounts":  # type: ignore[attr-defined]
            return {year: getattr(self.form, f"{name}_{year}").data or "" for year in self.years}
        return getattr(self.form, name).data or ""

    def _error_field(self, question: object) -> str:
        name = question.field_name  # type: ignore[attr-defined]
        if question.kind == "year_amounts":  # type: ignore[attr-defined]
            return f"{name}_{self.years[0]}"
        return name

    def _field_for(self, name: str) -> object | None:
        field = getattr(self.form, name, None)
        if field is None and self.years:
            field = getattr(self.form, f"{name}_{self.years[0]}", None)
        return field

    def file_fields(self) -> Iterator[tuple[str, str, bool]]:
        for question in self.regulation.questions:
            if question.kind == "file":
                yield question.field_name, questions.document_kind(question), False

    def context(self) -> dict[str, object]:
        stored = {d.kind: d for d in storage.documents_of(self.saved)}
        return {"years": self.years, "stored": stored, "questions": self.regulation.questions}


class DocumentsStep(StepPage):
    key = "documents"

    def build(self) -> FlaskForm:
        return forms.documents_form(
            document_labels(self.regulation), self.regulation.tier == "light"
        )

    def prefill(self, draft: Case) -> None:
        return None

    def fields(self) -> drafts.FilesOnly:
        return drafts.FilesOnly()

    def file_fields(self) -> Iterator[tuple[str, str, bool]]:
        for key, _label in document_labels(self.regulation):
            yield f"document_{key}", key, False
        if self.regulation.tier == "light":
            yield "photo", "photo", True

    def context(self) -> dict[str, object]:
        kinds = {kind for _name, kind, _photo in self.file_fields()}
        documents = storage.documents_of(self.saved)
        return {"documents": [d for d in documents if d.kind in kinds]}


PAGES: dict[str, type[StepPage]] = {
    page.key: page
    for page in (InitiativeStep, ApplicantStep, MoneyStep, QuestionsStep, DocumentsStep)
}
