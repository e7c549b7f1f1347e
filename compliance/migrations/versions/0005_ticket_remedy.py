"""What the sender asks for: ticket.remedy (remove, credit, licence_fee, restore, none), and the e-mail identity.

ticket.message_id keeps an e-mailed notice's Message-ID, so a second copy of the message is the same ticket and a
reply (In-Reply-To / References) finds it. Existing tickets get the remedy their kind implies.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('ticket', sa.Column('remedy', sa.String(length=20), nullable=False, server_default='remove'))
    op.add_column('ticket', sa.Column('message_id', sa.String(length=300), nullable=True))
    op.create_index('ix_ticket_message_id', 'ticket', ['message_id'])
    ticket = sa.table('ticket', sa.column('kind', sa.String), sa.column('remedy', sa.String))
    op.execute(ticket.update().where(ticket.c.kind == 'counter_notice').values(remedy='restore'))
    op.execute(ticket.update().where(ticket.c.kind.in_(['retraction', 'reversal', 'other'])).values(remedy='none'))


def downgrade() -> None:
    op.drop_index('ix_ticket_message_id', table_name='ticket')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('message_id')
        batch_op.drop_column('remedy')
