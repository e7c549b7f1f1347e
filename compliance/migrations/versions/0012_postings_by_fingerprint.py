"""Postings keyed by fingerprint first, and a pending table a crawl appends to.

A crawl wrote each page's ~100-800 postings straight into an index ordered by fingerprint: random inserts, one
dirty page each, written at every commit (a million synthetic articles stored at ~50 a second). Pages now append
their postings to `text_posting_pending`; `provenance link` moves them into `text_posting` sorted by fingerprint.
`text_posting` becomes one B-tree on (fingerprint, document_id) (WITHOUT ROWID on SQLite) instead of a table,
its primary-key index and a fingerprint index.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'text_posting_pending',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), primary_key=True),
        sa.Column('document_id', sa.Integer(), sa.ForeignKey('document.id'), nullable=False),
        sa.Column('fingerprint', sa.BigInteger(), nullable=False),
    )
    op.create_table(
        'text_posting_by_fingerprint',
        sa.Column('fingerprint', sa.BigInteger(), primary_key=True),
        sa.Column('document_id', sa.Integer(), sa.ForeignKey('document.id'), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.execute('INSERT INTO text_posting_by_fingerprint (fingerprint, document_id) '
               'SELECT fingerprint, document_id FROM text_posting ORDER BY fingerprint, document_id')
    op.drop_index('ix_text_posting_fingerprint', table_name='text_posting')
    op.drop_table('text_posting')
    op.rename_table('text_posting_by_fingerprint', 'text_posting')
    if op.get_bind().dialect.name == 'postgresql':  # constraint names follow the table's (SQLite keeps none)
        op.execute('ALTER TABLE text_posting RENAME CONSTRAINT pk_text_posting_by_fingerprint TO pk_text_posting')
        op.execute('ALTER TABLE text_posting RENAME CONSTRAINT fk_text_posting_by_fingerprint_document_id_document '
                   'TO fk_text_posting_document_id_document')


def downgrade() -> None:
    op.execute('INSERT INTO text_posting (fingerprint, document_id) SELECT fingerprint, document_id '
               'FROM text_posting_pending WHERE true ORDER BY fingerprint, document_id ON CONFLICT DO NOTHING')
    op.drop_table('text_posting_pending')
    op.create_table(
        'text_posting_by_document',
        sa.Column('document_id', sa.Integer(), sa.ForeignKey('document.id'), primary_key=True),
        sa.Column('fingerprint', sa.BigInteger(), primary_key=True),
    )
    op.execute('INSERT INTO text_posting_by_document (document_id, fingerprint) '
               'SELECT document_id, fingerprint FROM text_posting')
    op.drop_table('text_posting')
    op.rename_table('text_posting_by_document', 'text_posting')
    op.create_index('ix_text_posting_fingerprint', 'text_posting', ['fingerprint'])
