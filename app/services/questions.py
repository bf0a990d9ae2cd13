"""The questions a regulation adds to its application form: parsing, checking, showing.

Answers are stored as JSON: text and choice as str, number as int, money as cents, date as
an ISO string, year_amounts as {"2026": cents}. File questions are Documents of kind
`question_<key>`, checked like every other upload.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date

from flask_babel import gettext as _

from app.formatting import format_day, format_money
from app.forms import parse_money
from app.models import ApplicationQuestion, Regulation
from app.services.errors import InvalidInput

TEXT_LIMITS = {"text": 300, "long_text": 10000}
_WHOLE_NUMBER = re.compile(r"^\d{1,3}(\.\d{3})+$|^\d+$")

Raw = str | Mapping[int, str]


def document_kind(question: ApplicationQuestion) -> str:
    return f"question_{question.key}"


def parse(question: ApplicationQuestion, raw: Raw) -> object | None:
    """The typed answer as stored; None when empty. ValueError carries the message to show."""
    if question.kind == "year_amounts":
        assert isinstance(raw, Mapping)
        amounts = {str(year): _money(text) for year, text in raw.items() if text.strip()}
        return amounts or None
    assert isinstance(raw, str)
    text = raw.strip()
    if not text:
        return None
    if question.kind in TEXT_LIMITS:
        if len(text) > TEXT_LIMITS[question.kind]:
            raise ValueError(_("Use at most %(n)d characters.", n=TEXT_LIMITS[question.kind]))
        return text
    if question.kind == "number":
        if not _WHOLE_NUMBER.match(text):
            raise ValueError(_("Enter a whole number, for example 25."))
        return int(text.replace(".", ""))
    if question.kind == "money":
        return _money(text)
    if question.kind == "date":
        return _date(text).isoformat()
    if question.kind == "choice":
        if text not in {choice["value"] for choice in question.choices}:
            raise ValueError(_("Choose one of the options."))
        return text
    raise ValueError(f"question kind {question.kind} has no typed answer")


def _money(text: str) -> int:
    try:
        return parse_money(text)
    except ValueError as exc:
        raise ValueError(_("Enter an amount in euros, for example 1250 or 1.250,50.")) from exc


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise ValueError(_("Enter a date, for example 23-11-2026."))


def problems(
    regulation: Regulation,
    answers: Mapping[str, object],
    stored_files: frozenset[str],
    amounts_by_year: Mapping[int, int],
) -> Iterator[InvalidInput]:
    """What is wrong with the answers, question by question (by question key)."""
    for question in regulation.questions:
        field = question.field_name
        given = document_kind(question) in stored_files if question.kind == "file" else None
        value = answers.get(question.key)
        if question.required and not (given or value not in (None, "", {})):
            yield InvalidInput(_("Answer this question."), field)
        elif value is not None and question.kind != "file":
            message = _value_problem(question, value, regulation, amounts_by_year)
            if message:
                yield InvalidInput(message, field)


def _value_problem(
    question: ApplicationQuestion,
    value: object,
    regulation: Regulation,
    amounts_by_year: Mapping[int, int],
) -> str | None:
    if question.kind == "number":
        assert isinstance(value, int)
        return _range_problem(question, value)
    if question.kind == "date":
        assert isinstance(value, str)
        return period_problem(regulation, date.fromisoformat(value))
    if question.kind == "year_amounts":
        assert isinstance(value, dict)
        return _year_amounts_problem(value, amounts_by_year)
    return None


def _range_problem(question: ApplicationQuestion, value: int) -> str | None:
    low, high = question.min_value, question.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        return _("Enter a number from %(low)d to %(high)d.", low=low or 0, high=high or value)
    return None


def period_problem(regulation: Regulation, day: date) -> str | None:
    """A date outside the period the regulation funds, explained; None when inside."""
    start, end = regulation.period_start, regulation.period_end
    if (start and day < start) or (end and day > end):
        return _(
            "This regulation funds activities from %(start)s to %(end)s.",
            start=format_day(start) if start else "—",
            end=format_day(end) if end else "—",
        )
    return None


def _year_amounts_problem(value: dict[str, int], amounts_by_year: Mapping[int, int]) -> str | None:
    years = {int(year) for year in value}
    if years != set(amounts_by_year):
        return _("Give an amount for each year of the period, and only for those years.")
    for year, cents in sorted(value.items()):
        if cents > amounts_by_year[int(year)]:
            return _(
                "The amount for %(year)s is more than the %(total)s you apply for that year.",
                year=year,
                total=format_money(amounts_by_year[int(year)]),
            )
    return None


def shown(question: ApplicationQuestion, value: object, locale: str) -> str:
    """An answer as a person reads it."""
    if question.kind == "money":
        assert isinstance(value, int)
        return format_money(value)
    if question.kind == "date":
        assert isinstance(value, str)
        return format_day(date.fromisoformat(value))
    if question.kind == "choice":
        assert isinstance(value, str)
        return question.choice_label(value, locale)
    if question.kind == "year_amounts":
        assert isinstance(value, dict)
        return "; ".join(f"{year}: {format_money(cents)}" for year, cents in sorted(value.items()))
    return str(value)


def raw_text(question: ApplicationQuestion, value: object) -> str | dict[int, str]:
    """A stored answer as it is typed back into the form."""
    if question.kind == "year_amounts":
        assert isinstance(value, dict)
        return {int(year): money_text(cents) for year, cents in value.items()}
    if question.kind == "money":
        assert isinstance(value, int)
        return money_text(value)
    return str(value)


def money_text(cents: int) -> str:
    """Cents as a person types euros: 1250 or 1250,50."""
    return str(cents // 100) if cents % 100 == 0 else f"{cents // 100},{cents % 100:02d}"
