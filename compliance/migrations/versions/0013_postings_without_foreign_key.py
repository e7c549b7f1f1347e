"""text_posting without a foreign key: its rows come only from text_posting_pending, which has one.

Moving a million documents' postings (78 million rows, sorted by fingerprint) made SQLite look up the document of
every row in document-id order that the fingerprint order scatters; the pending table checks each row as it is
stored, so the index needs no second check.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def _rebuild(with_foreign_key: bool) -> None:
    document_id = (sa.Column('document_id', sa.Integer(), sa.ForeignKey('document.id'), primary_key=True)
                   if with_foreign_key else sa.Column('document_id', sa.Integer(), primary_key=True))
    op.create_table('text_posting_rebuilt', sa.Column('fingerprint', sa.BigInteger(), primary_key=True),
                    document_id, sqlite_with_rowid=False)
    op.execute('INSERT INTO text_posting_rebuilt (fingerprint, document_id) '
               'SELECT fingerprint, document_id FROM text_posting ORDER BY fingerprint, document_id')
    op.drop_table('text_posting')
    op.rename_table('text_posting_rebuilt', 'text_posting')


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('fk_text_posting_document_id_document', 'text_posting', type_='foreignkey')
    else:  # SQLite cannot drop a constraint: the table is rebuilt (WITHOUT ROWID, same key)
        _rebuild(with_foreign_key=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.create_foreign_key('fk_text_posting_document_id_document', 'text_posting', 'document',
                              ['document_id'], ['id'])
    else:
        _rebuild(with_foreign_key=True)
