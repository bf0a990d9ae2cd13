"""Form pieces shared by the blueprints."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

_DUTCH_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$")


def parse_money(text: str) -> int:
    """Euros as typed by a person ('1.234,56', '1234,5', '1234.56', '€ 50') to cents."""
    cleaned = text.replace("€", "").replace(" ", "").strip()
    if _DUTCH_THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise ValueError(text)
    try:
        return int((Decimal(cleaned) * 100).to_integral_exact())
    except InvalidOperation as exc:
        raise ValueError(text) from exc


class MoneyField(StringField):
    """A euro amount; `.cents` holds the parsed value when valid."""

    cents: int | None = None

    def pre_validate(self, form: object) -> None:
        self.cents = None
        if not self.data:
            return
        try:
            self.cents = parse_money(self.data)
        except ValueError as exc:
            raise ValidationError(
                _l("Enter an amount in euros, for example 1250 or 1.250,50.")
            ) from exc
