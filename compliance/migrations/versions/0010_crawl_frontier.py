"""Crash-safe crawls: the frontier (crawl_request) and who runs a crawl (host, pid, heartbeat, attempts).

A run's requests are written with the page that discovered them, so `crawl --resume` continues a killed run
from the database: no page lost, none stored twice.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('crawl_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('pid', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='1'))
    op.create_table(
        'crawl_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('url_key', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('site', sa.String(length=200), nullable=False),
        sa.Column('depth', sa.Integer(), nullable=False),
        sa.Column('is_start', sa.Boolean(), nullable=False),
        sa.Column('page_url', sa.Text(), nullable=True),
        sa.Column('done', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(['run_id'], ['crawl_run.id'], name=op.f('fk_crawl_request_run_id_crawl_run')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_request')),
        sa.UniqueConstraint('run_id', 'url_key', name=op.f('uq_crawl_request_run_id_url_key')),
    )
    op.create_index('ix_crawl_request_pending', 'crawl_request', ['run_id', 'done'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_crawl_request_pending', table_name='crawl_request')
    op.drop_table('crawl_request')
    with op.batch_alter_table('crawl_run', schema=None) as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('pid')
        batch_op.drop_column('host')
