"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from test_skeleton_path import register_resident, submit_application

from app.extensions import db
from app.models import CaseEvent


def test_models_and_migrations_agree(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


ON_POSTGRESQL = os.environ["DATABASE_URL"].startswith("postgres")


@pytest.mark.skipif(
    not ON_POSTGRESQL, reason="the trigger is PostgreSQL's; SQLite is for first runs"
)
@pytest.mark.parametrize(
    "statement", ["UPDATE case_events SET kind = 'edited'", "DELETE FROM case_events"]
)
def test_case_events_are_append_only_on_postgresql(
    app: Flask, client: FlaskClient, statement: str
) -> None:
    register_resident(client)
    submit_application(client)
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))
        assert db.session.scalar(select(CaseEvent.kind)) == "submit"
