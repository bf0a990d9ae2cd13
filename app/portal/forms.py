from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.forms import MoneyField


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


class VersionedForm(FlaskForm):
    version = HiddenField()


class AnswerForm(VersionedForm):
    answer = TextAreaField(_l("Your answer"), validators=[DataRequired(), Length(max=10000)])


class WithdrawForm(VersionedForm):
    pass


class ObjectionForm(VersionedForm):
    grounds = TextAreaField(
        _l("Why do you disagree with the decision?"), validators=[DataRequired(), Length(max=20000)]
    )
    lateness_reason = TextAreaField(
        _l("Why is your objection late?"), validators=[Length(max=5000)]
    )
