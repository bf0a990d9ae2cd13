"""The forms of the applicant's pages; the application form comes in steps."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional
from wtforms.widgets import DateInput

from app.forms import MoneyField
from app.models import ApplicationQuestion
from app.services import attachments, uploads

CO_APPLICANT_ROWS = 5


class VersionedForm(FlaskForm):
    version = HiddenField()


class InitiativeForm(VersionedForm):
    title = StringField(_l("Name of your initiative"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("What do you want to do?"), validators=[DataRequired(), Length(max=10000)]
    )
    target_group = TextAreaField(_l("Who is it for?"), validators=[Length(max=5000)])
    neighbourhood_id = SelectField(
        _l("Neighbourhood or village"), coerce=int, validators=[InputRequired()]
    )
    submission_token = HiddenField()


class TheoryOfChangeForm(InitiativeForm):
    """Regular and extended tiers: problem, target group, activities, expected results."""

    description = TextAreaField(
        _l("Which problem do you want to tackle?"), validators=[DataRequired(), Length(max=10000)]
    )
    target_group = TextAreaField(
        _l("Who is it for?"), validators=[DataRequired(), Length(max=5000)]
    )
    activities = TextAreaField(
        _l("What will you do?"), validators=[DataRequired(), Length(max=10000)]
    )
    expected_results = TextAreaField(
        _l("What will it achieve?"), validators=[DataRequired(), Length(max=10000)]
    )


class ApplicantForm(VersionedForm):
    applicant_kind = RadioField(
        _l("Who applies?"), validators=[InputRequired()], validate_choice=False
    )
    organisation_id = SelectField(_l("Which organisation?"), coerce=int, validate_choice=False)
    group_name = StringField(_l("Name of your group"), validators=[Length(max=200)])


for _row in range(1, CO_APPLICANT_ROWS + 1):
    setattr(
        ApplicantForm,
        f"co_name_{_row}",
        StringField(_l("Name of member %(n)d", n=_row), validators=[Length(max=200)]),
    )
    setattr(
        ApplicantForm,
        f"co_email_{_row}",
        StringField(
            _l("E-mail address of member %(n)d (optional)", n=_row),
            validators=[Optional(), Email(), Length(max=254)],
        ),
    )


class MoneyForm(VersionedForm):
    period_start = DateField(_l("Start date"), validators=[DataRequired()])
    period_end = DateField(_l("End date"), validators=[DataRequired()])
    requested_amount = MoneyField(_l("Amount you apply for (euros)"), validators=[DataRequired()])


def money_form(years: list[int]) -> MoneyForm:
    """One amount, or an amount for each calendar year a multi-year grant may cover."""
    if not years:
        return MoneyForm()

    class YearsForm(MoneyForm):
        requested_amount = None

    for year in years:
        setattr(YearsForm, f"amount_{year}", MoneyField(_l("Amount for %(year)s", year=year)))
    return YearsForm()


def questions_form(
    questions: list[ApplicationQuestion], years: list[int], locale: str
) -> VersionedForm:
    """The regulation's own questions; answers are parsed and checked by the service."""

    class QuestionsForm(VersionedForm):
        pass

    for question in questions:
        if question.kind == "year_amounts":
            for year in years:
                setattr(
                    QuestionsForm,
                    f"{question.field_name}_{year}",
                    StringField(_l("Amount for %(year)s", year=year)),
                )
        else:
            setattr(QuestionsForm, question.field_name, _question_field(question, locale))
    return QuestionsForm()


def _question_field(question: ApplicationQuestion, locale: str) -> object:
    label = question.localized_label(locale)
    if question.kind == "long_text":
        return TextAreaField(label)
    if question.kind == "date":
        return StringField(label, widget=DateInput())
    if question.kind == "choice":
        return RadioField(label, choices=[], validate_choice=False)
    if question.kind == "file":
        return FileField(label)
    return StringField(label)


def documents_form(documents: list[tuple[str, str]], photo: bool) -> VersionedForm:
    """The regulation's required documents and, for small initiatives, an optional photo."""

    class DocumentsForm(VersionedForm):
        pass

    for key, label in documents:
        setattr(DocumentsForm, f"document_{key}", FileField(label))
    if photo:
        DocumentsForm.photo = FileField(_l("Photo (optional)"))
    return DocumentsForm()


def attachments_field() -> MultipleFileField:
    """Optional files sent with an answer or an objection; attachments.check judges them."""
    return MultipleFileField(
        _l("Files (optional)"),
        description=_l(
            "At most %(n)d files: PDF, Word, Excel, OpenDocument, JPG or PNG, "
            "at most %(mb)d MB per file.",
            n=attachments.MAX_FILES,
            mb=uploads.MAX_FILE_BYTES // 2**20,
        ),
    )


class AnswerForm(VersionedForm):
    answer = TextAreaField(_l("Your answer"), validators=[DataRequired(), Length(max=10000)])
    files = attachments_field()


class WithdrawForm(VersionedForm):
    pass


class ObjectionForm(VersionedForm):
    grounds = TextAreaField(
        _l("Why do you disagree with the decision?"), validators=[DataRequired(), Length(max=20000)]
    )
    lateness_reason = TextAreaField(
        _l("Why is your objection late?"), validators=[Length(max=5000)]
    )
    files = attachments_field()
