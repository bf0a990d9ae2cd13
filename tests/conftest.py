"""Test set-up: one app per run on PostgreSQL (DATABASE_URL set) or SQLite.

The schema is built by the Alembic migrations, so every run also tests them.
Each test starts from empty tables plus the reference municipality.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

_TMP = Path(tempfile.mkdtemp(prefix="sociale-basis-tests-"))
os.environ.setdefault("SB_INSTANCE_DIR", str(_TMP / "instance"))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'test.sqlite'}"

from support import TEST_CONFIG  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.services import demo  # noqa: E402

FROZEN_NOW = "2026-03-02 09:00:00+01:00"  # a Monday; terms below are worked out from it


def _reset_schema(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    application = create_app(TEST_CONFIG)
    _reset_schema(application)
    yield application


def _truncate_all(app: Flask) -> None:
    tables = [t.name for t in db.metadata.sorted_tables]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{name}"' for name in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        _truncate_all(app)
    yield
    with app.app_context():
        db.session.remove()


@pytest.fixture()
def frozen_time() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(FROZEN_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture()
def reference_data(app: Flask, tmp_path: Path, frozen_time: object) -> Iterator[dict[str, object]]:
    """The demo municipality without demo cases; mail and files in this test's folder.

    No app context stays pushed: requests must not share `g` (logged-in user, CSRF token).
    """
    app.config["MAILBOX_DIR"] = str(tmp_path / "mailbox")
    app.config["STORAGE_DIR"] = str(tmp_path / "storage")
    with app.app_context():
        demo.seed_demo(case_count=0)
        db.session.remove()
    yield {"app": app}


@pytest.fixture()
def client(app: Flask, reference_data: dict[str, object]) -> FlaskClient:
    return app.test_client()
