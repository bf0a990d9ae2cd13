"""The applicant answers an information request, withdraws, and objects online."""

from __future__ import annotations

import io
from datetime import date, timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from support import OFFICER, RESIDENT, database, login, pdf_upload, post_form
from test_case_handling import MEMBER, act, apply_regular, client_for, status
from test_skeleton_path import grant, load_case, page_text, register_resident, submit_application

from app.models import CaseEvent, Document, InformationRequest, Objection

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PROGRAM = b"MZ\x90\x00" + b"\x00" * 200


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


def _sent_documents(app: Flask, kind: str) -> list[tuple[int, str, str]]:
    with database(app) as session:
        documents = session.scalars(select(Document).where(Document.kind == kind))
        return [(d.id, d.filename, d.media_type) for d in documents]


def _event_files(app: Flask, kind: str) -> list[str]:
    with database(app) as session:
        return session.scalar(select(CaseEvent).where(CaseEvent.kind == kind)).after["files"]


def test_answer_with_two_files_is_stored_shown_and_downloadable(
    app: Flask, client: FlaskClient
) -> None:
    case = apply_regular(app)
    officer = _request_information(app, case)
    member = client_for(app, MEMBER)
    url = f"/portal/cases/{case.id}/answer"
    assert "Maximaal 5 bestanden" in page_text(member.get(url))
    files = [pdf_upload("begroting 2026.pdf"), (io.BytesIO(PNG), "zaal.png")]
    response = post_form(member, url, {"answer": "Zie de bijlagen.", "files": files})
    assert response.status_code == 302
    assert status(app, case) == "intake"
    stored = _sent_documents(app, "answer")
    assert [(name, media) for _id, name, media in stored] == [
        ("begroting 2026.pdf", "application/pdf"),
        ("zaal.png", "image/png"),
    ]
    assert _event_files(app, "receive_answer") == ["begroting 2026.pdf", "zaal.png"]

    portal = page_text(member.get(f"/portal/cases/{case.id}"))
    staff = page_text(officer.get(f"/cases/{case.id}"))
    for page in (portal, staff):
        assert "Meegestuurd met het antwoord" in page
        for document_id, name, _media in stored:
            assert f'href="/documents/{document_id}">{name}</a>' in page
    for reader in (member, officer):
        download = reader.get(f"/documents/{stored[1][0]}")
        assert download.status_code == 200 and download.data == PNG
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert download.headers["X-Content-Type-Options"] == "nosniff"
    stranger = client_for(app, RESIDENT)
    assert stranger.get(f"/documents/{stored[0][0]}").status_code == 404


def test_a_disguised_program_with_the_answer_is_refused_and_the_text_kept(
    app: Flask, client: FlaskClient
) -> None:
    case = apply_regular(app)
    _request_information(app, case)
    member = client_for(app, MEMBER)
    files = [pdf_upload("begroting.pdf"), (io.BytesIO(PROGRAM), "foto.pdf")]
    response = post_form(
        member, f"/portal/cases/{case.id}/answer", {"answer": "Mijn antwoord.", "files": files}
    )
    html = page_text(response)
    assert response.status_code == 200
    assert 'id="files-error"' in html and "foto.pdf: Dit soort bestand is niet toegestaan" in html
    assert 'href="#files"' in html  # in the error summary too
    assert "\nMijn antwoord.</textarea>" in html
    assert _sent_documents(app, "answer") == []
    assert status(app, case) == "information_requested"
    with database(app) as session:
        assert session.scalar(select(InformationRequest)).answered_on is None


def test_six_files_are_refused_with_a_clear_message(app: Flask, client: FlaskClient) -> None:
    case = apply_regular(app)
    _request_information(app, case)
    member = client_for(app, MEMBER)
    files = [pdf_upload(f"bijlage-{n}.pdf") for n in range(6)]
    response = post_form(
        member, f"/portal/cases/{case.id}/answer", {"answer": "Zes bijlagen.", "files": files}
    )
    html = page_text(response)
    assert response.status_code == 200
    assert 'id="files-error"' in html and "U stuurde 6 bestanden. Stuur er maximaal 5." in html
    assert "\nZes bijlagen.</textarea>" in html
    assert _sent_documents(app, "answer") == []
    assert status(app, case) == "information_requested"


def test_objection_with_a_file_is_stored_and_shown(app: Flask, client: FlaskClient) -> None:
    register_resident(client)
    case = submit_application(client)
    officer = client_for(app, OFFICER)
    assert grant(officer, case, "1.000", "Goed plan.").status_code == 302
    response = post_form(
        client,
        f"/portal/cases/{case.id}/objection",
        {"grounds": "Ik wilde het volle bedrag.", "files": [pdf_upload("offerte.pdf")]},
    )
    assert response.status_code == 302
    assert status(app, case) == "objection"
    [(document_id, name, media)] = _sent_documents(app, "objection")
    assert (name, media) == ("offerte.pdf", "application/pdf")
    assert _event_files(app, "object") == ["offerte.pdf"]
    for page in (
        page_text(client.get(f"/portal/cases/{case.id}")),
        page_text(officer.get(f"/cases/{case.id}")),
    ):
        assert "Meegestuurd met het bezwaar" in page
        assert f'href="/documents/{document_id}">offerte.pdf</a>' in page
    assert client.get(f"/documents/{document_id}").status_code == 200
