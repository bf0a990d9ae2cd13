"""Helpers for tests that act as a person in the browser would, through the test client."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

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


_ACTION = re.compile(r'<form method="post" action="([^"]+)"[^>]*id="step-form"')


class _FormValues(HTMLParser):
    """The values a browser would send for a page's fields as they stand (files left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.names: set[str] = set()
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        name = attr.get("name")
        if tag == "input" and name:
            self.names.add(name)
            kind = attr.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attr:
                    self.values[name] = attr.get("value", "on")
            elif kind not in ("file", "submit"):
                self.values[name] = attr.get("value", "")
        elif tag == "select" and name:
            self.names.add(name)
            self._select = name
        elif tag == "option" and self._select and "selected" in attr:
            self.values[self._select] = attr.get("value", "")
        elif tag == "textarea" and name:
            self.names.add(name)
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.values[self._textarea] = self.values[self._textarea].lstrip("\r\n")
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def hidden_value(html: str, name: str) -> str | None:
    """The value of a form's hidden field (a WTForms HiddenField), None when absent."""
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    return match.group(1) if match else None


def fill_steps(client: FlaskClient, url: str, data: dict[str, object]) -> TestResponse:
    """Walk the application steps as a person would: every step gets the values of `data`
    for the fields it shows, then "Next". Returns the check page, or the first step that
    shows errors."""
    response = client.get(url)
    while True:
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (response.status_code, html[:500])
        action = _ACTION.search(html)
        if action is None:
            return response
        fields = _FormValues()
        fields.feed(html[action.start() :])
        payload: dict[str, object] = {
            **fields.values,
            **{key: value for key, value in data.items() if key in fields.names},
        }
        payload.setdefault("go", "next")
        response = client.post(action.group(1).replace("&amp;", "&"), data=payload)
        if response.status_code != 302:
            return response
        response = client.get(response.location)


def apply_online(client: FlaskClient, url: str, data: dict[str, object]) -> TestResponse:
    """Fill in every step and submit on the check page; the step with errors otherwise."""
    page = fill_steps(client, url, data)
    html = page.get_data(as_text=True)
    if not page.request.path.endswith("/check") or hidden_value(html, "version") is None:
        return page
    return client.post(
        page.request.path,
        data={"csrf_token": csrf_token(html), "version": hidden_value(html, "version") or ""},
    )
