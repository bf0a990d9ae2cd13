"""Statutory terms of the Awb, moved by the Algemene termijnenwet (SPEC §6).

A term of N weeks that starts counting on the day after an event ends on the
same weekday N weeks after that event: nominal_end = event + N weeks.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from workflows.calendar import holiday_name, next_working_day

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Term:
    kind: str
    start: date
    nominal_end: date
    suspended_days: int
    extension_days: int
    end: date
    moved_by_atw: bool
    holiday: str | None


@dataclass(frozen=True)
class Suspension:
    """An information request (Awb 4:15): suspends the decision term while open."""

    sent: date
    answer_deadline: date
    answered: date | None = None

    @property
    def last_day(self) -> date:
        """The last suspended day: the day of a complete answer, capped at the deadline."""
        if self.answered is None:
            return self.answer_deadline
        return min(self.answered, self.answer_deadline)

    @property
    def days(self) -> int:
        return max((self.last_day - self.sent).days, 0)


def _term(
    kind: str,
    start: date,
    nominal_end: date,
    suspended_days: int = 0,
    extension_days: int = 0,
) -> Term:
    unmoved = nominal_end + timedelta(days=suspended_days + extension_days)
    end = next_working_day(unmoved)
    moved = end != unmoved
    return Term(
        kind=kind,
        start=start,
        nominal_end=nominal_end,
        suspended_days=suspended_days,
        extension_days=extension_days,
        end=end,
        moved_by_atw=moved,
        holiday=(holiday_name(unmoved) or "weekend") if moved else None,
    )


def _weeks_after(kind: str, event: date, weeks: int) -> Term:
    return _term(kind, event + ONE_DAY, event + timedelta(weeks=weeks))


def suspended_days(suspensions: Sequence[Suspension]) -> int:
    """Days covered by at least one suspension; overlapping days count once."""
    intervals = sorted((s.sent + ONE_DAY, s.last_day) for s in suspensions if s.days > 0)
    total = 0
    covered_until: date | None = None
    for first, last in intervals:
        if covered_until is not None and first <= covered_until:
            first = covered_until + ONE_DAY
        if last >= first:
            total += (last - first).days + 1
            covered_until = last
    return total


def decision_deadline(
    received: date,
    term_weeks: int = 8,
    suspensions: Sequence[Suspension] = (),
    extension_weeks: int = 0,
) -> Term:
    """Awb 4:13 decision term, suspended by information requests (4:15), extended once (4:14)."""
    return _term(
        "decision",
        received + ONE_DAY,
        received + timedelta(weeks=term_weeks),
        suspended_days(suspensions),
        extension_weeks * 7,
    )


def answer_deadline(sent: date, weeks: int = 2) -> Term:
    """Answer term of an information request (Awb 4:5)."""
    return _weeks_after("information_request", sent, weeks)


def not_considered_deadline(answer_deadline: date) -> Term:
    """Until when the officer may decide not to consider the application (Awb 4:5)."""
    return _weeks_after("not_considered", answer_deadline, 4)


def objection_deadline(decision_sent: date) -> Term:
    """Awb 6:7/6:8: six weeks from the day after the decision was sent."""
    return _weeks_after("objection", decision_sent, 6)


def objection_decision_deadline(
    objection_term_end: date, advisory_committee: bool = False, extended: bool = False
) -> Term:
    """Awb 7:10: 6 weeks (12 with an advisory committee) after the objection term ended."""
    weeks = 12 if advisory_committee else 6
    return _term(
        "objection_decision",
        objection_term_end + ONE_DAY,
        objection_term_end + timedelta(weeks=weeks),
        extension_days=42 if extended else 0,
    )


def payment_deadline(obligation: date) -> Term:
    """Awb 4:87: a payment obligation is met within six weeks."""
    return _weeks_after("payment", obligation, 6)


def determination_deadline(report_received: date, term_weeks: int = 13) -> Term:
    """Determination term per regulation (default 13 weeks after the report)."""
    return _weeks_after("determination", report_received, term_weeks)


def is_objection_in_time(decision_sent: date, received: date) -> bool:
    return received <= objection_deadline(decision_sent).end


def reasonable_notice_required(consecutive_years: int) -> bool:
    """Awb 4:51: ending a subsidy received 3+ consecutive years needs reasonable notice."""
    return consecutive_years >= 3
