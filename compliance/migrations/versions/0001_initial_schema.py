"""Initial schema: sites, crawl runs, captures, documents, images, matches, audits, findings.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('policy', sa.JSON(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_run'))
    )
    op.create_table('crawl_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('request', sa.JSON(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_run'))
    )
    op.create_table('match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('copy_id', sa.Integer(), nullable=False),
    sa.Column('original_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('distance', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match')),
    sa.UniqueConstraint('kind', 'copy_id', 'original_id', name=op.f('uq_match_kind_copy_id_original_id'))
    )
    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_copy_id'), ['copy_id'], unique=False)

    op.create_table('site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site')),
    sa.UniqueConstraint('name', name=op.f('uq_site_name'))
    )
    op.create_table('capture',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('requested_url', sa.Text(), nullable=False),
    sa.Column('final_url', sa.Text(), nullable=True),
    sa.Column('redirect_chain', sa.JSON(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('body_sha256', sa.String(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=True),
    sa.Column('warc_file', sa.Text(), nullable=True),
    sa.Column('warc_offset', sa.BigInteger(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['crawl_run.id'], name=op.f('fk_capture_run_id_crawl_run')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_capture_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capture')),
    sa.UniqueConstraint('run_id', 'requested_url', name=op.f('uq_capture_run_id_requested_url'))
    )
    with op.batch_alter_table('capture', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capture_run_id'), ['run_id'], unique=False)

    op.create_table('finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_run_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=10), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['audit_run_id'], ['audit_run.id'], name=op.f('fk_finding_audit_run_id_audit_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding'))
    )
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_audit_run_id'), ['audit_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_code'), ['code'], unique=False)

    op.create_table('site_origin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_site_origin_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_origin')),
    sa.UniqueConstraint('origin', name=op.f('uq_site_origin_origin'))
    )
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('fetched_url', sa.Text(), nullable=False),
    sa.Column('capture_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('byline', sa.Text(), nullable=True),
    sa.Column('published', sa.String(length=40), nullable=True),
    sa.Column('modified', sa.String(length=40), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_sha256', sa.String(length=64), nullable=False),
    sa.Column('simhash', sa.BigInteger(), nullable=True),
    sa.Column('credits', sa.JSON(), nullable=False),
    sa.Column('outbound_links', sa.JSON(), nullable=False),
    sa.Column('disclaimers', sa.JSON(), nullable=False),
    sa.Column('alternates', sa.JSON(), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_down_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('taken_down_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['capture_id'], ['capture.id'], name=op.f('fk_document_capture_id_capture')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_document_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('url', 'text_sha256', name=op.f('uq_document_url_text_sha256'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index('ix_document_current', ['is_current'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_site_id'), ['site_id'], unique=False)

    op.create_table('image',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('capture_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('format', sa.String(length=20), nullable=True),
    sa.Column('phash', sa.String(length=128), nullable=True),
    sa.Column('phash_method', sa.String(length=20), nullable=True),
    sa.Column('phash_quality', sa.Integer(), nullable=True),
    sa.Column('embedded', sa.JSON(), nullable=False),
    sa.Column('c2pa', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_down_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('taken_down_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['capture_id'], ['capture.id'], name=op.f('fk_image_capture_id_capture')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_image')),
    sa.UniqueConstraint('url', name=op.f('uq_image_url'))
    )
    with op.batch_alter_table('image', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_image_sha256'), ['sha256'], unique=False)

    op.create_table('image_appearance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('alt', sa.Text(), nullable=True),
    sa.Column('caption', sa.Text(), nullable=True),
    sa.Column('credit_line', sa.Text(), nullable=True),
    sa.Column('credited_source', sa.Text(), nullable=True),
    sa.Column('jsonld_credit', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_image_appearance_document_id_document')),
    sa.ForeignKeyConstraint(['image_id'], ['image.id'], name=op.f('fk_image_appearance_image_id_image')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_image_appearance')),
    sa.UniqueConstraint('document_id', 'image_id', name=op.f('uq_image_appearance_document_id_image_id'))
    )
    with op.batch_alter_table('image_appearance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_image_appearance_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_image_appearance_image_id'), ['image_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('image_appearance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_image_appearance_image_id'))
        batch_op.drop_index(batch_op.f('ix_image_appearance_document_id'))

    op.drop_table('image_appearance')
    with op.batch_alter_table('image', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_image_sha256'))

    op.drop_table('image')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_site_id'))
        batch_op.drop_index('ix_document_current')

    op.drop_table('document')
    op.drop_table('site_origin')
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_code'))
        batch_op.drop_index(batch_op.f('ix_finding_audit_run_id'))

    op.drop_table('finding')
    with op.batch_alter_table('capture', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capture_run_id'))

    op.drop_table('capture')
    op.drop_table('site')
    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_copy_id'))

    op.drop_table('match')
    op.drop_table('crawl_run')
    op.drop_table('audit_run')
