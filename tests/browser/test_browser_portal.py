"""The portal as residents and organisations use it, in Chromium, with axe on every page."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select
from support import database

from app.models import Case, User
from app.services import decisions, fit_check, intake

pytestmark = pytest.mark.browser
PASSWORD = "demo-wachtwoord-2026"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _file(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _reference(page: Page) -> str:
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"SB-2026-\d{6}", reference)
    return reference


def log_in(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def next_step(page: Page, title: str, assert_accessible: Callable[[Page], dict]) -> None:
    """Check the step with axe, press "Volgende" and arrive at the step called `title`."""
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^(Volgende|Controleer uw aanvraag)$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_informal_group_applies_with_a_photo(
    app: Flask,
    page: Page,
    live_server: str,
    tmp_path: Path,
    assert_accessible: Callable[[Page], dict],
) -> None:
    page.goto(f"{live_server}/register")
    page.get_by_label("Uw naam").fill("Fatma Yilmaz")
    page.get_by_label("E-mailadres").fill("moestuin@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill("een lange zin als wachtwoord")
    page.get_by_label("Herhaal het wachtwoord").fill("een lange zin als wachtwoord")
    page.get_by_role("button", name="Account aanmaken").click()
    page.goto(f"{live_server}/portal/apply/bewonersinitiatief")
    expect(page.get_by_text("Stap 1 van 6")).to_be_visible()
    page.get_by_label("Naam van uw initiatief").fill("Moestuin bij het buurthuis")
    page.get_by_label("Wat wilt u doen?").fill("Met tien buren een moestuin aanleggen.")
    page.get_by_label("Wijk of dorp").select_option(label="Beijum")
    next_step(page, "Wie vraagt aan", assert_accessible)

    group = page.get_by_label("Naam van uw groep")
    expect(group).to_be_hidden()  # shown only for an informal group
    page.get_by_label("Wij vragen aan als bewonersgroep (zonder KvK-inschrijving)").check()
    group.fill("Buurtgroep Moestuin Beijum")
    page.get_by_label("Naam van lid 1", exact=True).fill("Kees Bakker")
    page.get_by_label("E-mailadres van lid 1 (niet verplicht)").fill("kees@example.org")
    next_step(page, "Periode en bedrag", assert_accessible)

    page.get_by_label("Bedrag dat u aanvraagt (euro)").fill("850")
    page.get_by_label("Begindatum").fill("2026-04-01")
    page.get_by_label("Einddatum").fill("2026-10-31")
    # previous and back: nothing typed is lost
    page.get_by_role("button", name="Vorige").click()
    expect(page.get_by_label("Naam van lid 1", exact=True)).to_have_value("Kees Bakker")
    next_step(page, "Periode en bedrag", assert_accessible)
    expect(page.get_by_label("Bedrag dat u aanvraagt (euro)")).to_have_value("850")
    next_step(page, "Aanvullende vragen", assert_accessible)

    page.get_by_label("Hoeveel buurtbewoners doen mee?").fill("veel")
    next_step(page, "Aanvullende vragen", assert_accessible)  # refused, with the reason
    expect(page.locator("#question_participants-error")).to_contain_text("heel getal")
    assert_accessible(page)
    page.get_by_label("Hoeveel buurtbewoners doen mee?").fill("12")
    page.get_by_label("Via het WIJ-team").check()
    next_step(page, "Documenten", assert_accessible)

    page.get_by_label("Foto (niet verplicht)").set_input_files(_file(tmp_path, "tuin.png", PNG))
    next_step(page, "Controleer uw aanvraag", assert_accessible)
    for text in ("Buurtgroep Moestuin Beijum", "Kees Bakker", "€ 850,00", "tuin.png"):
        expect(page.get_by_text(text, exact=False).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Aanvraag indienen").click()
    _reference(page)
    assert_accessible(page)
    with database(app) as session:
        case = session.scalar(select(Case))
        assert (case.applicant_kind, case.group_name) == (
            "informal_group",
            "Buurtgroep Moestuin Beijum",
        )
        assert [c.name for c in case.co_applicants] == ["Kees Bakker"]
        assert {a.question.key: a.value for a in case.answers} == {
            "participants": 12,
            "heard_from": "wij_team",
        }
    page.get_by_role("link", name="Mijn aanvragen").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"SB-2026-")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moestuin bij het buurthuis")
    assert_accessible(page)


def test_autosave_keeps_what_was_typed_without_pressing_a_button(
    app: Flask, page: Page, live_server: str
) -> None:
    log_in(page, live_server, "bewoner@demo.sociale-basis.nl")
    page.goto(f"{live_server}/portal/apply/bewonersinitiatief")
    page.get_by_label("Naam van uw initiatief").fill("Straatfeest Oosterpark")
    page.get_by_label("Wat wilt u doen?").fill("Een straatfeest met muziek.")
    expect(page.get_by_role("status")).to_contain_text("Concept opgeslagen om")
    expect(page).to_have_url(re.compile(r"/portal/drafts/\d+/initiative$"))
    page.get_by_label("Wat wilt u doen?").fill("Een straatfeest met muziek en een maaltijd.")
    page.wait_for_timeout(2500)
    page.reload()
    expect(page.get_by_label("Wat wilt u doen?")).to_have_value(
        "Een straatfeest met muziek en een maaltijd."
    )
    with database(app) as session:
        assert session.scalar(select(Case.title)) == "Straatfeest Oosterpark"


def _decide(app: Flask, case_id: int, step: str) -> None:
    """Staff work between the organisation's steps, done through the services."""
    with database(app) as session:
        case = session.get(Case, case_id)
        staff = {
            u.email.split("@")[0]: u
            for u in session.scalars(select(User).where(User.email.like("%@demo.sociale-basis.nl")))
        }
        officer = staff["medewerker"]
        if step == "request":
            intake.start_intake(case, officer, None)
            intake.request_information(case, officer, "Stuur de begroting per jaar.", 2, None)
            return
        fit_check.start_fit_check(case, officer, None)
        goals = fit_check.adopted_programme(case).goals
        scores = [fit_check.Score(goal.id, 2) for goal in goals]
        fit_check.record_assessment(
            case, staff["adviseur.oude-wijken"], scores, "fits", "Past.", None
        )
        amounts = {a.year: a.requested_cents for a in case.year_amounts}
        decisions.propose(
            case, officer, "grant", amounts, "Past bij het programma.", "", None, None
        )
        decisions.approve(case, staff["teamleider"], None)


