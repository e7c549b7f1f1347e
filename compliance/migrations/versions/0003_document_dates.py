"""Publication dates as instants: document.published_at / modified_at (UTC), the text kept as written.

Also drops image.phash_quality, which was never written (no quality measure was computed).

Dates were stored as the page wrote them (String(40)) and compared as text, so "08:30+05:00" sorted after
"05:00Z". The text stays (it is evidence, now unbounded: pages write long dates); the parsed instant is added
and back-filled with compliance.dates.parse_lenient.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":  # SQLite ignores lengths; recreating the table there would gain nothing
        op.alter_column('document', 'published', type_=sa.Text(), existing_type=sa.String(length=40))
        op.alter_column('document', 'modified', type_=sa.Text(), existing_type=sa.String(length=40))
    op.add_column('document', sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('document', sa.Column('modified_at', sa.DateTime(timezone=True), nullable=True))
    backfill(bind)
    if bind.dialect.name == "sqlite":  # SQLite 3.35+ drops a column in place (no table copy, foreign keys kept)
        op.execute("ALTER TABLE image DROP COLUMN phash_quality")
    else:
        op.drop_column('image', 'phash_quality')


def backfill(bind: sa.engine.Connection) -> None:
    from compliance.dates import parse_lenient

    document = sa.table('document', sa.column('id', sa.Integer), sa.column('published', sa.Text),
                        sa.column('modified', sa.Text), sa.column('language', sa.String),
                        sa.column('published_at', sa.DateTime(timezone=True)),
                        sa.column('modified_at', sa.DateTime(timezone=True)))
    rows = bind.execute(sa.select(document.c.id, document.c.published, document.c.modified, document.c.language)
                        .where(sa.or_(document.c.published.is_not(None), document.c.modified.is_not(None)))).all()
    for row in rows:
        values = {"published_at": parse_lenient(row.published, row.language),
                  "modified_at": parse_lenient(row.modified, row.language)}
        if bind.dialect.name == "sqlite":  # stored as the model's UTCDateTime writes it: naive UTC text
            values = {k: v.replace(tzinfo=None) if v is not None else None for k, v in values.items()}
        bind.execute(document.update().where(document.c.id == row.id).values(**values))


def downgrade() -> None:
    op.add_column('image', sa.Column('phash_quality', sa.Integer(), nullable=True))
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('modified_at')
        batch_op.drop_column('published_at')
