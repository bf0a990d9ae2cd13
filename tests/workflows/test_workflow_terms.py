from datetime import date

import pytest

from workflows.terms import (
    Suspension,
    Term,
    answer_deadline,
    decision_deadline,
    determination_deadline,
    is_objection_in_time,
    not_considered_deadline,
    objection_deadline,
    objection_decision_deadline,
    payment_deadline,
    reasonable_notice_required,
    suspended_days,
)


def test_decision_term_of_eight_weeks_on_a_working_day() -> None:
    term = decision_deadline(date(2026, 1, 13))
    assert term == Term(
        kind="decision",
        start=date(2026, 1, 14),
        nominal_end=date(2026, 3, 10),
        suspended_days=0,
        extension_days=0,
        end=date(2026, 3, 10),
        moved_by_atw=False,
        holiday=None,
    )


def test_decision_term_ending_on_kings_day_moves_to_the_next_working_day() -> None:
    term = decision_deadline(date(2026, 3, 2))
    assert term.nominal_end == date(2026, 4, 27)
    assert term.end == date(2026, 4, 28)
    assert term.moved_by_atw
    assert term.holiday == "kings_day"


def test_decision_term_ending_on_saturday_moves_to_monday() -> None:
    term = decision_deadline(date(2026, 2, 14))
    assert term.nominal_end == date(2026, 4, 11)
    assert term.end == date(2026, 4, 13)
    assert term.holiday == "weekend"


def test_suspension_spanning_easter() -> None:
    request = Suspension(
        sent=date(2026, 3, 27),
        answer_deadline=answer_deadline(date(2026, 3, 27)).end,
        answered=date(2026, 4, 8),
    )
    term = decision_deadline(date(2026, 2, 2), suspensions=[request])
    assert request.answer_deadline == date(2026, 4, 10)
    assert term.nominal_end == date(2026, 3, 30)
    assert term.suspended_days == 12
    assert term.end == date(2026, 4, 13)
    assert term.holiday == "weekend"


def test_unanswered_request_suspends_until_the_answer_deadline() -> None:
    request = Suspension(sent=date(2026, 3, 27), answer_deadline=date(2026, 4, 10))
    term = decision_deadline(date(2026, 2, 2), suspensions=[request])
    assert term.suspended_days == 14
    assert term.end == date(2026, 4, 13)
    assert not term.moved_by_atw


def test_late_answer_suspends_only_until_the_answer_deadline() -> None:
    request = Suspension(date(2026, 3, 27), date(2026, 4, 10), answered=date(2026, 4, 20))
    assert decision_deadline(date(2026, 2, 2), suspensions=[request]).suspended_days == 14


def test_suspension_ending_on_easter_monday() -> None:
    request = Suspension(date(2026, 3, 20), date(2026, 4, 3), answered=date(2026, 3, 27))
    term = decision_deadline(date(2026, 2, 2), suspensions=[request])
    assert term.suspended_days == 7
    assert term.end == date(2026, 4, 7)
    assert term.holiday == "easter_monday"


def test_answer_on_the_day_of_sending_suspends_nothing() -> None:
    request = Suspension(date(2026, 3, 20), date(2026, 4, 3), answered=date(2026, 3, 20))
    assert decision_deadline(date(2026, 2, 2), suspensions=[request]).suspended_days == 0


@pytest.mark.parametrize(
    ("suspensions", "days"),
    [
        ([], 0),
        ([Suspension(date(2026, 3, 1), date(2026, 3, 15))], 14),
        (
            [
                Suspension(date(2026, 3, 1), date(2026, 3, 15)),
                Suspension(date(2026, 3, 10), date(2026, 3, 24)),
            ],
            23,
        ),
        (
            [
                Suspension(date(2026, 3, 1), date(2026, 3, 15)),
                Suspension(date(2026, 3, 15), date(2026, 3, 29)),
            ],
            28,
        ),
        (
            [
                Suspension(date(2026, 3, 1), date(2026, 3, 29)),
                Suspension(date(2026, 3, 5), date(2026, 3, 10)),
            ],
            28,
        ),
        (
            [
                Suspension(date(2026, 3, 1), date(2026, 3, 15), answered=date(2026, 3, 4)),
                Suspension(date(2026, 4, 1), date(2026, 4, 15)),
            ],
            17,
        ),
    ],
)
def test_suspended_days_merges_overlaps(suspensions: list[Suspension], days: int) -> None:
    assert suspended_days(suspensions) == days


