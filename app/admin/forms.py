"""Forms of the administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.services.letters import MAX_SOURCE_LENGTH


class LetterTemplateForm(FlaskForm):
    body = TextAreaField(
        _l("Template text"),
        validators=[DataRequired(), Length(max=MAX_SOURCE_LENGTH)],
        render_kw={"rows": 28, "spellcheck": "false", "autocapitalize": "off"},
    )


class ConfirmForm(FlaskForm):
    """A confirmation step: only the CSRF token."""
