from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.forms import MoneyField
from app.services import attachments, uploads


class ApplicationForm(FlaskForm):
    title = StringField(_l("Name of your initiative"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("What do you want to do?"), validators=[DataRequired(), Length(max=10000)]
    )
    neighbourhood_id = SelectField(
        _l("Neighbourhood or village"), coerce=int, validators=[InputRequired()]
    )
    target_group = TextAreaField(_l("Who is it for?"), validators=[Length(max=5000)])
    requested_amount = MoneyField(_l("Amount you apply for (euros)"), validators=[DataRequired()])
    period_start = DateField(_l("Start date"), validators=[DataRequired()])
    period_end = DateField(_l("End date"), validators=[DataRequired()])
    submission_token = HiddenField()
    version = HiddenField()


class TheoryOfChangeForm(ApplicationForm):
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


def application_form(
    theory_of_change: bool,
    organisations: list[tuple[int, str]],
    years: list[int],
    documents: list[tuple[str, str]],
    photo: bool,
) -> ApplicationForm:
    """The form for one regulation: ToC fields by tier, organisation choice, amount per year,
    the regulation's required documents and, for small initiatives, an optional photo."""
    base = TheoryOfChangeForm if theory_of_change else ApplicationForm

    class RegulationForm(base):  # type: ignore[valid-type,misc]
        pass

    if organisations:
        RegulationForm.organisation_id = SelectField(
            _l("Apply on behalf of"),
            coerce=int,
            choices=organisations,
            validators=[InputRequired()],
        )
    if years:
        RegulationForm.requested_amount = None
        for year in years:
            setattr(
                RegulationForm, f"amount_{year}", MoneyField(_l("Amount for %(year)s", year=year))
            )
    for key, label in documents:
        setattr(RegulationForm, f"document_{key}", FileField(label))
    if photo:
        RegulationForm.photo = FileField(_l("Photo (optional)"))
    return RegulationForm()


class VersionedForm(FlaskForm):
    version = HiddenField()


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
