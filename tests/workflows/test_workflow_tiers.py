import pytest

from workflows.tiers import (
    DEFAULT_MANDATES,
    DEFAULT_RULES,
    Mandate,
    Tier,
    mandate_allows,
    required_mandate,
    tier_for,
)


@pytest.mark.parametrize(
    ("total", "years", "tier"),
    [
        (0, 1, Tier.LIGHT),
        (500_000, 1, Tier.LIGHT),
        (500_001, 1, Tier.REGULAR),
        (5_000_000, 1, Tier.REGULAR),
        (5_000_001, 1, Tier.EXTENDED),
        (100_000, 2, Tier.EXTENDED),
        (20_000_000, 4, Tier.EXTENDED),
    ],
)
def test_tier_for_boundaries(total: int, years: int, tier: Tier) -> None:
    assert tier_for(total, years) is tier


@pytest.mark.parametrize(("total", "years"), [(-1, 1), (100, 0), (100, 5)])
def test_tier_for_rejects_impossible_input(total: int, years: int) -> None:
    with pytest.raises(ValueError):
        tier_for(total, years)


def test_default_rules_cover_every_tier() -> None:
    assert set(DEFAULT_RULES) == set(Tier)
    assert all(rules.tier is tier for tier, rules in DEFAULT_RULES.items())


def test_default_rules_follow_the_spec() -> None:
    light, regular, extended = (DEFAULT_RULES[t] for t in Tier)
    assert (light.max_amount_cents, light.four_eyes, light.direct_determination) == (
        500_000,
        False,
        True,
    )
    assert (light.advance_percentage, light.sample_check_percentage) == (100, 10)
    assert (regular.max_amount_cents, regular.four_eyes, regular.advance_percentage) == (
        5_000_000,
        True,
        80,
    )
    assert regular.report_weeks_after_period == 13
    assert (extended.max_amount_cents, extended.four_eyes) == (None, True)
    assert extended.auditor_statement_above_cents == 12_500_000


def test_tier_values_are_strings() -> None:
    assert Tier("regular") is Tier.REGULAR
    assert f"{Tier.EXTENDED}" == "extended"


@pytest.mark.parametrize(
    ("role", "total", "allowed"),
    [
        ("officer", 2_500_000, True),
        ("officer", 2_500_001, False),
        ("team_lead", 25_000_000, True),
        ("team_lead", 25_000_001, False),
        ("board", 10**12, True),
        ("applicant", 1, False),
    ],
)
def test_mandate_allows(role: str, total: int, allowed: bool) -> None:
    assert mandate_allows(role, total) is allowed


@pytest.mark.parametrize(
    ("total", "role"),
    [
        (0, "officer"),
        (2_500_000, "officer"),
        (2_500_001, "team_lead"),
        (25_000_000, "team_lead"),
        (25_000_001, "board"),
    ],
)
def test_required_mandate(total: int, role: str) -> None:
    assert required_mandate(total) == role
    assert mandate_allows(role, total)


def test_required_mandate_does_not_depend_on_the_order() -> None:
    assert required_mandate(2_500_001, tuple(reversed(DEFAULT_MANDATES))) == "team_lead"


def test_required_mandate_without_an_unlimited_role() -> None:
    with pytest.raises(ValueError):
        required_mandate(2_000, (Mandate("officer", 1_000),))
