"""Tier defaults (SPEC §5) and decision mandates, as data."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

LIGHT_MAX_CENTS = 500_000
REGULAR_MAX_CENTS = 5_000_000
MAX_YEARS = 4


class Tier(StrEnum):
    LIGHT = "light"
    REGULAR = "regular"
    EXTENDED = "extended"


@dataclass(frozen=True)
class TierRules:
    tier: Tier
    max_amount_cents: int | None
    four_eyes: bool
    direct_determination: bool
    advance_percentage: int
    report_weeks_after_period: int | None
    sample_check_percentage: int
    auditor_statement_above_cents: int | None


DEFAULT_RULES: dict[Tier, TierRules] = {
    Tier.LIGHT: TierRules(
        tier=Tier.LIGHT,
        max_amount_cents=LIGHT_MAX_CENTS,
        four_eyes=False,
        direct_determination=True,
        advance_percentage=100,
        report_weeks_after_period=None,
        sample_check_percentage=10,
        auditor_statement_above_cents=None,
    ),
    Tier.REGULAR: TierRules(
        tier=Tier.REGULAR,
        max_amount_cents=REGULAR_MAX_CENTS,
        four_eyes=True,
        direct_determination=False,
        advance_percentage=80,
        report_weeks_after_period=13,
        sample_check_percentage=0,
        auditor_statement_above_cents=None,
    ),
    Tier.EXTENDED: TierRules(
        tier=Tier.EXTENDED,
        max_amount_cents=None,
        four_eyes=True,
        direct_determination=False,
        advance_percentage=100,
        report_weeks_after_period=13,
        sample_check_percentage=0,
        auditor_statement_above_cents=12_500_000,
    ),
}


def tier_for(total_cents: int, years: int) -> Tier:
    """The default tier for a total amount over a period of 1 to 4 years."""
    if total_cents < 0:
        raise ValueError("total_cents must not be negative")
    if not 1 <= years <= MAX_YEARS:
        raise ValueError(f"years must be between 1 and {MAX_YEARS}")
    if years > 1 or total_cents > REGULAR_MAX_CENTS:
        return Tier.EXTENDED
    if total_cents > LIGHT_MAX_CENTS:
        return Tier.REGULAR
    return Tier.LIGHT


@dataclass(frozen=True)
class Mandate:
    role: str
    limit_cents: int | None


DEFAULT_MANDATES: tuple[Mandate, ...] = (
    Mandate("officer", 2_500_000),
    Mandate("team_lead", 25_000_000),
    Mandate("board", None),
)


def _covers(mandate: Mandate, total_cents: int) -> bool:
    return mandate.limit_cents is None or total_cents <= mandate.limit_cents


def mandate_allows(
    role: str, total_cents: int, mandates: Sequence[Mandate] = DEFAULT_MANDATES
) -> bool:
    """Whether a role may approve a decision for this total; unknown roles may not."""
    return any(m.role == role and _covers(m, total_cents) for m in mandates)


def required_mandate(total_cents: int, mandates: Sequence[Mandate] = DEFAULT_MANDATES) -> str:
    """The lowest role whose limit covers the total."""
    covering = [m for m in mandates if _covers(m, total_cents)]
    if not covering:
        raise ValueError(f"no mandate covers {total_cents} cents")
    unlimited = float("inf")
    lowest = min(covering, key=lambda m: unlimited if m.limit_cents is None else m.limit_cents)
    return lowest.role
