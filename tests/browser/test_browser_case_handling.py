"""An officer, an area advisor and a mandate holder carry a regular-tier case in Chromium:
intake, information request, fit check, proposal, approval and letter, then an objection."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from sqlalchemy import select
from support import database

from app.models import Neighbourhood, OrganisationMember, Regulation, User
from app.services import submission, uploads

pytestmark = pytest.mark.browser
PASSWORD = "demo-wachtwoord-2026"


def _regular_case(app: Flask) -> tuple[int, str]:
    with database(app) as session:
        member = session.scalar(
            select(User).where(User.email == "vereniging@demo.sociale-basis.nl")
        )
        regulation = session.scalar(
            select(Regulation).where(Regulation.code == "sociale-basis-activiteiten")
        )
        beijum = session.scalar(select(Neighbourhood).where(Neighbourhood.name == "Beijum"))
        application = submission.Application(
            title="Ontmoetingsmiddagen voor ouderen in Beijum",
            description="Elke week een middag in het buurthuis tegen eenzaamheid onder ouderen.",
            neighbourhood_id=beijum.id,
            requested_cents=1_200_000,
            period_start=date(2026, 5, 1),
            period_end=date(2026, 12, 31),
            target_group="Alleenwonende ouderen",
            activities="Koffie, een spel en een lunch.",
            expected_results="Dertig vaste bezoekers.",
            applicant_kind="organisation",
            organisation_id=session.scalar(
                select(OrganisationMember.organisation_id).where(
                    OrganisationMember.user_id == member.id
                )
            ),
            answers={"first_activity": "2026-05-05", "volunteers": 6},
            documents=tuple(
                (kind, uploads.Upload(f"{kind}.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n"))
                for kind in ("budget", "activity_plan")
            ),
        )
        case = submission.submit(member, regulation, application, "browser-journey")
        return case.id, case.reference


def _signed_in(browser: Browser, base: str, email: str) -> Page:
    """A fresh browser context for one person, in English, logged in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{base}/language/en?next=/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def _status(page: Page) -> str:
    return page.locator("dl.summary .status").first.inner_text()


def test_regular_case_journey(
    app: Flask, live_server: str, browser: Browser, assert_accessible: Callable[[Page], dict]
) -> None:
    case_id, reference = _regular_case(app)
    case_url = f"{live_server}/cases/{case_id}"

    officer = _signed_in(browser, live_server, "medewerker@demo.sociale-basis.nl")
    officer.get_by_role("link", name=reference).click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text(reference)
    assert_accessible(officer)
    officer.get_by_role("button", name="Start intake").click()
    expect(officer.locator(".notice-success")).to_contain_text("Intake has started")

    officer.get_by_label("Questions for the applicant").fill("Please send the budget.")
    officer.get_by_role("button", name="Send the information request").click()
    assert _status(officer) == "Information requested"
    officer.get_by_label("Answer received").fill("Budget received by post.")
    officer.get_by_role("button", name="Record the answer").click()
    assert _status(officer) == "Being checked"
    officer.get_by_role("button", name="Ask the area advisor").click()
    assert _status(officer) == "Area programme check"

    advisor = _signed_in(browser, live_server, "adviseur.oost@demo.sociale-basis.nl")
    advisor.goto(case_url)
    expect(advisor.get_by_role("heading", name="Suggested goals")).to_be_visible()
    assert_accessible(advisor)
    for select_box in advisor.locator("select[name^='assess_fit-score_']").all():
        select_box.select_option("2")
    advisor.get_by_label("Fits the area programme").check()
    advisor.locator("textarea[name='assess_fit-motivation']").fill("Serves the loneliness goal.")
    advisor.get_by_role("button", name="Save the assessment").click()
    expect(advisor.locator(".notice-success")).to_be_visible()

    officer.goto(case_url)
    officer.get_by_label("Grant", exact=True).check()
    officer.get_by_label("Amount for 2026").fill("10.000")
    officer.locator("textarea[name='propose_decision-motivation']").fill(
        "Fits area programme Oost."
    )
    officer.get_by_role("button", name="Propose for approval").click()
    assert _status(officer) == "Decision proposed"

    team_lead = _signed_in(browser, live_server, "teamleider@demo.sociale-basis.nl")
    team_lead.goto(case_url)
    expect(team_lead.get_by_role("link", name="Preview the letter (PDF)")).to_be_visible()
    assert_accessible(team_lead)
    team_lead.get_by_role("button", name="Approve and send").click()
    assert _status(team_lead) == "Granted"
    with team_lead.expect_download() as download:
        team_lead.get_by_role("link", name=re.compile("Download the decision letter")).click()
    letter = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(page.extract_text() for page in letter.pages).replace("\xa0", " ")
    assert reference in text and "€ 10.000,00" in text

    officer.goto(case_url)
    officer.get_by_label("Grounds of the objection").fill("The amount is too low.")
    officer.get_by_role("button", name="Register the objection").click()
    assert _status(officer) == "Objection filed"

    colleague = _signed_in(browser, live_server, "medewerker2@demo.sociale-basis.nl")
    colleague.goto(case_url)
    colleague.get_by_label("Unfounded: the decision stands").check()
    colleague.locator("textarea[name='decide_objection-motivation']").fill("The amount is right.")
    colleague.get_by_role("button", name="Send the decision on the objection").click()
    assert _status(colleague) == "Objection decided"
    assert_accessible(colleague)
    expect(colleague.locator(".timeline")).to_contain_text("Objection decided")
