"""An index on capture.final_url: every 200 response asks whether an earlier run archived the same payload.

The WARC middleware's revisit lookup (compliance.evidence.PriorPayloads) finds the URL's last capture; without
the index SQLite scans the table once per response.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""
from __future__ import annotations

from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_capture_final_url', 'capture', ['final_url'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_capture_final_url', table_name='capture')
