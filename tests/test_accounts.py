"""Accounts: verification link, password reset, account page, deletion (through the client)."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from support import RESIDENT, database, login, post_form, user_by_email
from test_skeleton_path import register_resident, submit_application
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import Case, Notification
from app.services import notifications

PASSWORD = "een lange zin als wachtwoord"
NEW_PASSWORD = "een andere lange zin als wachtwoord"
ANY_CSRF = re.compile(r'name="(?:[a-z_]+-)?csrf_token"[^>]*value="([^"]+)"')
LINK = re.compile(r"https?://\S+")


def deliver(app: Flask) -> None:
    with app.app_context():
        notifications.deliver_pending()
        db.session.remove()


def mails(app: Flask, to: str | None = None) -> list[Message]:
    deliver(app)
    folder = Path(app.config["MAILBOX_DIR"])
    found = [message_from_bytes(p.read_bytes()) for p in folder.glob("*.eml")]
    return [m for m in found if to is None or m["To"] == to]


def link_in(message: Message) -> str:
    body = message.get_payload(decode=True).decode()
    url = LINK.search(body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def only_link(app: Flask, to: str, subject_part: str) -> str:
    found = [m for m in mails(app, to) if subject_part in m["Subject"]]
    assert len(found) == 1, [m["Subject"] for m in mails(app)]
    return link_in(found[0])


def post_account(client: FlaskClient, action: str, data: dict[str, str]) -> TestResponse:
    page = client.get("/account").get_data(as_text=True)
    token = ANY_CSRF.search(page).group(1)
    prefix = action.rsplit("/", 1)[-1]
    payload = {f"{prefix}-csrf_token": token, **{f"{prefix}-{k}": v for k, v in data.items()}}
    return client.post(action, data=payload)


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def verified_at(app: Flask, email: str):  # type: ignore[no-untyped-def]
    with database(app):
        return user_by_email(email).email_verified_at


def test_verification_link_marks_the_address_verified_once(app: Flask, client: FlaskClient) -> None:
    register_resident(client)
    assert "Bevestig uw e-mailadres" in text(client.get("/account"))
    link = only_link(app, "anna@example.org", "Bevestig")
    assert link.startswith("/account/verify/")
    assert verified_at(app, "anna@example.org") is None

    response = client.get(link)
    assert response.status_code == 302
    first = verified_at(app, "anna@example.org")
    assert first is not None
    assert "Stuur de link opnieuw" not in text(client.get("/account"))
    # A second use changes nothing.
    assert client.get(link).status_code == 302
    assert verified_at(app, "anna@example.org") == first


def test_expired_and_tampered_verification_links_are_refused(
    app: Flask, client: FlaskClient, frozen_time: time_machine.Coordinates
) -> None:
    register_resident(client)
    link = only_link(app, "anna@example.org", "Bevestig")

    tampered = client.get(link[:-3] + ("abc" if not link.endswith("abc") else "xyz"))
    assert tampered.status_code == 400
    assert "niet geldig" in text(tampered)

    frozen_time.shift(timedelta(days=4))
    expired = client.get(link)
    assert expired.status_code == 410
    assert "verlopen" in text(expired)
    assert verified_at(app, "anna@example.org") is None


def test_send_the_link_again_is_rate_limited(
    app: Flask, client: FlaskClient, frozen_time: time_machine.Coordinates
) -> None:
    register_resident(client)
    resend = post_account(client, "/account/verify/resend", {})
    assert resend.status_code == 302
    assert "5 minuten" in text(client.get("/account"))
    frozen_time.shift(timedelta(minutes=6))
    post_account(client, "/account/verify/resend", {})
    assert "nieuwe link" in text(client.get("/account"))
    with database(app) as session:
        sent = session.scalars(
            db.select(Notification).where(Notification.template == "account_verify")
        ).all()
    assert len(sent) == 2


def test_staff_count_as_verified(app: Flask, client: FlaskClient) -> None:
    login(client, "medewerker@demo.sociale-basis.nl")
    assert "Bevestig uw e-mailadres" not in text(client.get("/account"))


def test_password_reset_end_to_end(
    app: Flask, client: FlaskClient, frozen_time: time_machine.Coordinates
) -> None:
    register_resident(client)
    client.post("/logout", data={})
    client.delete_cookie("session")
    page = post_form(client, "/forgot-password", {"email": "Anna@Example.org"})
    unknown = post_form(client, "/forgot-password", {"email": "niemand@example.org"})
    assert page.status_code == unknown.status_code == 200
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", text(page)) == strip.sub("", text(unknown))
    assert "Als er een account" in text(page)

    link = only_link(app, "anna@example.org", "nieuw wachtwoord")
    mismatch = post_form(client, link, {"password": NEW_PASSWORD, "confirm": "iets anders"})
    assert mismatch.status_code == 200
    assert "De wachtwoorden zijn niet hetzelfde." in text(mismatch)
    assert 'class="error-summary"' in text(mismatch)
    short = post_form(client, link, {"password": "kort", "confirm": "kort"})
    assert 'id="password-error"' in text(short)

    done = post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    login(client, "anna@example.org", NEW_PASSWORD)
    # The link worked once: the fingerprint of the old password no longer matches.
    used = client.get(link)
    assert used.status_code == 400
    assert "al gebruikt" in text(used)

    client.post("/logout", data={})
    frozen_time.shift(timedelta(minutes=6))
    post_form(client, "/forgot-password", {"email": "anna@example.org"})
    later = [m for m in mails(app, "anna@example.org") if "nieuw wachtwoord" in m["Subject"]]
    second = next(link_in(m) for m in later if link_in(m) != link)
    frozen_time.shift(timedelta(hours=1, minutes=1))
    expired = client.get(second)
    assert expired.status_code == 410
    assert "verlopen" in text(expired)


def test_change_password_requires_the_current_one(app: Flask, client: FlaskClient) -> None:
    register_resident(client)
    wrong = post_account(
        client,
        "/account/password",
        {
            "current_password": "niet mijn wachtwoord",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 200
    page = text(wrong)
    assert "Uw huidige wachtwoord klopt niet." in page
    assert 'id="password-current_password-error"' in page and 'class="error-summary"' in page

    no_csrf = client.post(
        "/account/password",
        data={
            "password-current_password": PASSWORD,
            "password-password": NEW_PASSWORD,
            "password-confirm": NEW_PASSWORD,
        },
    )
    assert no_csrf.status_code == 400
    ok = post_account(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert ok.status_code == 302
    client.post("/logout", data={})
    login(client, "anna@example.org", NEW_PASSWORD)


def test_change_email_only_after_verifying_the_new_address(app: Flask, client: FlaskClient) -> None:
    register_resident(client)
    wrong = post_account(
        client, "/account/email", {"email": "anna@nieuw.example", "current_password": "fout"}
    )
    assert "Uw huidige wachtwoord klopt niet." in text(wrong)
    taken = post_account(
        client, "/account/email", {"email": RESIDENT, "current_password": PASSWORD}
    )
    assert 'id="email-email-error"' in text(taken)

    ok = post_account(
        client, "/account/email", {"email": "anna@nieuw.example", "current_password": PASSWORD}
    )
    assert ok.status_code == 302
    with database(app):
        assert user_by_email("anna@example.org") is not None
    link = only_link(app, "anna@nieuw.example", "nieuwe e-mailadres")
    assert client.get(link).status_code == 302
    with database(app):
        user = user_by_email("anna@nieuw.example")
        assert user is not None and user.email_verified_at is not None
        assert user_by_email("anna@example.org") is None
    assert [m["Subject"] for m in mails(app, "anna@example.org") if "gewijzigd" in m["Subject"]]
    assert client.get(link).status_code == 400
    client.post("/logout", data={})
    login(client, "anna@nieuw.example", PASSWORD)


def test_delete_is_refused_with_an_open_case_and_allowed_without(
    app: Flask, client: FlaskClient
) -> None:
    register_resident(client)
    case = submit_application(client)
    page = client.get("/account/delete")
    assert "nog in behandeling" in text(page)
    assert case.reference in text(page)
    refused = post_form(
        client, "/account/delete", {"delete-password": PASSWORD, "delete-confirm": "y"}
    )
    assert refused.status_code == 200
    assert 'class="error-summary"' in text(refused)
    with database(app) as session:
        assert user_by_email("anna@example.org").is_active_account
        session.get(Case, case.id).status = "withdrawn"
        session.commit()

    unticked = post_form(client, "/account/delete", {"delete-password": PASSWORD})
    assert 'id="delete-confirm-error"' in text(unticked)
    deleted = post_form(
        client, "/account/delete", {"delete-password": PASSWORD, "delete-confirm": "y"}
    )
    assert deleted.status_code == 302
    with database(app) as session:
        assert user_by_email("anna@example.org") is None
        applicant = session.get(Case, case.id).applicant
        assert applicant.name == "Verwijderde gebruiker"
        assert applicant.email == f"deleted-{applicant.id}@invalid"
        assert not applicant.is_active_account
    assert client.get("/account").status_code == 302
    failed = post_form(client, "/login", {"email": "anna@example.org", "password": PASSWORD})
    assert failed.status_code == 200
