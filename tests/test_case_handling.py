"""Officers, advisors and mandate holders carry a regular-tier case through the lifecycle."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from support import (
    OFFICER,
    OTHER_OFFICER,
    RESIDENT,
    apply_online,
    csrf_token,
    database,
    login,
    pdf_upload,
)
from test_skeleton_path import load_case, neighbourhood_id, page_text, pdf_text

from app.models import (
    Case,
    CaseEvent,
    Decision,
    Document,
    FitAssessment,
    InformationRequest,
    Notification,
    Objection,
    Organisation,
    ProgrammeGoal,
)
from app.services import fit_check

MEMBER = "vereniging@demo.sociale-basis.nl"
TEAM_LEAD = "teamleider@demo.sociale-basis.nl"
ADVISOR_OOST = "adviseur.oost@demo.sociale-basis.nl"
ADVISOR_WEST = "adviseur.west@demo.sociale-basis.nl"
REGULAR = "/portal/apply/sociale-basis-activiteiten"


def client_for(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    login(client, email)
    return client


def regular_data(app: Flask, amount: str = "12.000") -> dict[str, object]:
    return {
        "title": "Ontmoetingsmiddagen voor ouderen in Beijum",
        "description": "Wekelijkse ontmoeting tegen eenzaamheid onder ouderen in het buurthuis",
        "neighbourhood_id": str(neighbourhood_id(app, "Beijum")),
        "target_group": "Alleenwonende ouderen in Beijum",
        "activities": "Elke dinsdag koffie, een spel en een gezamenlijke lunch.",
        "expected_results": "Dertig vaste bezoekers die zich minder eenzaam voelen.",
        "applicant_kind": "organisation",
        "organisation_id": str(member_organisation_id(app)),
        "document_budget": pdf_upload("begroting.pdf"),
        "document_activity_plan": pdf_upload("activiteitenplan.pdf"),
        "requested_amount": amount,
        "period_start": "2026-05-01",
        "period_end": "2026-12-31",
        "question_first_activity": "2026-05-05",
        "question_volunteers": "6",
    }


def apply_regular(app: Flask, amount: str = "12.000") -> Case:
    client = client_for(app, MEMBER)
    response = apply_online(client, REGULAR, regular_data(app, amount))
    assert response.status_code == 302, page_text(response)[:3000]
    case_id = int(re.search(r"/portal/cases/(\d+)/receipt", response.location).group(1))
    return load_case(app, case_id)


def member_organisation_id(app: Flask) -> int:
    with database(app) as session:
        return session.scalar(
            select(Organisation.id).where(Organisation.name == "Buurtvereniging De Hoogte")
        )


def act(client: FlaskClient, case: Case, name: str, fields: dict[str, str] | None = None):
    """Do one action from the case page as the officer's browser would post it."""
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    match = re.search(rf'name="{name}-version" type="hidden" value="(\d+)"', page)
    data = {
        f"{name}-csrf_token": csrf_token(page),
        f"{name}-version": match.group(1) if match else "",
    }
    data.update({f"{name}-{key}": value for key, value in (fields or {}).items()})
    return client.post(f"/cases/{case.id}/actions/{name}", data=data)


def status(app: Flask, case: Case) -> str:
    return load_case(app, case.id).status


def goal_ids(app: Flask, case: Case) -> list[int]:
    with database(app) as session:
        programme = fit_check.adopted_programme(session.get(Case, case.id))
        return [goal.id for goal in programme.goals]


def assess(client: FlaskClient, app: Flask, case: Case, verdict: str = "fits"):
    fields = {"verdict": verdict, "motivation": "Draagt bij aan minder eenzaamheid."}
    for goal_id in goal_ids(app, case):
        fields[f"score_{goal_id}"] = "2"
        fields[f"note_{goal_id}"] = ""
    return act(client, case, "assess_fit", fields)


def to_fit_check_done(app: Flask, case: Case, officer: FlaskClient) -> None:
    assert act(officer, case, "start_intake").status_code == 302
    assert act(officer, case, "start_fit_check").status_code == 302
    advisor = client_for(app, ADVISOR_OOST)
    assert assess(advisor, app, case).status_code == 302


