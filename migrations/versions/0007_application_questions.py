"""application questions per regulation, informal groups with co-applicants, regulation periods

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 08:25:10
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('application_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regulation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('label_en', sa.String(length=300), nullable=False),
    sa.Column('hint', sa.Text(), nullable=False),
    sa.Column('hint_en', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('min_value', sa.BigInteger(), nullable=True),
    sa.Column('max_value', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['regulation_id'], ['regulations.id'], name=op.f('fk_application_questions_regulation_id_regulations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_questions')),
    sa.UniqueConstraint('regulation_id', 'key', name=op.f('uq_application_questions_regulation_id'))
    )
    with op.batch_alter_table('application_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_questions_regulation_id'), ['regulation_id'], unique=False)

    op.create_table('case_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_answers_case_id_cases')),
    sa.ForeignKeyConstraint(['question_id'], ['application_questions.id'], name=op.f('fk_case_answers_question_id_application_questions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_answers')),
    sa.UniqueConstraint('case_id', 'question_id', name=op.f('uq_case_answers_case_id'))
    )
    with op.batch_alter_table('case_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_answers_case_id'), ['case_id'], unique=False)

    op.create_table('co_applicants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_co_applicants_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_co_applicants'))
    )
    with op.batch_alter_table('co_applicants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_co_applicants_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('applicant_kind', sa.String(length=20), nullable=False, server_default='resident')
        )
        batch_op.add_column(sa.Column('group_name', sa.String(length=200), nullable=True))
    op.execute("UPDATE cases SET applicant_kind = 'organisation' WHERE organisation_id IS NOT NULL")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('applicant_kind', server_default=None)

    with op.batch_alter_table('regulations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_end', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closes_on', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('regulations', schema=None) as batch_op:
        batch_op.drop_column('closes_on')
        batch_op.drop_column('period_end')
        batch_op.drop_column('period_start')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('group_name')
        batch_op.drop_column('applicant_kind')

    with op.batch_alter_table('co_applicants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_co_applicants_case_id'))

    op.drop_table('co_applicants')
    with op.batch_alter_table('case_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_answers_case_id'))

    op.drop_table('case_answers')
    with op.batch_alter_table('application_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_questions_regulation_id'))

    op.drop_table('application_questions')
