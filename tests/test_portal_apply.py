"""Applying by tier: theory of change, on behalf of an organisation, amounts per year."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from support import RESIDENT, apply_online, database, pdf_upload
from test_case_handling import MEMBER, client_for, member_organisation_id
from test_skeleton_path import neighbourhood_id, page_text

from app.models import Case, Document, Organisation

MULTI_YEAR = "/portal/apply/meerjarige-subsidie-sociale-basis"


def multi_year_data(app: Flask, **changes: str) -> dict[str, str]:
    data = {
        "organisation_id": str(member_organisation_id(app)),
        "title": "Buurthuis De Hoogte open voor iedereen",
        "description": "Er is in De Hoogte geen plek waar bewoners elkaar vrij kunnen ontmoeten.",
        "target_group": "Alle bewoners van De Hoogte, vooral ouderen en nieuwkomers",
        "activities": "Inloop vijf dagen per week, taalcafé en een wekelijkse maaltijd.",
        "expected_results": "Tweehonderd bezoekers per week en veertig vrijwilligers.",
        "neighbourhood_id": str(neighbourhood_id(app, "De Hoogte")),
        "period_start": "2026-04-01",
        "period_end": "2028-12-31",
        "amount_2026": "30.000",
        "amount_2027": "40.000",
        "amount_2028": "40.000",
        "document_budget": pdf_upload("begroting.pdf"),
        "document_activity_plan": pdf_upload("activiteitenplan.pdf"),
        "document_statutes": pdf_upload("statuten.pdf"),
        "document_annual_accounts": pdf_upload("jaarrekening.pdf"),
        "applicant_kind": "organisation",
        "question_staff_costs_2026": "20.000",
        "question_staff_costs_2027": "25.000",
        "question_staff_costs_2028": "25.000",
        "question_location": "Buurthuis De Hoogte, Star Numanstraat 1",
        "question_visitors": "200",
    }
    data.update(changes)
    return data


def test_organisation_applies_for_three_years_with_an_amount_per_year(
    app: Flask, client: FlaskClient
) -> None:
    member = client_for(app, MEMBER)
    response = apply_online(member, MULTI_YEAR, multi_year_data(app))
    assert response.status_code == 302, page_text(response)[:3000]
    case_id = int(re.search(r"/portal/cases/(\d+)/receipt", response.location).group(1))
    with database(app) as session:
        case = session.get(Case, case_id)
        assert case.tier == "extended"
        assert case.requested_cents == 11_000_000
        assert case.organisation.name == "Buurtvereniging De Hoogte"
        assert [(a.year, a.requested_cents) for a in case.year_amounts] == [
            (2026, 3_000_000),
            (2027, 4_000_000),
            (2028, 4_000_000),
        ]
        assert case.activities.startswith("Inloop")


def test_every_year_of_the_period_needs_an_amount(app: Flask, client: FlaskClient) -> None:
    member = client_for(app, MEMBER)
    response = apply_online(member, MULTI_YEAR, multi_year_data(app, amount_2027=""))
    html = page_text(response)
    assert response.status_code == 200
    assert 'id="amount_2026-error"' in html
    assert "voor elk jaar" in html
    assert 'value="30.000"' in html  # what was typed is kept


def test_theory_of_change_fields_are_required_for_larger_grants(
    app: Flask, client: FlaskClient
) -> None:
    member = client_for(app, MEMBER)
    response = apply_online(member, MULTI_YEAR, multi_year_data(app, activities=""))
    assert 'id="activities-error"' in page_text(response)


def test_only_members_apply_on_behalf_of_an_organisation(app: Flask, client: FlaskClient) -> None:
    with database(app) as session:
        other = session.scalar(
            select(Organisation.id).where(Organisation.name == "Dorpsvereniging Ten Post")
        )
    member = client_for(app, MEMBER)
    response = apply_online(member, MULTI_YEAR, multi_year_data(app, organisation_id=str(other)))
    assert response.status_code == 200
    assert 'id="organisation_id-error"' in page_text(response)
    with database(app) as session:
        assert session.scalar(select(Case.id).where(Case.status != "draft")) is None


def test_a_resident_without_organisation_is_told_who_may_apply(
    app: Flask, client: FlaskClient
) -> None:
    resident = client_for(app, RESIDENT)
    page = page_text(resident.get(MULTI_YEAR))
    assert "Alleen geregistreerde organisaties" in page
    assert 'name="title"' not in page


def test_a_disguised_program_is_refused_and_the_rest_kept(app: Flask, client: FlaskClient) -> None:
    member = client_for(app, MEMBER)
    program = (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "begroting.pdf")
    response = apply_online(member, MULTI_YEAR, multi_year_data(app, document_budget=program))
    html = page_text(response)
    assert response.status_code == 200
    assert 'id="document_budget-error"' in html and "niet toegestaan" in html
    with database(app) as session:
        assert session.scalar(select(Case.id).where(Case.status != "draft")) is None
        # the rest is kept: the draft's text and the three real documents
        assert session.scalar(select(Case.title)) == "Buurthuis De Hoogte open voor iedereen"
        kinds = set(session.scalars(select(Document.kind)))
        assert kinds == {"activity_plan", "statutes", "annual_accounts"}


def test_a_missing_required_document_is_named(app: Flask, client: FlaskClient) -> None:
    member = client_for(app, MEMBER)
    data = multi_year_data(app)
    del data["document_statutes"]
    response = apply_online(member, MULTI_YEAR, data)
    assert 'id="document_statutes-error"' in page_text(response)


def test_resident_adds_a_photo_which_is_stored_with_its_real_type(
    app: Flask, client: FlaskClient
) -> None:
    from test_skeleton_path import application_data, register_resident

    register_resident(client)
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    data = {**application_data(client), "photo": (png, "moestuin.jpeg")}
    response = apply_online(client, "/portal/apply/bewonersinitiatief", data)
    assert response.status_code == 302
    with database(app) as session:
        document = session.scalar(select(Document))
        assert (document.kind, document.media_type) == ("photo", "image/png")
        assert document.filename == "moestuin.png" and document.size == 72


def test_an_oversized_file_is_refused(app: Flask, client: FlaskClient) -> None:
    from app.services import uploads
    from app.services.errors import InvalidInput

    big = b"%PDF-1.4\n" + b"0" * uploads.MAX_FILE_BYTES
    with app.test_request_context(), pytest.raises(InvalidInput) as refused:
        uploads.check("document_budget", "big.pdf", big)
    assert refused.value.field == "document_budget" and "8 MB" in refused.value.message
