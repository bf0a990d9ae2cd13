from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.calendar import easter_sunday, is_working_day, next_working_day, public_holidays

DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))
FAST = settings(max_examples=200, database=None, deadline=None)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


HOLIDAYS_2026 = {
    date(2026, 1, 1): "new_years_day",
    date(2026, 4, 6): "easter_monday",
    date(2026, 4, 27): "kings_day",
    date(2026, 5, 5): "liberation_day",
    date(2026, 5, 14): "ascension_day",
    date(2026, 5, 25): "whit_monday",
    date(2026, 12, 25): "christmas_day",
    date(2026, 12, 26): "boxing_day",
}

HOLIDAYS_2027 = {
    date(2027, 1, 1): "new_years_day",
    date(2027, 3, 29): "easter_monday",
    date(2027, 4, 27): "kings_day",
    date(2027, 5, 5): "liberation_day",
    date(2027, 5, 6): "ascension_day",
    date(2027, 5, 17): "whit_monday",
    date(2027, 12, 25): "christmas_day",
    date(2027, 12, 26): "boxing_day",
}


@pytest.mark.parametrize(("year", "expected"), [(2026, HOLIDAYS_2026), (2027, HOLIDAYS_2027)])
def test_public_holidays(year: int, expected: dict[date, str]) -> None:
    assert public_holidays(year) == expected


def test_kings_day_moves_to_saturday_when_27_april_is_a_sunday() -> None:
    holidays = public_holidays(2025)
    assert holidays[date(2025, 4, 26)] == "kings_day"
    assert date(2025, 4, 27) not in holidays


def test_good_friday_is_not_an_atw_holiday() -> None:
    assert is_working_day(date(2026, 4, 3))


def test_ascension_day_on_liberation_day_keeps_one_entry() -> None:
    holidays = public_holidays(2005)
    assert holidays[date(2005, 5, 5)] == "ascension_day"
    assert len(holidays) == 7


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 4, 3), True),
        (date(2026, 4, 4), False),
        (date(2026, 4, 5), False),
        (date(2026, 4, 6), False),
        (date(2026, 4, 7), True),
        (date(2026, 5, 5), False),
        (date(2026, 12, 24), True),
        (date(2026, 12, 31), True),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 17), date(2026, 3, 17)),
        (date(2026, 4, 4), date(2026, 4, 7)),
        (date(2026, 4, 27), date(2026, 4, 28)),
        (date(2026, 5, 14), date(2026, 5, 15)),
        (date(2026, 5, 23), date(2026, 5, 26)),
        (date(2026, 12, 25), date(2026, 12, 28)),
        (date(2026, 12, 31), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 4)),
    ],
)
def test_next_working_day(day: date, expected: date) -> None:
    assert next_working_day(day) == expected


@FAST
@given(DATES)
def test_next_working_day_is_the_first_working_day_from_d(d: date) -> None:
    result = next_working_day(d)
    assert is_working_day(result)
    assert next_working_day(result) == result
    assert all(not is_working_day(d + timedelta(days=i)) for i in range((result - d).days))


@FAST
@given(st.integers(min_value=1900, max_value=2400))
def test_easter_is_a_sunday_between_22_march_and_25_april(year: int) -> None:
    easter = easter_sunday(year)
    assert easter.isoweekday() == 7
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)
