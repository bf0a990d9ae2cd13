"""account verification: users.email_verified_at

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 15:30:00

Residents confirm their e-mail address through a signed link. Existing rows stay
NULL: staff accounts count as verified in `User.is_verified`, residents who
registered before this migration are asked to confirm their address.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_verified_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email_verified_at")