def test_extension_adds_weeks_once() -> None:
    term = decision_deadline(date(2026, 3, 2), extension_weeks=6)
    assert term.nominal_end == date(2026, 4, 27)
    assert term.extension_days == 42
    assert term.end == date(2026, 6, 8)
    assert not term.moved_by_atw


def test_regulation_decision_term() -> None:
    assert decision_deadline(date(2026, 3, 2), term_weeks=13).end == date(2026, 6, 1)


@pytest.mark.parametrize(
    ("sent", "nominal_end", "end", "holiday"),
    [
        (date(2026, 2, 3), date(2026, 3, 17), date(2026, 3, 17), None),
        (date(2026, 11, 12), date(2026, 12, 24), date(2026, 12, 24), None),
        (date(2026, 11, 13), date(2026, 12, 25), date(2026, 12, 28), "christmas_day"),
        (date(2027, 3, 23), date(2027, 5, 4), date(2027, 5, 4), None),
        (date(2027, 3, 24), date(2027, 5, 5), date(2027, 5, 7), "liberation_day"),
    ],
)
def test_objection_deadline(sent: date, nominal_end: date, end: date, holiday: str | None) -> None:
    term = objection_deadline(sent)
    assert term.kind == "objection"
    assert term.start == date.fromordinal(sent.toordinal() + 1)
    assert (term.nominal_end, term.end, term.holiday) == (nominal_end, end, holiday)


@pytest.mark.parametrize(
    ("received", "in_time"),
    [
        (date(2026, 12, 24), True),
        (date(2026, 12, 28), True),
        (date(2026, 12, 29), False),
    ],
)
def test_is_objection_in_time(received: date, in_time: bool) -> None:
    assert is_objection_in_time(date(2026, 11, 13), received) is in_time


@pytest.mark.parametrize(
    ("committee", "extended", "end"),
    [
        (False, False, date(2026, 5, 26)),
        (True, False, date(2026, 7, 6)),
        (False, True, date(2026, 7, 6)),
        (True, True, date(2026, 8, 17)),
    ],
)
def test_objection_decision_deadline(committee: bool, extended: bool, end: date) -> None:
    term = objection_decision_deadline(
        date(2026, 4, 13), advisory_committee=committee, extended=extended
    )
    assert term.kind == "objection_decision"
    assert term.start == date(2026, 4, 14)
    assert term.end == end


def test_objection_decision_six_weeks_ending_on_whit_monday() -> None:
    term = objection_decision_deadline(date(2026, 4, 13))
    assert term.nominal_end == date(2026, 5, 25)
    assert term.holiday == "whit_monday"


@pytest.mark.parametrize(
    ("sent", "end", "holiday"),
    [
        (date(2026, 4, 23), date(2026, 5, 7), None),
        (date(2026, 4, 21), date(2026, 5, 6), "liberation_day"),
        (date(2026, 4, 30), date(2026, 5, 15), "ascension_day"),
    ],
)
def test_answer_deadline(sent: date, end: date, holiday: str | None) -> None:
    term = answer_deadline(sent)
    assert term.kind == "information_request"
    assert (term.end, term.holiday) == (end, holiday)


def test_not_considered_deadline_is_four_weeks_after_the_answer_term() -> None:
    term = not_considered_deadline(date(2026, 5, 6))
    assert term.kind == "not_considered"
    assert term.start == date(2026, 5, 7)
    assert term.end == date(2026, 6, 3)


def test_payment_deadline_on_saturday_moves_to_monday() -> None:
    term = payment_deadline(date(2026, 3, 7))
    assert term.kind == "payment"
    assert term.nominal_end == date(2026, 4, 18)
    assert term.end == date(2026, 4, 20)
    assert term.holiday == "weekend"


@pytest.mark.parametrize(
    ("received", "end", "holiday"),
    [
        (date(2026, 10, 1), date(2026, 12, 31), None),
        (date(2026, 10, 2), date(2027, 1, 4), "new_years_day"),
    ],
)
def test_determination_deadline(received: date, end: date, holiday: str | None) -> None:
    term = determination_deadline(received)
    assert term.kind == "determination"
    assert (term.end, term.holiday) == (end, holiday)


@pytest.mark.parametrize(("years", "required"), [(0, False), (2, False), (3, True), (4, True)])
def test_reasonable_notice_required(years: int, required: bool) -> None:
    assert reasonable_notice_required(years) is required


def test_term_is_immutable() -> None:
    term = objection_deadline(date(2026, 2, 3))
    with pytest.raises(AttributeError):
        term.end = date(2030, 1, 1)  # type: ignore[misc]
