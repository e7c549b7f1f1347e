"""Images matched by the pHashes of 11 windows and the mirrored image, and images too plain to fingerprint.

image.window_print holds compliance.fingerprints.imagematch's print (flips, crops and credit bands still match);
image.low_information marks solid colours, near-uniform banners and smooth gradients, which are never linked by a
perceptual hash (exact bytes still are). Rows stored before this revision keep their single pHash until their image
is fetched again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('image', sa.Column('window_print', sa.String(length=240), nullable=True))
    op.add_column('image', sa.Column('low_information', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('image', schema=None) as batch_op:
        batch_op.drop_column('low_information')
        batch_op.drop_column('window_print')
