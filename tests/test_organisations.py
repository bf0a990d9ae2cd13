"""Organisations: registration with checked numbers, invitations, shared cases, members."""

from __future__ import annotations

import re
from email import message_from_bytes
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from support import csrf_token, database, login, post_form
from test_skeleton_path import page_text, register_resident

from app.models import Organisation, OrganisationMember
from app.services import notifications

INVITATION_LINK = re.compile(r"http://\S+/portal/invitations/\S+")
VALID = {
    "name": "Stichting Buurtkracht Vinkhuizen",
    "legal_form": "stichting",
    "kvk_number": "1234 5678",
    "iban": "NL91 ABNA 0417 1643 00",
    "account_holder": "Stichting Buurtkracht",
    "street": "Siersteenlaan 1",
    "postcode": "9743 es",
    "city": "Groningen",
}


def register_organisation(client: FlaskClient, **changes: str):  # type: ignore[no-untyped-def]
    return post_form(client, "/portal/organisations/new", {**VALID, **changes})


def test_numbers_are_checked_and_kept_on_error(app: Flask, client: FlaskClient) -> None:
    register_resident(client)
    bad_iban = register_organisation(client, iban="NL92 ABNA 0417 1643 00")
    assert 'id="iban-error"' in page_text(bad_iban)
    assert 'value="Stichting Buurtkracht Vinkhuizen"' in page_text(bad_iban)
    assert 'id="kvk_number-error"' in page_text(register_organisation(client, kvk_number="1234567"))
    assert 'id="postcode-error"' in page_text(register_organisation(client, postcode="12345"))
    with database(app) as session:
        assert (
            session.scalar(select(Organisation.id).where(Organisation.name == VALID["name"]))
            is None
        )


def test_register_invite_accept_and_remove(app: Flask, client: FlaskClient) -> None:
    register_resident(client, "anna@example.org")
    response = register_organisation(client)
    assert response.status_code == 302
    organisation_url = response.location
    with database(app) as session:
        organisation = session.scalar(
            select(Organisation).where(Organisation.name == VALID["name"])
        )
        assert (organisation.kvk_number, organisation.iban) == ("12345678", "NL91ABNA0417164300")
        assert organisation.postcode == "9743 ES"
        assert [m.role for m in organisation.members] == ["admin"]
        duplicate = register_organisation(client)
        assert 'id="kvk_number-error"' in page_text(duplicate)

    page = client.get(organisation_url).get_data(as_text=True)
    invited = client.post(
        organisation_url,
        data={"invite-csrf_token": csrf_token(page), "invite-email": "bram@example.org"},
    )
    assert invited.status_code == 302
    with database(app):
        notifications.deliver_pending()
    bodies = [
        message_from_bytes(mail.read_bytes()).get_payload(decode=True).decode()
        for mail in Path(app.config["MAILBOX_DIR"]).glob("*.eml")
    ]
    links = [m.group(0) for b in bodies if (m := re.search(INVITATION_LINK, b))]
    assert len(links) == 1
    path = "/" + links[0].split("/", 3)[3]

    stranger = app.test_client()
    register_resident(stranger, "carla@example.org")
    assert post_form(stranger, path, {}).status_code == 403
    assert stranger.get(organisation_url).status_code == 404
    assert stranger.get(path.replace("invitations/", "invitations/x")).status_code == 400

    bram = app.test_client()
    register_resident(bram, "bram@example.org")
    assert post_form(bram, path, {}).status_code == 302
    assert "Anna Jansen" in page_text(bram.get(organisation_url))
    with database(app) as session:
        member = session.scalar(
            select(OrganisationMember).where(OrganisationMember.role == "member")
        )
        member_id, admin_id = member.id, organisation.members[0].id
    remove_url = f"{organisation_url}/members/{member_id}/remove"
    assert bram.get(remove_url).status_code == 404  # only administrators remove members
    assert "Bram" in page_text(client.get(remove_url)) or "Anna" in page_text(
        client.get(remove_url)
    )
    assert post_form(client, remove_url, {"member_id": str(member_id)}).status_code == 302
    assert bram.get(organisation_url).status_code == 404
    last_admin = post_form(
        client, f"{organisation_url}/members/{admin_id}/remove", {"member_id": str(admin_id)}
    )
    assert "laatste beheerder" in page_text(last_admin)


def test_login_helper_is_needed_for_invitations(app: Flask, client: FlaskClient) -> None:
    response = client.get("/portal/invitations/anything")
    assert response.status_code == 302 and "/login" in response.location
    login(client, "bewoner@demo.sociale-basis.nl")
    assert client.get("/portal/invitations/anything").status_code == 400
