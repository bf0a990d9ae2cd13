"""The walking skeleton: a resident applies, an officer grants, the letter and mail arrive."""

from __future__ import annotations

import io
import re
from email import message_from_bytes
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select
from support import (
    OFFICER,
    RESIDENT,
    apply_online,
    csrf_token,
    database,
    fill_steps,
    hidden_value,
    login,
    post_form,
)

from app.models import Case, CaseEvent, Decision, Neighbourhood, Notification, Regulation
from app.services import notifications

APPLY_URL = "/portal/apply/bewonersinitiatief"


def neighbourhood_id(app: Flask, name: str = "Beijum") -> int:
    with database(app) as session:
        return session.scalar(select(Neighbourhood.id).where(Neighbourhood.name == name))


def application_data(client: FlaskClient, **changes: str) -> dict[str, str]:
    data = {
        "title": "Moestuin Beijum",
        "description": "Samen met buren een moestuin aanleggen bij het buurthuis.",
        "neighbourhood_id": str(neighbourhood_id(client.application)),
        "target_group": "Bewoners van Beijum, jong en oud",
        "requested_amount": "2.450,50",
        "period_start": "2026-04-01",
        "period_end": "2026-09-30",
        "question_participants": "25",
    }
    data.update(changes)
    return data


def register_resident(client: FlaskClient, email: str = "anna@example.org") -> None:
    response = post_form(
        client,
        "/register",
        {
            "name": "Anna Jansen",
            "email": email,
            "password": "een lange zin als wachtwoord",
            "confirm": "een lange zin als wachtwoord",
        },
    )
    assert response.status_code == 302