def propose_grant(officer: FlaskClient, case: Case, amount: str):
    return act(
        officer,
        case,
        "propose_decision",
        {
            "kind": "grant",
            "amount_2026": amount,
            "conditions": "Vermeld de gemeente bij publiciteit.",
            "motivation": "Past bij het gebiedsprogramma Oost.",
            "refusal_reason": "",
        },
    )


def test_regular_case_from_intake_to_letter_and_objection(
    app: Flask, client: FlaskClient, frozen_time: time_machine.Coordinates
) -> None:
    case = apply_regular(app)
    assert case.tier == "regular" and case.status == "submitted"
    original_deadline = case.decision_deadline
    officer = client_for(app, OFFICER)

    assert act(officer, case, "start_intake").status_code == 302
    response = act(
        officer,
        case,
        "request_information",
        {"questions": "Stuur de begroting.", "answer_weeks": "2"},
    )
    assert response.status_code == 302
    assert status(app, case) == "information_requested"
    with database(app) as session:
        request = session.scalar(
            select(InformationRequest).where(InformationRequest.case_id == case.id)
        )
        assert request.answer_deadline == date(2026, 3, 16)
        letter = session.scalar(
            select(Document).where(Document.kind == "letter_information_request")
        )
        assert letter is not None

    frozen_time.shift(timedelta(days=5))
    response = act(
        officer,
        case,
        "receive_answer",
        {"answer": "Begroting volgt als bijlage.", "answered_on": ""},
    )
    assert response.status_code == 302
    # 28 April (after King's Day) before; suspended 3-7 March, so 27 April + 5 days = Saturday
    # 2 May, which moves to Monday 4 May.
    assert original_deadline == date(2026, 4, 28)
    assert load_case(app, case.id).decision_deadline == date(2026, 5, 4)

    refused = propose_grant(officer, case, "10.000")
    assert refused.status_code == 403
    assert "eerst een toets aan het gebiedsprogramma" in page_text(refused)

    assert act(officer, case, "start_fit_check").status_code == 302
    west = client_for(app, ADVISOR_WEST)
    assert west.get(f"/cases/{case.id}").status_code == 404  # other area: not even visible
    advisor = client_for(app, ADVISOR_OOST)
    advisor_page = page_text(advisor.get(f"/cases/{case.id}"))
    assert "Voorgestelde doelen" in advisor_page and "eenzaam" in advisor_page
    assert assess(advisor, app, case).status_code == 302

    assert propose_grant(officer, case, "10.000").status_code == 302
    assert status(app, case) == "decision_proposed"
    same_person = act(officer, case, "approve")
    assert same_person.status_code == 403
    assert "vier ogen" in page_text(same_person)

    with database(app) as session:
        decision = session.scalar(select(Decision).where(Decision.case_id == case.id))
    preview = officer.get(f"/cases/{case.id}/decisions/{decision.id}/preview.pdf")
    assert preview.status_code == 200 and "€ 10.000,00" in pdf_text(preview.data)

    team_lead = client_for(app, TEAM_LEAD)
    assert act(team_lead, case, "approve").status_code == 302
    assert status(app, case) == "granted"
    with database(app) as session:
        decision = session.get(Decision, decision.id)
        assert (decision.status, decision.approver.email) == ("sent", TEAM_LEAD)
        assert decision.objection_deadline == date(2026, 4, 20)
        letter_text = pdf_text(_file(app, decision.letter_id))
    assert case.reference in letter_text and "€ 10.000,00" in letter_text
    assert "20-04-2026" in letter_text and "Past bij het gebiedsprogramma Oost" in letter_text

    frozen_time.shift(timedelta(days=10))
    response = act(
        officer,
        case,
        "object",
        {
            "received_on": "",
            "channel": "paper",
            "grounds": "Te weinig toegekend.",
            "lateness_reason": "",
        },
    )
    assert response.status_code == 302
    assert status(app, case) == "objection"
    unfounded = {"outcome": "unfounded", "motivation": "Bedrag klopt.", "lateness_excusable": ""}
    proposer_decides = act(officer, case, "decide_objection", unfounded)
    assert proposer_decides.status_code == 403
    other = client_for(app, OTHER_OFFICER)
    decided = act(
        other,
        case,
        "decide_objection",
        {"outcome": "unfounded", "motivation": "Het bedrag klopt.", "lateness_excusable": ""},
    )
    assert decided.status_code == 302
    assert status(app, case) == "objection_decided"
    with database(app) as session:
        objection = session.scalar(select(Objection).where(Objection.case_id == case.id))
        assert objection.in_time and objection.outcome == "unfounded"
        kinds = session.scalars(
            select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        ).all()
    assert kinds[:4] == ["submit", "start_intake", "request_information", "receive_answer"]
    assert {
        "fit_assessed",
        "propose_decision",
        "approve",
        "grant",
        "object",
        "decide_objection",
    } <= set(kinds)


