"""Winnowed fingerprints of every document version in an inverted index (text_posting), for rewritten and excerpted copies.

document.winnowed says a version's postings are written; versions stored before this revision get theirs the
next time `provenance link` runs.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'text_posting',
        sa.Column('document_id', sa.Integer(), sa.ForeignKey('document.id'), primary_key=True),
        sa.Column('fingerprint', sa.BigInteger(), primary_key=True),
    )
    op.create_index('ix_text_posting_fingerprint', 'text_posting', ['fingerprint'])
    op.add_column('document', sa.Column('winnowed', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('winnowed')
    op.drop_index('ix_text_posting_fingerprint', table_name='text_posting')
    op.drop_table('text_posting')
