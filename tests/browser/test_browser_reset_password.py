"""The page of the e-mailed password reset link, in Chromium, with axe: empty and with errors."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select
from support import RESIDENT

from app.extensions import db
from app.models import Notification
from app.services import accounts

pytestmark = pytest.mark.browser


def _reset_link(app: Flask, email: str) -> str:
    """The path of the link the app mails; building it needs a request for url_for."""
    with app.test_request_context():
        accounts.request_password_reset(email)
        mail = db.session.scalar(
            select(Notification).where(Notification.template == "account_reset")
        )
        link = mail.context["link"]
        db.session.remove()
    return urlsplit(link).path


def test_reset_password_page_has_no_violations_empty_and_with_errors(
    app: Flask, page: Page, live_server: str, assert_accessible: Callable[[Page], dict]
) -> None:
    page.goto(live_server + _reset_link(app, RESIDENT))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stel een nieuw wachtwoord in")
    assert_accessible(page)

    page.get_by_label("Nieuw wachtwoord", exact=True).fill("een lange zin als wachtwoord")
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill("een andere zin")
    page.get_by_role("button", name="Nieuw wachtwoord opslaan").click()
    expect(page.locator(".error-summary")).to_contain_text("De wachtwoorden zijn niet hetzelfde.")
    expect(page.get_by_label("Herhaal het nieuwe wachtwoord")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page)