def _file(app: Flask, document_id: int) -> bytes:
    with database(app) as session:
        from app.services import storage

        return storage.path_of(session.get(Document, document_id)).read_bytes()


def test_mandate_limits_who_may_approve(app: Flask, client: FlaskClient) -> None:
    case = apply_regular(app, "30.000")
    officer = client_for(app, OFFICER)
    to_fit_check_done(app, case, officer)
    assert propose_grant(officer, case, "30.000").status_code == 302
    other_officer = client_for(app, OTHER_OFFICER)
    over_mandate = act(other_officer, case, "approve")
    assert over_mandate.status_code == 403
    assert "mandaat" in page_text(over_mandate)
    assert act(client_for(app, TEAM_LEAD), case, "approve").status_code == 302
    assert status(app, case) == "granted"


def test_send_back_and_refusal(app: Flask, client: FlaskClient) -> None:
    case = apply_regular(app)
    officer = client_for(app, OFFICER)
    to_fit_check_done(app, case, officer)
    assert propose_grant(officer, case, "12.000").status_code == 302
    team_lead = client_for(app, TEAM_LEAD)
    assert act(team_lead, case, "send_back", {"note": ""}).status_code == 422
    assert act(team_lead, case, "send_back", {"note": "Onderbouw de begroting."}).status_code == 302
    assert status(app, case) == "intake"
    refusal = act(
        officer,
        case,
        "propose_decision",
        {"kind": "refusal", "refusal_reason": "ceiling_reached", "motivation": "Plafond bereikt."},
    )
    assert refusal.status_code == 302
    assert act(team_lead, case, "approve").status_code == 302
    assert status(app, case) == "refused"
    with database(app) as session:
        decisions = session.scalars(
            select(Decision).where(Decision.case_id == case.id).order_by(Decision.id)
        ).all()
        assert [(d.kind, d.status) for d in decisions] == [
            ("grant", "sent_back"),
            ("refusal", "sent"),
        ]
        text = pdf_text(_file(app, decisions[1].letter_id))
    assert "subsidieplafond" in text.lower()


def test_grant_above_requested_amount_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient
) -> None:
    case = apply_regular(app)
    officer = client_for(app, OFFICER)
    to_fit_check_done(app, case, officer)
    response = propose_grant(officer, case, "12.000,01")
    assert response.status_code == 422
    assert "€ 12.000,00" in page_text(response)
    assert status(app, case) == "fit_check"


def test_not_considered_only_after_the_answer_term(
    app: Flask, client: FlaskClient, frozen_time: time_machine.Coordinates
) -> None:
    case = apply_regular(app)
    officer = client_for(app, OFFICER)
    act(officer, case, "start_intake")
    act(officer, case, "request_information", {"questions": "Statuten graag.", "answer_weeks": "2"})
    early = act(officer, case, "not_consider", {"motivation": "Geen antwoord."})
    assert early.status_code == 403
    frozen_time.shift(timedelta(days=15))
    assert act(officer, case, "not_consider", {"motivation": "Geen antwoord."}).status_code == 302
    assert status(app, case) == "not_considered"
    with database(app) as session:
        decision = session.scalar(select(Decision).where(Decision.case_id == case.id))
        assert decision.kind == "not_considered" and decision.letter_id


