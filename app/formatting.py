"""How money, dates and times are shown: Dutch style by default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel.dates import get_month_names
from babel.numbers import format_currency
from flask import Flask
from flask_babel import format_datetime, get_locale

DATE_PATTERNS = {"nl": "dd-MM-yyyy", "en": "d MMM yyyy"}


def _locale() -> str:
    locale = get_locale()
    return str(locale) if locale else "nl"


@dataclass(frozen=True)
class _MoneyStyle:
    """How a locale writes euros, read once from Babel: signs, separators, symbol place."""

    positive: tuple[str, str]
    negative: tuple[str, str]
    group: str
    decimal: str


_SAMPLE = "1234567.89"


@lru_cache(maxsize=8)
def _money_style(locale: str) -> _MoneyStyle:
    def affixes(text: str) -> tuple[str, str]:
        start = next(i for i, char in enumerate(text) if char.isdigit())
        end = max(i for i, char in enumerate(text) if char.isdigit()) + 1
        return text[:start], text[end:]

    positive = format_currency(Decimal(_SAMPLE), "EUR", locale=locale)
    negative = format_currency(-Decimal(_SAMPLE), "EUR", locale=locale)
    prefix, suffix = affixes(positive)
    digits = positive[len(prefix) : len(positive) - len(suffix)]  # e.g. "1.234.567,89"
    return _MoneyStyle((prefix, suffix), affixes(negative), digits[1], digits[-3])


def format_money(cents: int | None, locale: str | None = None) -> str:
    """€ 1.234,56 in Dutch, €1,234.56 in English (Babel's patterns, applied quickly)."""
    if cents is None:
        return ""
    style = _money_style(locale or _locale())
    euros, rest = divmod(abs(cents), 100)
    number = f"{euros:,}".replace(",", style.group) + f"{style.decimal}{rest:02d}"
    prefix, suffix = style.negative if cents < 0 else style.positive
    return f"{prefix}{number}{suffix}"


@lru_cache(maxsize=8)
def _month_abbreviations(locale: str) -> dict[int, str]:
    return dict(get_month_names("abbreviated", locale=locale))


def format_day(value: date | str | None, locale: str | None = None) -> str:
    """23-11-2026 in Dutch, 23 Nov 2026 in English (the patterns of DATE_PATTERNS)."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    locale = locale or _locale()
    if locale == "en":
        return f"{value.day} {_month_abbreviations(locale)[value.month]} {value.year:04d}"
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def format_moment(value: datetime | None) -> str:
    """A UTC timestamp shown in Europe/Amsterdam."""
    if value is None:
        return ""
    pattern = "dd-MM-yyyy HH:mm" if _locale() == "nl" else "d MMM yyyy HH:mm"
    return format_datetime(value, pattern)


def format_time(value: datetime) -> str:
    """The time of day of a UTC timestamp in Europe/Amsterdam: 14:05."""
    return format_datetime(value, "HH:mm")


def register(app: Flask) -> None:
    app.add_template_filter(format_money, "money")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_moment, "moment")
