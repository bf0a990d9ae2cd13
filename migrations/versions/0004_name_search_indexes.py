"""name search: trigram indexes on applicant and organisation names

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:10:00

The case queue searches by applicant and organisation name; on PostgreSQL these
are trigram GIN indexes (pg_trgm, created in 0003), on SQLite plain indexes of
the same names so that the schema matches the models.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NAME_INDEXES = (("users", "ix_users_name_search"), ("organisations", "ix_organisations_name_search"))


def upgrade():
    for table, name in NAME_INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(
                name,
                ["name"],
                unique=False,
                postgresql_using="gin",
                postgresql_ops={"name": "gin_trgm_ops"},
            )


def downgrade():
    for table, name in reversed(NAME_INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