def test_organisation_applies_for_three_years_answers_and_downloads_the_decision(
    app: Flask,
    page: Page,
    live_server: str,
    tmp_path: Path,
    assert_accessible: Callable[[Page], dict],
) -> None:
    log_in(page, live_server, "vereniging@demo.sociale-basis.nl")
    page.goto(f"{live_server}/portal/apply/meerjarige-subsidie-sociale-basis")
    page.get_by_label("Naam van uw initiatief").fill("Buurthuis De Hoogte open voor iedereen")
    page.get_by_label("Welk probleem wilt u aanpakken?").fill("Er is geen plek om elkaar te zien.")
    page.get_by_label("Voor wie is het?").fill("Alle bewoners van De Hoogte")
    page.get_by_label("Wat gaat u doen?").fill("Inloop, taalcafé en een maaltijd.")
    page.get_by_label("Wat levert het op?").fill("Tweehonderd bezoekers per week.")
    page.get_by_label("Wijk of dorp").select_option(label="De Hoogte")
    next_step(page, "Wie vraagt aan", assert_accessible)
    expect(page.get_by_label("Ik vraag aan voor een geregistreerde organisatie")).to_be_checked()
    page.get_by_label("Welke organisatie?").select_option(label="Buurtvereniging De Hoogte")
    next_step(page, "Periode en bedrag", assert_accessible)
    for year, amount in (("2026", "30.000"), ("2027", "40.000"), ("2028", "40.000")):
        page.get_by_label(f"Bedrag voor {year}").fill(amount)
    page.get_by_label("Begindatum").fill("2026-04-01")
    page.get_by_label("Einddatum").fill("2028-12-31")
    next_step(page, "Aanvullende vragen", assert_accessible)
    for year, amount in (("2026", "20.000"), ("2027", "25.000"), ("2028", "25.000")):
        page.get_by_label(f"Bedrag voor {year}").fill(amount)
    page.get_by_label("Op welk adres vinden de activiteiten plaats?").fill("Star Numanstraat 1")
    page.get_by_label("Hoeveel bezoekers verwacht u per week?").fill("200")
    next_step(page, "Documenten", assert_accessible)
    for label in ("Begroting", "Activiteitenplan", "Statuten", "Jaarrekening"):
        page.get_by_label(label, exact=True).set_input_files(_file(tmp_path, f"{label}.pdf", PDF))
    next_step(page, "Controleer uw aanvraag", assert_accessible)
    assert_accessible(page)
    page.get_by_role("button", name="Aanvraag indienen").click()
    reference = _reference(page)
    with database(app) as session:
        case_id = session.scalar(select(Case.id).where(Case.reference == reference))

    _decide(app, case_id, "request")
    page.goto(f"{live_server}/portal/cases/{case_id}")
    assert_accessible(page)
    page.get_by_role("link", name="De vragen beantwoorden").click()
    assert_accessible(page)
    page.get_by_label("Uw antwoord").fill(
        "De begroting per jaar staat in de bijlage van de aanvraag."
    )
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".notice-success")).to_be_visible()

    _decide(app, case_id, "grant")
    page.reload()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download de besluitbrief")).click()
    letter = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(p.extract_text() for p in letter.pages).replace("\xa0", " ")
    assert reference in text and "€ 110.000,00" in text and "2028" in text
    page.goto(f"{live_server}/portal/organisations")
    assert_accessible(page)
    page.get_by_role("link", name="Buurtvereniging De Hoogte").click()
    assert_accessible(page)
    page.goto(f"{live_server}/account")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    ["/login", "/forgot-password", "/portal/organisations/new", "/account/delete", "/portal/"],
)
def test_more_portal_pages_have_no_violations(
    page: Page, live_server: str, path: str, assert_accessible: Callable[[Page], dict]
) -> None:
    log_in(page, live_server, "bewoner@demo.sociale-basis.nl")
    response = page.goto(f"{live_server}{path}")
    assert response is not None and response.status == 200
    assert_accessible(page)


