"""Takedown tickets, their copies and their append-only event history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('regime', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source_file', sa.Text(), nullable=False),
    sa.Column('source_format', sa.String(length=10), nullable=False),
    sa.Column('record_index', sa.Integer(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('sender', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('works', sa.JSON(), nullable=False),
    sa.Column('urls', sa.JSON(), nullable=False),
    sa.Column('references', sa.JSON(), nullable=False),
    sa.Column('defects', sa.JSON(), nullable=False),
    sa.Column('completeness', sa.JSON(), nullable=False),
    sa.Column('deadlines', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actioned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['ticket.id'], name=op.f('fk_ticket_parent_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket')),
    sa.UniqueConstraint('content_sha256', name=op.f('uq_ticket_content_sha256'))
    )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_status'), ['status'], unique=False)

    op.create_table('ticket_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_event_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_event'))
    )
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_event_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('ticket_copy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('found_by', sa.String(length=20), nullable=False),
    sa.Column('distance', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('image_id', sa.Integer(), nullable=True),
    sa.Column('capture_id', sa.Integer(), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['capture_id'], ['capture.id'], name=op.f('fk_ticket_copy_capture_id_capture')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_ticket_copy_document_id_document')),
    sa.ForeignKeyConstraint(['image_id'], ['image.id'], name=op.f('fk_ticket_copy_image_id_image')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_copy_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_copy')),
    sa.UniqueConstraint('ticket_id', 'url', name=op.f('uq_ticket_copy_ticket_id_url'))
    )
    with op.batch_alter_table('ticket_copy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_copy_ticket_id'), ['ticket_id'], unique=False)
    append_only_events()


# TicketEvent is the audit trail: the database itself refuses to rewrite or delete it.
SQLITE_TRIGGERS = (
    "CREATE TRIGGER ticket_event_no_update BEFORE UPDATE ON ticket_event "
    "BEGIN SELECT RAISE(ABORT, 'ticket_event is append-only'); END",
    "CREATE TRIGGER ticket_event_no_delete BEFORE DELETE ON ticket_event "
    "BEGIN SELECT RAISE(ABORT, 'ticket_event is append-only'); END",
)
POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION ticket_event_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'ticket_event is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER ticket_event_no_update BEFORE UPDATE OR DELETE ON ticket_event "
    "FOR EACH ROW EXECUTE FUNCTION ticket_event_append_only()",
    "CREATE TRIGGER ticket_event_no_truncate BEFORE TRUNCATE ON ticket_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION ticket_event_append_only()",
)


def append_only_events() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS if dialect == "postgresql" else ():
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS ticket_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS ticket_event_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ticket_event_no_update ON ticket_event")
        op.execute("DROP TRIGGER IF EXISTS ticket_event_no_truncate ON ticket_event")
        op.execute("DROP FUNCTION IF EXISTS ticket_event_append_only()")
    with op.batch_alter_table('ticket_copy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_copy_ticket_id'))

    op.drop_table('ticket_copy')
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_event_ticket_id'))

    op.drop_table('ticket_event')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_status'))

    op.drop_table('ticket')
