"""organisation details: bank account holder and address

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 15:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = (
    ("account_holder", 200),
    ("street", 200),
    ("postcode", 7),
    ("city", 100),
)


def upgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        for name, _length in reversed(COLUMNS):
            batch_op.drop_column(name)