def test_not_considered_only_within_four_weeks_after_the_answer_term(
    app: Flask, client: FlaskClient, frozen_time: time_machine.Coordinates
) -> None:
    case = apply_regular(app)
    officer = client_for(app, OFFICER)
    act(officer, case, "start_intake")
    act(officer, case, "request_information", {"questions": "Statuten graag.", "answer_weeks": "2"})
    frozen_time.shift(
        timedelta(days=14 + 29)
    )  # answer term ended 16 March; 4 weeks later: 13 April
    officer = client_for(app, OFFICER)
    late = act(officer, case, "not_consider", {"motivation": "Geen antwoord."})
    assert late.status_code == 403 and "4:5" in page_text(late)
    assert status(app, case) == "information_requested"


def test_objection_term_extended_once(app: Flask, client: FlaskClient) -> None:
    case = apply_regular(app)
    officer = client_for(app, OFFICER)
    to_fit_check_done(app, case, officer)
    propose_grant(officer, case, "10.000")
    act(client_for(app, TEAM_LEAD), case, "approve")
    objection = {
        "received_on": "",
        "channel": "online",
        "grounds": "Te laag.",
        "lateness_reason": "",
    }
    assert act(officer, case, "object", objection).status_code == 302
    with database(app) as session:
        before = session.scalar(select(Objection.decision_deadline))
    assert act(officer, case, "extend_objection_term").status_code == 302
    with database(app) as session:
        after = session.scalar(select(Objection.decision_deadline))
    # Objection term ends 13 April; 6 weeks later is Whit Monday 25 May, so 26 May; extended
    # once by 6 weeks: 13 April + 12 weeks = Monday 6 July.
    assert (before, after) == (date(2026, 5, 26), date(2026, 7, 6))
    assert act(officer, case, "extend_objection_term").status_code == 403


def test_extension_once_with_a_notice(app: Flask, client: FlaskClient) -> None:
    case = apply_regular(app)
    officer = client_for(app, OFFICER)
    act(officer, case, "start_intake")
    before = load_case(app, case.id).decision_deadline
    assert (
        act(
            officer, case, "extend_term", {"extension_weeks": "4", "motivation": "Advies nodig."}
        ).status_code
        == 302
    )
    after = load_case(app, case.id).decision_deadline
    assert after >= before + timedelta(weeks=4)
    page = page_text(officer.get(f"/cases/{case.id}"))
    assert f'action="/cases/{case.id}/actions/extend_term"' not in page
    again = act(officer, case, "extend_term", {"extension_weeks": "2", "motivation": "Nog meer."})
    assert again.status_code == 403
    with database(app) as session:
        templates = session.scalars(
            select(Notification.template).where(Notification.case_id == case.id)
        ).all()
    assert "letter_sent" in templates


def test_stale_action_gets_a_conflict(app: Flask, client: FlaskClient) -> None:
    case = apply_regular(app)
    officer = client_for(app, OFFICER)
    page = officer.get(f"/cases/{case.id}").get_data(as_text=True)
    data = {"start_intake-csrf_token": csrf_token(page), "start_intake-version": "0"}
    response = officer.post(f"/cases/{case.id}/actions/start_intake", data=data)
    assert response.status_code == 409
    assert status(app, case) == "submitted"


def test_internal_notes_stay_internal(app: Flask, client: FlaskClient) -> None:
    case = apply_regular(app)
    officer = client_for(app, OFFICER)
    assert act(officer, case, "add_note", {"note": "Bel de aanvrager even."}).status_code == 302
    assert "Bel de aanvrager even." in page_text(officer.get(f"/cases/{case.id}"))
    member = client_for(app, MEMBER)
    assert "Bel de aanvrager" not in page_text(member.get(f"/portal/cases/{case.id}"))


