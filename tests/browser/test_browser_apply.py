"""Step 1 of the resident's journey in Chromium: create an account and apply.

Every page on the way is checked with axe-core against WCAG 2.1 A and AA.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from support import database, user_by_email

from app.models import Case

pytestmark = pytest.mark.browser

EMAIL = "anna@example.org"
PASSWORD = "een lange zin als wachtwoord"
APPLY_PATH = "/portal/apply/bewonersinitiatief"

Check = Callable[[Page], dict]


def create_account(page: Page, base_url: str, assert_accessible: Check | None = None) -> None:
    """From the start page through "Account aanmaken", as a resident would."""
    page.goto(base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geld voor uw idee voor de buurt")
    if assert_accessible:
        assert_accessible(page)
    page.get_by_role("link", name="Account aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account aanmaken")
    if assert_accessible:
        assert_accessible(page)
    page.get_by_label("Uw naam", exact=True).fill("Anna Jansen")
    page.get_by_label("E-mailadres", exact=True).fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("status")).to_contain_text("Uw account is aangemaakt")


def open_application_form(page: Page, assert_accessible: Check | None = None) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regelingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Regelingen waarvoor u nu subsidie kunt aanvragen"
    )
    if assert_accessible:
        assert_accessible(page)
    page.get_by_role("link", name="Subsidie aanvragen: Bewonersinitiatief", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(APPLY_PATH) + "$"))
    expect(page.get_by_text("Subsidie aanvragen: Bewonersinitiatief", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw initiatief")


def cases_of(app: Flask, email: str) -> int:
    with database(app) as session:
        user = user_by_email(email)
        return session.scalar(select(func.count(Case.id)).where(Case.applicant_id == user.id))


def test_resident_creates_account_and_applies(
    app: Flask, live_server: str, page: Page, assert_accessible: Check
) -> None:
    create_account(page, live_server, assert_accessible)
    open_application_form(page, assert_accessible)

    page.get_by_label("Naam van uw initiatief").fill("Moestuin Beijum")
    page.get_by_label("Wat wilt u doen?").fill(
        "Samen met buren een moestuin aanleggen bij het buurthuis."
    )
    page.get_by_label("Wijk of dorp").select_option(label="Beijum")
    page.get_by_label("Voor wie is het?").fill("Bewoners van Beijum, jong en oud")
    for title in ("Wie vraagt aan", "Periode en bedrag"):
        assert_accessible(page)
        page.get_by_role("button", name="Volgende").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_label("Bedrag dat u aanvraagt (euro)").fill("1.250,00")
    page.get_by_label("Begindatum").fill("2026-04-01")
    page.get_by_label("Einddatum").fill("2026-09-30")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Hoeveel buurtbewoners doen mee?").fill("30")
    for title in ("Documenten", "Controleer uw aanvraag"):
        assert_accessible(page)
        page.get_by_role("button", name=re.compile("^(Volgende|Controleer uw aanvraag)$")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page)  # the check page, before submitting
    page.get_by_role("button", name="Aanvraag indienen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvraag ontvangen")
    expect(page.get_by_test_id("reference")).to_have_text(re.compile(r"^SB-2026-\d{6}$"))
    # 2 March 2026 + 8 weeks = Monday 27 April, King's Day: the term moves to Tuesday 28 April.
    expect(page.get_by_test_id("decision-deadline")).to_have_text("28-04-2026")
    assert_accessible(page)
    assert cases_of(app, EMAIL) == 1


def test_form_errors_are_accessible_and_summary_links_move_focus(
    app: Flask, live_server: str, page: Page, assert_accessible: Check
) -> None:
    create_account(page, live_server)
    open_application_form(page)
    page.get_by_role("button", name="Volgende").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Verbeter het volgende")
    expect(page.get_by_label("Naam van uw initiatief")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    first_link = summary.get_by_role("link").first
    expect(first_link).to_have_attribute("href", "#title")
    first_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'title'")
    assert page.evaluate("document.activeElement.id") == "title"
    assert cases_of(app, EMAIL) == 0
