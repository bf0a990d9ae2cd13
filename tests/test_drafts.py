"""Drafts: save half-way, continue, replace and delete files, check, then submit once."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from support import RESIDENT, csrf_token, database, fill_steps, hidden_value, pdf_upload
from test_case_handling import MEMBER, REGULAR, client_for, regular_data
from test_skeleton_path import page_text

from app.models import Case, Document, Notification

TITLE = "Ontmoetingsmiddagen voor ouderen in Beijum"


def post_page(client: FlaskClient, url: str, data: dict[str, object], action: str | None = None):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(action or url, data={"csrf_token": csrf_token(page_text(page)), **data})


def version_of(client: FlaskClient, url: str) -> str:
    version = hidden_value(page_text(client.get(url)), "version")
    assert version
    return version


def full_data(app: Flask, **changes: object) -> dict[str, object]:
    """The regular application without its documents (the tests send those themselves)."""
    data = regular_data(app)
    del data["document_budget"], data["document_activity_plan"]
    data.update(changes)
    return data


def save_title_only(app: Flask, member: FlaskClient) -> int:
    response = post_page(member, REGULAR, {"title": TITLE, "go": "save", "submission_token": "d1"})
    assert response.status_code == 302, page_text(response)[:3000]
    assert response.location.endswith("/portal/")
    with database(app) as session:
        return session.scalar(select(Case.id).where(Case.title == TITLE))


def step_url(draft_id: int, step: str) -> str:
    return f"/portal/drafts/{draft_id}/{step}"


def test_a_draft_needs_only_a_title_and_is_listed(app: Flask, client: FlaskClient) -> None:
    member = client_for(app, MEMBER)
    response = post_page(member, REGULAR, {"title": "", "go": "save"})
    assert response.status_code == 200 and 'id="title-error"' in page_text(response)
    draft_id = save_title_only(app, member)
    with database(app) as session:
        case = session.get(Case, draft_id)
        assert (case.status, case.reference, case.received_on) == ("draft", None, None)
        assert case.requested_cents == 0 and case.tier == "regular"
    listing = page_text(member.get("/portal/"))
    assert f"/portal/drafts/{draft_id}" in listing and "Concept" in listing
    page = page_text(member.get(f"/portal/drafts/{draft_id}", follow_redirects=True))
    assert f'value="{TITLE}"' in page
    assert 'aria-current="step"' in page and "Stap 1 van 6" in page


def test_next_shows_what_the_step_lacks_and_previous_keeps_everything(
    app: Flask, client: FlaskClient
) -> None:
    member = client_for(app, MEMBER)
    draft_id = save_title_only(app, member)
    url = step_url(draft_id, "initiative")
    response = post_page(member, url, {"title": TITLE, "description": "Koffie", "go": "next"})
    html = page_text(response)
    assert response.status_code == 200  # the step again, with what it lacks
    assert 'id="activities-error"' in html and 'href="#activities"' in html
    with database(app) as session:
        assert session.get(Case, draft_id).description == "Koffie"  # saved all the same

    money = step_url(draft_id, "money")
    data = {"period_start": "2026-05-01", "period_end": "2026-12-31", "requested_amount": "veel"}
    response = post_page(member, money, {**data, "go": "previous"})
    assert response.status_code == 200 and "Vul een bedrag in euro" in page_text(response)
    response = post_page(member, money, {**data, "requested_amount": "12.000", "go": "previous"})
    assert response.status_code == 302 and response.location.endswith(f"/{draft_id}/applicant")
    page = page_text(member.get(money))
    assert 'value="12000"' in page and 'value="2026-05-01"' in page

    # a step in the progress list saves first, too
    response = post_page(member, money, {**data, "requested_amount": "13.000", "go": "initiative"})
    assert response.location.endswith(f"/{draft_id}/initiative")
    with database(app) as session:
        assert session.get(Case, draft_id).requested_cents == 1_300_000


def test_continue_replace_delete_conflict_check_and_submit_once(
    app: Flask, client: FlaskClient
) -> None:
    member = client_for(app, MEMBER)
    draft_id = save_title_only(app, member)
    url = f"/portal/drafts/{draft_id}"
    documents = step_url(draft_id, "documents")
    old_version = version_of(member, step_url(draft_id, "initiative"))

    check = fill_steps(
        member,
        step_url(draft_id, "initiative"),
        full_data(
            app,
            document_budget=pdf_upload("begroting.pdf"),
            document_activity_plan=pdf_upload("plan.pdf"),
        ),
    )
    assert check.request.path == f"{url}/check", page_text(check)[:3000]

    # replace the activity plan
    data = {"version": version_of(member, documents), "go": "next"}
    response = post_page(
        member, documents, {**data, "document_activity_plan": pdf_upload("v2.pdf")}
    )
    assert response.status_code == 302
    with database(app) as session:
        names = sorted(session.scalars(select(Document.filename)))
        assert names == ["begroting.pdf", "v2.pdf"]
        budget_id = session.scalar(select(Document.id).where(Document.kind == "budget"))

    # a stale tab saves older text: conflict, the newer text is kept
    stale = full_data(app, version=old_version, go="next", description="Oude tekst")
    response = post_page(member, step_url(draft_id, "initiative"), stale)
    assert response.status_code == 200
    assert "door iemand anders gewijzigd" in page_text(response)
    with database(app) as session:
        assert session.get(Case, draft_id).description.startswith("Wekelijkse")

    # delete the budget after confirmation; the check page then names what is missing
    delete_url = f"{url}/documents/{budget_id}/delete"
    assert "begroting.pdf" in page_text(member.get(delete_url))
    response = post_page(member, delete_url, {})
    assert response.status_code == 302 and response.location.endswith(documents)
    check = page_text(member.get(f"{url}/check"))
    assert "Aanvraag indienen" not in check
    assert f'href="{documents}#document_budget"' in check
    data = {"version": version_of(member, documents), "go": "next"}
    response = post_page(member, documents, {**data, "document_budget": pdf_upload("b2.pdf")})
    assert response.status_code == 302 and response.location.endswith(f"{url}/check")

    check = page_text(member.get(f"{url}/check"))
    for text in (TITLE, "Alleenwonende ouderen", "Elke dinsdag", "Beijum", "12.000", "b2.pdf"):
        assert text in check, text
    assert "v2.pdf" in check and "Buurtvereniging De Hoogte" in check
    assert "05-05-2026" in check  # the answer to the regulation's own date question

    version = hidden_value(check, "version")
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
    assert member.get(step_url(draft_id, "money")).status_code == 302
    assert member.get(f"{url}/check").status_code == 302


def test_another_user_does_not_see_the_draft(app: Flask, client: FlaskClient) -> None:
    member = client_for(app, MEMBER)
    draft_id = save_title_only(app, member)
    other = client_for(app, RESIDENT)
    for path in ("", "/initiative", "/money", "/check"):
        assert other.get(f"/portal/drafts/{draft_id}{path}").status_code == 404
    page = page_text(other.get("/portal/"))
    response = other.post(
        f"/portal/drafts/{draft_id}/initiative/autosave",
        data={"csrf_token": csrf_token(page), "title": "Overgenomen"},
    )
    assert response.status_code == 404
    with database(app) as session:
        assert session.get(Case, draft_id).title == TITLE


def test_autosave_saves_text_and_refuses_a_stale_version(app: Flask, client: FlaskClient) -> None:
    member = client_for(app, MEMBER)
    page = page_text(member.get(REGULAR))
    token = hidden_value(page, "submission_token")
    autosave = f"{REGULAR}/autosave"
    first = member.post(
        autosave, data={"csrf_token": csrf_token(page), "submission_token": token, "title": TITLE}
    )
    assert first.status_code == 200 and first.json["saved"] is True
    draft_url = first.json["action"]
    again = member.post(
        autosave,
        data={"csrf_token": csrf_token(page), "submission_token": token, "title": TITLE + "!"},
    )
    assert again.json["action"] == draft_url  # one draft per form
    with database(app) as session:
        assert session.scalar(select(func.count(Case.id))) == 1
        assert session.scalar(select(Case.title)) == TITLE + "!"

    step = page_text(member.get(draft_url))
    version = hidden_value(step, "version")
    fields = {"csrf_token": csrf_token(step), "title": TITLE, "description": "Nieuw"}
    saved = member.post(f"{draft_url}/autosave", data={**fields, "version": version})
    assert saved.json["saved"] is True and saved.json["version"] == int(version) + 1
    assert "Concept opgeslagen om" in saved.json["message"]
    stale = member.post(
        f"{draft_url}/autosave", data={**fields, "description": "Oud", "version": version}
    )
    assert stale.status_code == 409 and "ander venster" in stale.json["message"]
    with database(app) as session:
        assert session.scalar(select(Case.description)) == "Nieuw"


def test_a_multi_year_draft_keeps_the_amounts_that_parse(app: Flask, client: FlaskClient) -> None:
    member = client_for(app, MEMBER)
    url = "/portal/apply/meerjarige-subsidie-sociale-basis"
    response = post_page(member, url, {"title": "Buurthuis", "go": "save"})
    assert response.status_code == 302, page_text(response)[:3000]
    with database(app) as session:
        draft_id = session.scalar(select(Case.id))
    money = step_url(draft_id, "money")
    data = {"amount_2026": "30.000", "amount_2027": "veel", "go": "save"}
    response = post_page(member, money, data)
    assert response.status_code == 200  # the amount that does not parse is named
    assert 'id="amount_2027-error"' in page_text(response)
    page = page_text(member.get(money))
    assert 'value="30000"' in page and 'name="amount_2027" type="text" value=""' in page