def test_council_reader_and_applicant_cannot_act(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    case = apply_regular(app)
    caplog.set_level(logging.WARNING, logger="sociale_basis.access")
    council = client_for(app, "raad@demo.sociale-basis.nl")
    assert council.get(f"/cases/{case.id}").status_code == 200
    assert act(council, case, "start_intake").status_code == 403
    resident = client_for(app, RESIDENT)
    token = csrf_token(resident.get("/portal/").get_data(as_text=True))
    data = {"start_intake-csrf_token": token, "start_intake-version": str(case.version)}
    assert resident.post(f"/cases/{case.id}/actions/start_intake", data=data).status_code == 403
    assert status(app, case) == "submitted"
    refusals = [r.getMessage() for r in caplog.records if r.name == "sociale_basis.access"]
    assert len(refusals) == 2 and all("refused" in message for message in refusals)


def test_advisor_scores_every_goal(app: Flask, client: FlaskClient) -> None:
    case = apply_regular(app)
    officer = client_for(app, OFFICER)
    act(officer, case, "start_intake")
    act(officer, case, "start_fit_check")
    advisor = client_for(app, ADVISOR_OOST)
    response = act(advisor, case, "assess_fit", {"verdict": "fits", "motivation": ""})
    assert response.status_code == 422
    assert assess(advisor, app, case, "partly").status_code == 302
    with database(app) as session:
        assessment = session.scalar(select(FitAssessment).where(FitAssessment.case_id == case.id))
        goal_count = session.scalar(
            select(ProgrammeGoal.id)
            .where(ProgrammeGoal.programme_id == assessment.programme_id)
            .limit(1)
        )
        assert assessment.verdict == "partly" and goal_count
        assert len(assessment.scores) == len(goal_ids(app, case))


def test_above_every_mandate_the_board_decides(app: Flask, client: FlaskClient) -> None:
    case = apply_regular(app, "40.000")
    with database(app) as session:
        stored = session.get(Case, case.id)
        stored.requested_cents = 30_000_000  # as if an extended-tier request of € 300.000
        stored.regulation.max_amount_cents = 40_000_000
        session.commit()
    case = load_case(app, case.id)
    officer = client_for(app, OFFICER)
    to_fit_check_done(app, case, officer)
    assert propose_grant(officer, case, "300.000").status_code == 302
    team_lead = client_for(app, TEAM_LEAD)
    assert act(team_lead, case, "approve").status_code == 403
    admin = client_for(app, "beheerder@demo.sociale-basis.nl")
    assert act(admin, case, "approve").status_code == 403  # only as a recorded board decision
    assert act(admin, case, "approve", {"board_decision": "y"}).status_code == 302
    with database(app) as session:
        decision = session.scalar(select(Decision).where(Decision.case_id == case.id))
        assert decision.board_decision and decision.amount_cents == 30_000_000
    assert status(app, case) == "granted"


def test_letters_can_be_viewed_inline_by_staff_only(app: Flask, client: FlaskClient) -> None:
    case = apply_regular(app)
    officer = client_for(app, OFFICER)
    act(officer, case, "start_intake")
    act(officer, case, "request_information", {"questions": "Begroting?", "answer_weeks": "2"})
    with database(app) as session:
        letter_id = session.scalar(select(Document.id).where(Document.case_id == case.id))
    response = officer.get(f"/documents/{letter_id}/view")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "inline"
    assert response.mimetype == "application/pdf"
    assert client_for(app, RESIDENT).get(f"/documents/{letter_id}/view").status_code == 404


def test_an_answer_cannot_arrive_before_the_request_or_in_the_future(
    app: Flask, client: FlaskClient
) -> None:
    case = apply_regular(app)
    officer = client_for(app, OFFICER)
    act(officer, case, "start_intake")
    act(officer, case, "request_information", {"questions": "Begroting?", "answer_weeks": "2"})
    for day in ("2026-03-01", "2026-03-09"):
        response = act(officer, case, "receive_answer", {"answer": "Per post.", "answered_on": day})
        assert response.status_code == 422
        assert 'id="receive_answer-answered_on-error"' in response.get_data(as_text=True)
    assert status(app, case) == "information_requested"
