"""Public holidays of the Algemene termijnenwet (Atw, art. 3) and working days."""

from datetime import date, timedelta

SATURDAY = 5


def easter_sunday(year: int) -> date:
    """Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def kings_day(year: int) -> date:
    """27 April, or Saturday 26 April when 27 April is a Sunday."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.isoweekday() == 7 else day


def public_holidays(year: int) -> dict[date, str]:
    """The Atw holidays of a year. Good Friday is not one of them."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1): "new_years_day",
        easter + timedelta(days=1): "easter_monday",
        kings_day(year): "kings_day",
        date(year, 5, 5): "liberation_day",
        easter + timedelta(days=39): "ascension_day",
        easter + timedelta(days=50): "whit_monday",
        date(year, 12, 25): "christmas_day",
        date(year, 12, 26): "boxing_day",
    }


def holiday_name(d: date) -> str | None:
    """The holiday key of a date, or None."""
    return public_holidays(d.year).get(d)


def is_working_day(d: date) -> bool:
    return d.weekday() < SATURDAY and holiday_name(d) is None


def next_working_day(d: date) -> date:
    """The date itself when it is a working day, else the first working day after it."""
    while not is_working_day(d):
        d += timedelta(days=1)
    return d
