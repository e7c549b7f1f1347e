"""Incremental linking: document.linked says a link run has confirmed this version against the corpus.

A link run then confirms only the pairs that involve versions not linked yet; existing versions start unlinked,
so the first run after this revision links everything once.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('document', sa.Column('linked', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('linked')
