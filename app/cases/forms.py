from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import MoneyField


class GrantForm(FlaskForm):
    amount = MoneyField(_l("Amount granted (euros)"), validators=[DataRequired()])
    motivation = TextAreaField(_l("Motivation"), validators=[DataRequired(), Length(max=10000)])
    version = HiddenField()
