from collections.abc import Callable
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.calendar import is_working_day
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
    suspended_days,
)

FAST = settings(max_examples=200, database=None, deadline=None)
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
MAX_ATW_MOVE = timedelta(days=4)

SINGLE_DATE_TERMS = (
    answer_deadline,
    not_considered_deadline,
    objection_deadline,
    payment_deadline,
    determination_deadline,
    objection_decision_deadline,
    decision_deadline,
)


@st.composite
def suspensions(draw: st.DrawFn) -> Suspension:
    sent = draw(DATES)
    deadline = sent + timedelta(days=draw(st.integers(min_value=0, max_value=60)))
    answered = draw(st.none() | st.dates(min_value=sent - timedelta(days=5), max_value=deadline))
    return Suspension(sent, deadline, answered)


SUSPENSION_LISTS = st.lists(suspensions(), max_size=5)


def suspended_day_set(items: list[Suspension]) -> set[date]:
    return {s.sent + timedelta(days=i) for s in items for i in range(1, s.days + 1)}


def test_the_largest_atw_move_is_four_days() -> None:
    day, last, largest = date(1990, 1, 1), date(2200, 12, 31), timedelta(0)
    while day <= last:
        if is_working_day(day):
            day += timedelta(days=1)
            continue
        term = payment_deadline(day - timedelta(weeks=6))
        largest = max(largest, term.end - term.nominal_end)
        day += timedelta(days=1)
    assert largest == MAX_ATW_MOVE


@FAST
@given(st.sampled_from(SINGLE_DATE_TERMS), DATES)
def test_end_is_a_working_day_on_or_after_the_nominal_end(
    term_function: Callable[[date], Term], day: date
) -> None:
    term = term_function(day)
    assert is_working_day(term.end)
    assert term.nominal_end <= term.end <= term.nominal_end + MAX_ATW_MOVE
    assert term.start == day + timedelta(days=1)
    assert term.moved_by_atw is (term.end != term.nominal_end)
    assert (term.holiday is None) is not term.moved_by_atw


@FAST
@given(DATES, st.integers(min_value=1, max_value=26), SUSPENSION_LISTS, st.integers(0, 8))
def test_decision_end_is_a_working_day_after_all_additions(
    received: date, weeks: int, items: list[Suspension], extension: int
) -> None:
    term = decision_deadline(received, weeks, items, extension)
    unmoved = term.nominal_end + timedelta(days=term.suspended_days + term.extension_days)
    assert is_working_day(term.end)
    assert unmoved <= term.end <= unmoved + MAX_ATW_MOVE
    assert term.nominal_end == received + timedelta(weeks=weeks)


@FAST
@given(DATES, SUSPENSION_LISTS, suspensions())
def test_adding_a_suspension_never_makes_the_deadline_earlier(
    received: date, items: list[Suspension], extra: Suspension
) -> None:
    before = decision_deadline(received, suspensions=items)
    after = decision_deadline(received, suspensions=[*items, extra])
    assert after.end >= before.end
    assert after.suspended_days >= before.suspended_days


@FAST
@given(SUSPENSION_LISTS)
def test_overlapping_suspensions_count_each_day_once(items: list[Suspension]) -> None:
    assert suspended_days(items) == len(suspended_day_set(items))
    assert suspended_days(items) == suspended_days(list(reversed(items)))
    assert suspended_days(items + items) == suspended_days(items)


@FAST
@given(suspensions())
def test_a_single_suspension_runs_from_the_day_after_sending(item: Suspension) -> None:
    last = item.answer_deadline if item.answered is None else item.answered
    assert suspended_days([item]) == max((last - item.sent).days, 0)


@FAST
@given(DATES, DATES)
def test_objection_is_in_time_up_to_the_moved_deadline(sent: date, received: date) -> None:
    end = objection_deadline(sent).end
    assert is_objection_in_time(sent, received) is (received <= end)
    assert end >= sent + timedelta(weeks=6)
