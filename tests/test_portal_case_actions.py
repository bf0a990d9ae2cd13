"""The applicant answers an information request, withdraws, and objects online."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from support import OFFICER, RESIDENT, database, login, post_form
from test_case_handling import MEMBER, act, apply_regular, client_for, status
from test_skeleton_path import grant, load_case, page_text, register_resident, submit_application

from app.models import InformationRequest, Objection


def _request_information(app: Flask, case) -> FlaskClient:  # type: ignore[no-untyped-def]
    officer = client_for(app, OFFICER)
    act(officer, case, "start_intake")
    act(
        officer,
        case,
        "request_information",
        {"questions": "Stuur de begroting.", "answer_weeks": "2"},
    )
    return officer


def test_applicant_answers_online_and_the_term_resumes(
    app: Flask, client: FlaskClient, frozen_time: time_machine.Coordinates
) -> None:
    case = apply_regular(app)
    _request_information(app, case)
    member = client_for(app, MEMBER)
    detail = page_text(member.get(f"/portal/cases/{case.id}"))
    assert "16-03-2026" in detail  # answer deadline shown on the case
    frozen_time.shift(timedelta(days=3))
    url = f"/portal/cases/{case.id}/answer"
    assert "Stuur de begroting." in page_text(member.get(url))
    response = post_form(member, url, {"answer": "De begroting zit in de bijlage."})
    assert response.status_code == 302
    assert status(app, case) == "intake"
    with database(app) as session:
        request = session.scalar(select(InformationRequest))
        assert request.answered_on == date(2026, 3, 5)
        assert request.answer == "De begroting zit in de bijlage."
    # 27 April (King's Day) + 3 days suspended = 30 April.
    assert load_case(app, case.id).decision_deadline == date(2026, 4, 30)


def test_after_the_answer_term_the_form_explains_why_it_is_closed(
    app: Flask, client: FlaskClient, frozen_time: time_machine.Coordinates
) -> None:
    case = apply_regular(app)
    _request_information(app, case)
    frozen_time.shift(timedelta(days=15))
    member = client_for(app, MEMBER)
    url = f"/portal/cases/{case.id}/answer"
    page = page_text(member.get(url))
    assert "16-03-2026" in page and "4:5" in page
    assert 'name="answer"' not in page
    assert status(app, case) == "information_requested"


def test_withdraw_after_confirmation_only_while_undecided(app: Flask, client: FlaskClient) -> None:
    register_resident(client)
    case = submit_application(client)
    url = f"/portal/cases/{case.id}/withdraw"
    confirmation = page_text(client.get(url))
    assert case.reference in confirmation
    assert status(app, case) == "submitted"
    assert post_form(client, url, {}).status_code == 302
    assert status(app, case) == "withdrawn"
    assert client.get(url).status_code == 404
    other = app.test_client()
    login(other, RESIDENT)
    assert other.get(url).status_code == 404


def test_objection_online_in_time_and_late(
    app: Flask, client: FlaskClient, frozen_time: time_machine.Coordinates
) -> None:
    register_resident(client)
    case = submit_application(client)
    officer = app.test_client()
    login(officer, OFFICER)
    assert grant(officer, case, "1.000", "Goed plan.").status_code == 302
    url = f"/portal/cases/{case.id}/objection"
    assert "13-04-2026" in page_text(client.get(url))

    frozen_time.shift(timedelta(days=50))  # past 13 April; the session cookie has expired too
    login(client, "anna@example.org", "een lange zin als wachtwoord")
    late_page = page_text(client.get(url))
    assert "Waarom is uw bezwaar te laat" in late_page
    refused = post_form(client, url, {"grounds": "Ik wilde het volle bedrag."})
    assert refused.status_code == 200
    assert 'id="lateness_reason-error"' in refused.get_data(as_text=True)
    accepted = post_form(
        client,
        url,
        {"grounds": "Ik wilde het volle bedrag.", "lateness_reason": "Ik was in het ziekenhuis."},
    )
    assert accepted.status_code == 302
    assert status(app, case) == "objection"
    with database(app) as session:
        objection = session.scalar(select(Objection))
        assert (objection.in_time, objection.channel) == (False, "online")
        assert objection.lateness_reason == "Ik was in het ziekenhuis."
