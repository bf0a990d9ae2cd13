"""Forms of the officer's case page: one per action."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import MoneyField

LONG_TEXT = Length(max=10000)


class VersionedForm(FlaskForm):
    """Every change to a case carries the version the officer saw (optimistic lock)."""

    version = HiddenField()


class ConfirmForm(VersionedForm):
    pass


class GrantForm(VersionedForm):
    amount = MoneyField(_l("Amount granted (euros)"), validators=[DataRequired()])
    motivation = TextAreaField(_l("Motivation"), validators=[DataRequired(), LONG_TEXT])


class InformationRequestForm(VersionedForm):
    questions = TextAreaField(
        _l("Questions for the applicant"), validators=[DataRequired(), LONG_TEXT]
    )
    answer_weeks = IntegerField(
        _l("Answer term in weeks"), default=2, validators=[InputRequired(), NumberRange(1, 6)]
    )


class AnswerForm(VersionedForm):
    answer = TextAreaField(_l("Answer received"), validators=[DataRequired(), LONG_TEXT])
    answered_on = DateField(_l("Received on"), validators=[Optional()])


class MotivationForm(VersionedForm):
    motivation = TextAreaField(_l("Motivation"), validators=[DataRequired(), LONG_TEXT])


class ExtensionForm(VersionedForm):
    extension_weeks = IntegerField(
        _l("Extension in weeks"), default=4, validators=[InputRequired(), NumberRange(1, 8)]
    )
    motivation = TextAreaField(
        _l("Why more time is needed"), validators=[DataRequired(), LONG_TEXT]
    )


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Internal note"), validators=[DataRequired(), LONG_TEXT])


class ApprovalForm(VersionedForm):
    board_decision = BooleanField(_l("This records a decision of the board (college)"))


class SendBackForm(VersionedForm):
    note = TextAreaField(_l("What needs to change"), validators=[DataRequired(), LONG_TEXT])


VERDICT_CHOICES = [
    ("fits", _l("Fits the area programme")),
    ("partly", _l("Partly fits")),
    ("does_not_fit", _l("Does not fit")),
]
SCORE_CHOICES = [
    (0, _l("0 — no contribution")),
    (1, _l("1 — small")),
    (2, _l("2 — clear")),
    (3, _l("3 — strong")),
]


def fit_assessment_form(goal_ids: list[int], prefix: str) -> FlaskForm:
    """A score and a note per programme goal, an overall verdict and a motivation."""

    class FitAssessmentForm(VersionedForm):
        verdict = RadioField(
            _l("Overall verdict"), choices=VERDICT_CHOICES, validators=[InputRequired()]
        )
        motivation = TextAreaField(_l("Motivation"), validators=[DataRequired(), LONG_TEXT])

    for goal_id in goal_ids:
        setattr(
            FitAssessmentForm,
            f"score_{goal_id}",
            SelectField(_l("Score"), choices=SCORE_CHOICES, coerce=int, default=0),
        )
        setattr(
            FitAssessmentForm, f"note_{goal_id}", TextAreaField(_l("Note"), validators=[LONG_TEXT])
        )
    return FitAssessmentForm(prefix=prefix)


def proposal_form(years: list[int], reasons: list[tuple[str, str]], prefix: str) -> FlaskForm:
    """Grant (an amount per year of the period) or refusal (with a reason)."""

    class ProposalForm(VersionedForm):
        kind = RadioField(
            _l("Decision"),
            choices=[("grant", _l("Grant")), ("refusal", _l("Refuse"))],
            default="grant",
            validators=[InputRequired()],
        )
        refusal_reason = SelectField(_l("Reason for refusal"), choices=[("", "—"), *reasons])
        conditions = TextAreaField(_l("Conditions"), validators=[LONG_TEXT])
        motivation = TextAreaField(_l("Motivation"), validators=[DataRequired(), LONG_TEXT])

    for year in years:
        setattr(ProposalForm, f"amount_{year}", MoneyField(_l("Amount for %(year)s", year=year)))
    return ProposalForm(prefix=prefix)


class ObjectionForm(VersionedForm):
    received_on = DateField(_l("Received on"), validators=[Optional()])
    channel = SelectField(
        _l("Received"), choices=[("paper", _l("On paper")), ("online", _l("Online"))]
    )
    grounds = TextAreaField(_l("Grounds of the objection"), validators=[DataRequired(), LONG_TEXT])
    lateness_reason = TextAreaField(
        _l("Why the objection is late (if late)"), validators=[LONG_TEXT]
    )
    advisory_committee = BooleanField(_l("An advisory committee hears this objection"))


class ObjectionDecisionForm(VersionedForm):
    outcome = RadioField(
        _l("Outcome"),
        choices=[
            ("well_founded", _l("Well-founded: the case is reopened for a new decision")),
            ("unfounded", _l("Unfounded: the decision stands")),
            ("inadmissible", _l("Inadmissible")),
        ],
        validators=[InputRequired()],
    )
    motivation = TextAreaField(_l("Motivation"), validators=[DataRequired(), LONG_TEXT])
    hearing_on = DateField(_l("Hearing held on"), validators=[Optional()])
    lateness_excusable = SelectField(
        _l("Lateness excusable (late objections only)"),
        choices=[("", _l("Not applicable")), ("yes", _l("Yes")), ("no", _l("No"))],
    )
