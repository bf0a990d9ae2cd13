"""How money, dates and times are shown: Dutch style by default."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency
from flask import Flask
from flask_babel import format_datetime, get_locale

DATE_PATTERNS = {"nl": "dd-MM-yyyy", "en": "d MMM yyyy"}


def _locale() -> str:
    locale = get_locale()
    return str(locale) if locale else "nl"


def format_money(cents: int | None, locale: str | None = None) -> str:
    """€ 1.234,56 in Dutch, €1,234.56 in English."""
    if cents is None:
        return ""
    return format_currency(Decimal(cents) / 100, "EUR", locale=locale or _locale())


def format_day(value: date | str | None, locale: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    locale = locale or _locale()
    return babel_format_date(value, DATE_PATTERNS.get(locale, "dd-MM-yyyy"), locale=locale)


def format_moment(value: datetime | None) -> str:
    """A UTC timestamp shown in Europe/Amsterdam."""
    if value is None:
        return ""
    pattern = "dd-MM-yyyy HH:mm" if _locale() == "nl" else "d MMM yyyy HH:mm"
    return format_datetime(value, pattern)


def register(app: Flask) -> None:
    app.add_template_filter(format_money, "money")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_moment, "moment")
