"""Demo seeding from the command line, and configuration safety."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from support import database

from app import create_app
from app.models import Area, BudgetLine, Case, Neighbourhood, Regulation, User
from config import DEFAULT_SECRET_KEY


def _counts(app: Flask) -> dict[str, int]:
    with database(app) as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (Area, Neighbourhood, Regulation, BudgetLine, User, Case)
        }


def test_seed_demo_loads_the_municipality_and_is_idempotent(
    app: Flask, frozen_time: object
) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--cases", "40"])
    assert first.exit_code == 0, first.output
    assert "medewerker@demo.sociale-basis.nl" in first.output
    assert "demo-wachtwoord-2026" in first.output
    counts = _counts(app)
    assert counts["Area"] == 7
    assert counts["Regulation"] == 3
    assert counts["Case"] == 40
    assert counts["User"] >= 9

    again = runner.invoke(args=["seed-demo", "--cases", "40"])
    assert again.exit_code == 0, again.output
    assert _counts(app) == counts
    with database(app) as session:
        statuses = set(session.scalars(select(Case.status)))
        tiers = set(session.scalars(select(Regulation.tier)))
    assert len(statuses) >= 8
    assert tiers == {"light", "regular", "extended"}


def test_production_refuses_the_default_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SB_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    assert create_app().config["SESSION_COOKIE_SECURE"] is True


def test_security_headers_on_every_page(app: Flask) -> None:
    response = app.test_client().get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_money_is_written_exactly_as_babel_writes_it(locale: str) -> None:
    from decimal import Decimal

    from babel.numbers import format_currency

    from app.formatting import format_money

    for cents in (0, 5, 99, 100, 245_050, -245_050, 500_000_00, 123_456_789_012):
        assert format_money(cents, locale) == format_currency(
            Decimal(cents) / 100, "EUR", locale=locale
        )
    assert format_money(245_050, "nl") == "€\xa02.450,50"


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_days_are_written_exactly_as_babel_writes_them(locale: str) -> None:
    from datetime import date, timedelta

    from babel.dates import format_date

    from app.formatting import DATE_PATTERNS, format_day

    day = date(2025, 12, 25)
    for _ in range(400):
        assert format_day(day, locale) == format_date(day, DATE_PATTERNS[locale], locale=locale)
        day += timedelta(days=3)
    assert format_day(date(2026, 11, 23), "nl") == "23-11-2026"


def test_the_chosen_language_is_remembered_on_the_account(app: Flask, client: FlaskClient) -> None:
    from support import login, user_by_email

    login(client, "bewoner@demo.sociale-basis.nl")
    assert client.get("/language/en?next=/portal/").status_code == 302
    assert "My applications" in client.get("/portal/").get_data(as_text=True)
    with database(app):
        assert user_by_email("bewoner@demo.sociale-basis.nl").locale == "en"
    fresh = app.test_client()  # a new browser: the session is gone, the account remembers
    login(fresh, "bewoner@demo.sociale-basis.nl")
    assert "My applications" in fresh.get("/portal/").get_data(as_text=True)
