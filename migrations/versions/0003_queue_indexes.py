"""queue indexes: search on title and reference, sorting and filtering the case queue

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:00:00

On PostgreSQL the search indexes are trigram GIN indexes (pg_trgm), which serve
`ILIKE '%text%'`. SQLite has no trigram indexes: there the same names are plain
indexes, so the schema still matches the models (tests/test_migrations.py) and
the queue's search simply scans, which is fine for a first-run database.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TRIGRAM_INDEXES = (
    ("ix_cases_title_search", "title"),
    ("ix_cases_reference_search", "reference"),
)
PLAIN_INDEXES = (
    ("ix_cases_received_on", ["received_on"]),
    ("ix_cases_assignee_status_deadline", ["assignee_id", "status", "decision_deadline"]),
    ("ix_cases_area_status_deadline", ["area_id", "status", "decision_deadline"]),
)


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if _on_postgresql():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name, column in TRIGRAM_INDEXES:
            batch_op.create_index(
                name,
                [column],
                unique=False,
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )
        for name, columns in PLAIN_INDEXES:
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    # The pg_trgm extension stays: other objects may use it, and it holds no data.
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name, _columns in reversed(PLAIN_INDEXES):
            batch_op.drop_index(name)
        for name, _column in reversed(TRIGRAM_INDEXES):
            batch_op.drop_index(name)