def submit_application(client: FlaskClient, **changes: str) -> Case:
    response = apply_online(client, APPLY_URL, application_data(client, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    case_id = int(re.search(r"/portal/cases/(\d+)/receipt", response.location).group(1))
    return load_case(client.application, case_id)


def submitted_count(client: FlaskClient) -> int:
    with database(client.application) as session:
        return session.scalar(select(func.count(Case.id)).where(Case.status != "draft"))


def count(client: FlaskClient, model: type) -> int:
    with database(client.application) as session:
        return session.scalar(select(func.count(model.id)))


def load_case(app: Flask, case_id: int) -> Case:
    with database(app) as session:
        return session.get(Case, case_id)


def grant(client: FlaskClient, case: Case, amount: str, motivation: str):
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    version = re.search(r'name="decide_light-version" type="hidden" value="(\d+)"', page).group(1)
    return client.post(
        f"/cases/{case.id}/actions/decide_light",
        data={
            "decide_light-csrf_token": csrf_token(page),
            "decide_light-amount": amount,
            "decide_light-motivation": motivation,
            "decide_light-version": version,
        },
    )


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return "\n".join(page.extract_text() for page in pages).replace("\xa0", " ")


def page_text(response) -> str:  # type: ignore[no-untyped-def]
    """The page as a person reads it: non-breaking spaces (as in "€ 5,00") become spaces."""
    return response.get_data(as_text=True).replace("\xa0", " ")


def test_resident_applies_officer_grants_letter_and_mail_arrive(
    app: Flask, client: FlaskClient
) -> None:
    register_resident(client)
    case = submit_application(client)

    assert re.fullmatch(r"SB-2026-\d{6}", case.reference)
    assert case.status == "submitted"
    receipt = client.get(f"/portal/cases/{case.id}/receipt").get_data(as_text=True)
    assert case.reference in receipt
    # 2 March 2026 + 8 weeks = Monday 27 April, King's Day: the term moves to Tuesday 28 April.
    assert "28-04-2026" in receipt
    assert str(case.decision_deadline) == "2026-04-28"

    officer = app.test_client()
    login(officer, OFFICER)
    queue = officer.get("/cases/").get_data(as_text=True)
    assert case.reference in queue
    response = grant(officer, case, "2.000", "Past goed bij de buurt en is goed begroot.")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]

    assert load_case(app, case.id).status == "granted"
    with database(app) as session:
        decision = session.scalar(select(Decision).where(Decision.case_id == case.id))
    assert decision.amount_cents == 200_000
    assert str(decision.objection_deadline) == "2026-04-13"

    for viewer in (client, officer):
        letter = viewer.get(f"/documents/{decision.letter_id}")
        assert letter.status_code == 200
        assert letter.mimetype == "application/pdf"
        assert letter.headers["Content-Disposition"].startswith("attachment")
        text = pdf_text(letter.data)
        assert case.reference in text
        assert "€ 2.000,00" in text
        assert "13-04-2026" in text
        assert "Past goed bij de buurt" in text

    with database(app) as session:
        kinds = session.scalars(
            select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        ).all()
    assert kinds == ["submit", "decide_light"]
    timeline = client.get(f"/portal/cases/{case.id}").get_data(as_text=True)
    assert "Aanvraag ingediend" in timeline and "Verleend en vastgesteld" in timeline

    with database(app) as session:
        templates = session.scalars(
            select(Notification.template)
            .where(Notification.case_id == case.id)
            .order_by(Notification.id)
        ).all()
        assert templates == ["application_received", "letter_sent"]
        pending = session.scalar(
            select(func.count(Notification.id)).where(Notification.status == "pending")
        )
        assert notifications.deliver_pending() == pending >= 2
        assert notifications.deliver_pending() == 0
    mails = [
        message_from_bytes(p.read_bytes()) for p in Path(app.config["MAILBOX_DIR"]).glob("*.eml")
    ]
    about_case = [m for m in mails if case.reference in m["Subject"]]
    assert [m["To"] for m in about_case] == ["anna@example.org", "anna@example.org"]


def test_double_submit_creates_one_case(client: FlaskClient) -> None:
    register_resident(client)
    page = client.get(APPLY_URL).get_data(as_text=True)
    token = re.search(r'name="submission_token" type="hidden" value="([^"]+)"', page).group(1)
    payload = {
        "csrf_token": csrf_token(page),
        "submission_token": token,
        **application_data(client),
    }
    first = client.post(APPLY_URL, data=payload)
    second = client.post(APPLY_URL, data=payload)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location  # one draft
    check = fill_steps(client, second.location, application_data(client))
    html = check.get_data(as_text=True)
    assert check.request.path.endswith("/check")
    submit = {"csrf_token": csrf_token(html), "version": hidden_value(html, "version")}
    first = client.post(check.request.path, data=submit)
    second = client.post(check.request.path, data=submit)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert count(client, Case) == 1
    assert submitted_count(client) == 1


def test_references_are_sequential_and_unique(client: FlaskClient) -> None:
    register_resident(client)
    references = [submit_application(client, title=f"Initiatief {i}").reference for i in range(3)]
    numbers = [int(reference.rsplit("-", 1)[1]) for reference in references]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert numbers[1] == numbers[0] + 1


def test_empty_form_shows_errors_next_to_fields_and_summary(client: FlaskClient) -> None:
    register_resident(client)
    response = apply_online(client, APPLY_URL, {"title": "Mijn idee", "description": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#description"' in html
    assert 'id="description-error"' in html
    assert 'value="Mijn idee"' in html  # what was typed is kept
    assert submitted_count(client) == 0


def test_invalid_amount_text_is_refused_and_typed_text_kept(client: FlaskClient) -> None:
    register_resident(client)
    response = apply_online(
        client, APPLY_URL, application_data(client, requested_amount="twee euro")
    )
    html = response.get_data(as_text=True)
    assert "Vul een bedrag in euro" in html
    assert 'value="twee euro"' in html


def test_amount_above_regulation_maximum_names_the_maximum(client: FlaskClient) -> None:
    register_resident(client)
    response = apply_online(
        client, APPLY_URL, application_data(client, requested_amount="5.000,01")
    )
    html = page_text(response)
    assert response.status_code == 200
    assert "€ 5.000,00" in html
    assert 'id="requested_amount-error"' in html
    assert submitted_count(client) == 0


def test_period_end_before_start_is_refused(client: FlaskClient) -> None:
    register_resident(client)
    response = apply_online(
        client,
        APPLY_URL,
        application_data(client, period_start="2026-05-01", period_end="2026-04-01"),
    )
    assert 'id="period_end-error"' in response.get_data(as_text=True)


def test_unknown_case_is_404(client: FlaskClient) -> None:
    register_resident(client)
    assert client.get("/portal/cases/999999").status_code == 404
    officer_client = client.application.test_client()
    login(officer_client, OFFICER)
    assert officer_client.get("/cases/999999").status_code == 404


def test_other_residents_case_and_letter_are_404(app: Flask, client: FlaskClient) -> None:
    register_resident(client)
    case = submit_application(client)
    officer = app.test_client()
    login(officer, OFFICER)
    assert grant(officer, case, "100", "Prima plan.").status_code == 302
    with database(app) as session:
        letter_id = session.scalar(select(Decision.letter_id).where(Decision.case_id == case.id))

    other = app.test_client()
    login(other, RESIDENT)
    assert other.get(f"/portal/cases/{case.id}").status_code == 404
    assert other.get(f"/portal/cases/{case.id}/receipt").status_code == 404
    assert other.get(f"/documents/{letter_id}").status_code == 404
    assert other.get(f"/cases/{case.id}").status_code == 403


def test_post_without_csrf_token_is_refused(client: FlaskClient) -> None:
    register_resident(client)
    response = client.post(APPLY_URL, data=application_data(client))
    assert response.status_code == 400
    assert count(client, Case) == 0


def test_grant_without_motivation_or_above_requested_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    register_resident(client)
    case = submit_application(client)
    officer = app.test_client()
    login(officer, OFFICER)
    no_motivation = grant(officer, case, "100", "   ")
    assert no_motivation.status_code == 422
    too_much = grant(officer, case, "2.450,51", "Goed plan.")
    assert too_much.status_code == 422
    assert "€ 2.450,50" in page_text(too_much)
    assert load_case(app, case.id).status == "submitted"
    assert count(client, Decision) == 0


def test_stale_grant_gets_a_conflict_not_an_overwrite(app: Flask, client: FlaskClient) -> None:
    register_resident(client)
    case = submit_application(client)
    officer = app.test_client()
    login(officer, OFFICER)
    page = officer.get(f"/cases/{case.id}").get_data(as_text=True)
    stale = {
        "decide_light-csrf_token": csrf_token(page),
        "decide_light-amount": "100",
        "decide_light-motivation": "Goed.",
        "decide_light-version": "0",
    }
    response = officer.post(f"/cases/{case.id}/actions/decide_light", data=stale)
    assert response.status_code == 409
    assert "door iemand anders gewijzigd" in response.get_data(as_text=True)
    assert load_case(app, case.id).status == "submitted"


def test_granting_twice_is_refused_by_the_lifecycle(app: Flask, client: FlaskClient) -> None:
    register_resident(client)
    case = submit_application(client)
    officer = app.test_client()
    login(officer, OFFICER)
    assert grant(officer, case, "100", "Goed.").status_code == 302
    case = load_case(app, case.id)
    page = officer.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'action="/cases/{case.id}/actions/decide_light"' not in page
    payload = {
        "decide_light-csrf_token": csrf_token(page),
        "decide_light-amount": "100",
        "decide_light-motivation": "Nog eens.",
        "decide_light-version": str(case.version),
    }
    response = officer.post(f"/cases/{case.id}/actions/decide_light", data=payload)
    assert response.status_code == 403
    assert "decide_light" in response.get_data(as_text=True)
    assert count(client, Decision) == 1


def test_closed_regulation_cannot_be_applied_for(client: FlaskClient) -> None:
    register_resident(client)
    with database(client.application) as session:
        regulation = session.scalar(
            select(Regulation).where(Regulation.code == "bewonersinitiatief")
        )
        regulation.is_open = False
        session.commit()
    assert client.get(APPLY_URL).status_code == 404