def test_withdraw_and_objection_pages_have_no_violations(
    app: Flask, page: Page, live_server: str, assert_accessible: Callable[[Page], dict]
) -> None:
    from datetime import date

    from app.models import Neighbourhood, Regulation
    from app.services import submission

    with database(app) as session:
        resident = session.scalar(select(User).where(User.email == "bewoner@demo.sociale-basis.nl"))
        officer = session.scalar(
            select(User).where(User.email == "medewerker@demo.sociale-basis.nl")
        )
        regulation = session.scalar(
            select(Regulation).where(Regulation.code == "bewonersinitiatief")
        )
        beijum = session.scalar(select(Neighbourhood).where(Neighbourhood.name == "Beijum"))
        cases = []
        for token in ("to-withdraw", "to-object"):
            application = submission.Application(
                title=f"Initiatief {token}",
                description="Een buurtfeest.",
                neighbourhood_id=beijum.id,
                requested_cents=50_000,
                period_start=date(2026, 5, 1),
                period_end=date(2026, 5, 31),
                answers={"participants": 20},
            )
            cases.append(submission.submit(resident, regulation, application, token))
        decisions.grant_light(cases[1], officer, 50_000, "Mooi plan.", cases[1].version)
        withdraw_id, object_id = cases[0].id, cases[1].id
    log_in(page, live_server, "bewoner@demo.sociale-basis.nl")
    for path in (f"/portal/cases/{withdraw_id}/withdraw", f"/portal/cases/{object_id}/objection"):
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200
        assert_accessible(page)
    page.get_by_role("button", name="Bezwaar versturen").click()  # empty: errors shown
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
