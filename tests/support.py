"""Helpers for tests that act as a person in the browser would, through the test client."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import User

DEMO_PASSWORD = "demo-wachtwoord-2026"
OFFICER = "medewerker@demo.sociale-basis.nl"
OTHER_OFFICER = "medewerker2@demo.sociale-basis.nl"
RESIDENT = "bewoner@demo.sociale-basis.nl"
TEST_CONFIG: dict[str, object] = {
    "TESTING": True,
    "SERVER_NAME": None,
    "CELERY": {
        "broker_url": "memory://",
        "result_backend": None,
        "task_ignore_result": True,
        "task_acks_late": True,
        "timezone": "Europe/Amsterdam",
    },
}
CSRF_PATTERN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def post_form(
    client: FlaskClient, page_url: str, data: dict[str, str], action: str | None = None
) -> TestResponse:
    """Load a form page as a browser would, then post the form with its CSRF token."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    payload = {"csrf_token": csrf_token(page.get_data(as_text=True)), **data}
    return client.post(action or page_url, data=payload)


def login(client: FlaskClient, email: str, password: str = DEMO_PASSWORD) -> None:
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def user_by_email(email: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == email))


@contextmanager
def database(app: Flask) -> Iterator[scoped_session]:
    """A short app context for checking the database between requests."""
    with app.app_context():
        yield db.session
        db.session.remove()


def pdf_upload(name: str = "document.pdf") -> tuple[io.BytesIO, str]:
    """A small file whose content really is a PDF, for form posts."""
    return io.BytesIO(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"), name
