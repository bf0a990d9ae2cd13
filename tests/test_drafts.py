"""Drafts: save half-way, continue, replace and delete files, check, then submit once."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from support import RESIDENT, csrf_token, database, pdf_upload
from test_case_handling import MEMBER, REGULAR, client_for, member_organisation_id
from test_skeleton_path import neighbourhood_id, page_text

from app.models import Case, Document, Notification

TITLE = "Ontmoetingsmiddagen voor ouderen in Beijum"


def post_page(client: FlaskClient, url: str, data: dict[str, object], action: str | None = None):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(action or url, data={"csrf_token": csrf_token(page_text(page)), **data})


def version_of(client: FlaskClient, url: str) -> str:
    match = re.search(r'name="version" type="hidden" value="(\d+)"', page_text(client.get(url)))
    assert match
    return match.group(1)


def full_data(app: Flask, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": TITLE,
        "description": "Wekelijkse ontmoeting tegen eenzaamheid onder ouderen in het buurthuis",
        "neighbourhood_id": str(neighbourhood_id(app, "Beijum")),
        "target_group": "Alleenwonende ouderen in Beijum",
        "activities": "Elke dinsdag koffie, een spel en een gezamenlijke lunch.",
        "expected_results": "Dertig vaste bezoekers die zich minder eenzaam voelen.",
        "organisation_id": str(member_organisation_id(app)),
        "requested_amount": "12.000",
        "period_start": "2026-05-01",
        "period_end": "2026-12-31",
    }
    data.update(changes)
    return data


def save_title_only(app: Flask, member: FlaskClient) -> int:
    response = post_page(
        member,
        REGULAR,
        {"title": TITLE, "requested_amount": "veel", "save_draft": "1", "submission_token": "d1"},
    )
    assert response.status_code == 302, page_text(response)[:3000]
    return int(re.search(r"/portal/drafts/(\d+)", response.location).group(1))


def test_a_draft_needs_only_a_title_and_is_listed(app: Flask, client: FlaskClient) -> None:
    member = client_for(app, MEMBER)
    response = post_page(member, REGULAR, {"title": "", "save_draft": "1"})
    assert response.status_code == 200 and 'id="title-error"' in page_text(response)
    draft_id = save_title_only(app, member)
    with database(app) as session:
        case = session.get(Case, draft_id)
        assert (case.status, case.reference, case.received_on) == ("draft", None, None)
        assert case.requested_cents == 0 and case.tier == "regular"
    listing = page_text(member.get("/portal/"))
    assert f"/portal/drafts/{draft_id}" in listing and "Concept" in listing
    page = page_text(member.get(f"/portal/drafts/{draft_id}"))
    assert f'value="{TITLE}"' in page


def test_continue_replace_delete_conflict_check_and_submit_once(
    app: Flask, client: FlaskClient
) -> None:
    member = client_for(app, MEMBER)
    draft_id = save_title_only(app, member)
    url = f"/portal/drafts/{draft_id}"

    old_version = version_of(member, url)
    data = full_data(
        app,
        version=old_version,
        save_draft="1",
        document_budget=pdf_upload("begroting.pdf"),
        document_activity_plan=pdf_upload("plan.pdf"),
    )
    response = post_page(member, url, data)
    assert response.status_code == 302, page_text(response)[:3000]

    # replace the activity plan
    version = version_of(member, url)
    data = full_data(
        app, version=version, save_draft="1", document_activity_plan=pdf_upload("plan-v2.pdf")
    )
    assert post_page(member, url, data).status_code == 302
    with database(app) as session:
        names = sorted(session.scalars(select(Document.filename)))
        assert names == ["begroting.pdf", "plan-v2.pdf"]
        budget_id = session.scalar(select(Document.id).where(Document.kind == "budget"))

    # a stale tab saves older text: conflict, the newer text is kept
    stale = full_data(app, version=old_version, save_draft="1", description="Oude tekst")
    response = post_page(member, url, stale)
    assert response.status_code == 200
    assert "door iemand anders gewijzigd" in page_text(response)
    with database(app) as session:
        assert session.get(Case, draft_id).description.startswith("Wekelijkse")

    # delete the budget after confirmation; the check page then names what is missing
    delete_url = f"{url}/documents/{budget_id}/delete"
    assert "begroting.pdf" in page_text(member.get(delete_url))
    assert post_page(member, delete_url, {}).status_code == 302
    check = page_text(member.get(f"{url}/check"))
    assert "Submit application" not in check and "Aanvraag indienen" not in check
    data = full_data(
        app, version=version_of(member, url), check="1", document_budget=pdf_upload("b2.pdf")
    )
    response = post_page(member, url, data)
    assert response.status_code == 302 and response.location.endswith(f"{url}/check")

    check = page_text(member.get(f"{url}/check"))
    for text in (TITLE, "Alleenwonende ouderen", "Elke dinsdag", "Beijum", "12.000", "b2.pdf"):
        assert text in check, text
    assert "plan-v2.pdf" in check and "Sociale basis" in check

    version = re.search(r'name="version" type="hidden" value="(\d+)"', check).group(1)
    token = csrf_token(check)
    first = member.post(f"{url}/check", data={"csrf_token": token, "version": version})
    second = member.post(f"{url}/check", data={"csrf_token": token, "version": version})
    assert first.status_code == second.status_code == 302
    assert first.location.endswith(f"/portal/cases/{draft_id}/receipt")
    assert second.location.endswith(f"/portal/cases/{draft_id}/receipt")
    with database(app) as session:
        case = session.get(Case, draft_id)
        assert case.status == "submitted" and case.reference.startswith("SB-2026-")
        assert case.received_on is not None and case.decision_deadline is not None
        assert session.scalar(select(func.count(Case.id))) == 1
        assert session.scalar(select(func.count(Notification.id))) == 1
    assert member.get(url).status_code in (302, 404)
    assert member.get(f"{url}/check").status_code == 302


def test_another_user_does_not_see_the_draft(app: Flask, client: FlaskClient) -> None:
    member = client_for(app, MEMBER)
    draft_id = save_title_only(app, member)
    other = client_for(app, RESIDENT)
    assert other.get(f"/portal/drafts/{draft_id}").status_code == 404
    assert other.get(f"/portal/drafts/{draft_id}/check").status_code == 404


def test_a_multi_year_draft_keeps_the_amounts_that_parse(app: Flask, client: FlaskClient) -> None:
    member = client_for(app, MEMBER)
    url = "/portal/apply/meerjarige-subsidie-sociale-basis"
    data = {"title": "Buurthuis", "amount_2026": "30.000", "amount_2027": "veel", "save_draft": "1"}
    response = post_page(member, url, data)
    assert response.status_code == 302, page_text(response)[:3000]
    page = page_text(member.get(response.location))
    assert 'value="30000"' in page and 'name="amount_2027" type="text" value=""' in page
