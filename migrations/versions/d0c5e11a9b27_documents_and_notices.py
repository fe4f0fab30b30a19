"""technical documents (versions, grants, permissions, downloads) and portal notices

Revision ID: d0c5e11a9b27
Revises: 424121a3b8ce
Create Date: 2026-11-24 11:51:03.597142

"""
from alembic import op
import sqlalchemy as sa

import portal.db  # custom column types (UTC timestamps)


# revision identifiers, used by Alembic.
revision = 'd0c5e11a9b27'
down_revision = "424121a3b8ce"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('doc_type', sa.String(length=30), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', portal.db.UTC(timezone=True), nullable=False),
    sa.Column('created_at', portal.db.UTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_document_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index('ix_document_type_language', ['doc_type', 'language'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_updated_at'), ['updated_at'], unique=False)

    op.create_table('document_type_permission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_type', sa.String(length=30), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_document_type_permission_client_id_client')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user_account.id'], name=op.f('fk_document_type_permission_granted_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_type_permission')),
    sa.UniqueConstraint('client_id', 'doc_type', name=op.f('uq_document_type_permission_client_id_doc_type'))
    )
    with op.batch_alter_table('document_type_permission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_type_permission_client_id'), ['client_id'], unique=False)

    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=400), nullable=False),
    sa.Column('read_at', portal.db.UTC(timezone=True), nullable=True),
    sa.Column('read_by_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_notice_client_id_client')),
    sa.ForeignKeyConstraint(['read_by_id'], ['user_account.id'], name=op.f('fk_notice_read_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_notice_client_read', ['client_id', 'read_at'], unique=False)

    op.create_table('document_batch',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], name=op.f('fk_document_batch_batch_id_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_batch_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'batch_id', name=op.f('pk_document_batch'))
    )
    with op.batch_alter_table('document_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_batch_batch_id'), ['batch_id'], unique=False)

    op.create_table('document_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_document_grant_client_id_client')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_grant_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user_account.id'], name=op.f('fk_document_grant_granted_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_grant')),
    sa.UniqueConstraint('document_id', 'client_id', name=op.f('uq_document_grant_document_id_client_id'))
    )
    with op.batch_alter_table('document_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_grant_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_grant_document_id'), ['document_id'], unique=False)

    op.create_table('document_model',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_model_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['model_id'], ['product_model.id'], name=op.f('fk_document_model_model_id_product_model'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'model_id', name=op.f('pk_document_model'))
    )
    with op.batch_alter_table('document_model', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_model_model_id'), ['model_id'], unique=False)

    op.create_table('document_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('release_notes', sa.Text(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('file_format', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_document_version_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_version_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_version')),
    sa.UniqueConstraint('document_id', 'number', name=op.f('uq_document_version_document_id_number'))
    )
    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_version_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_version_storage_key'), ['storage_key'], unique=False)

    op.create_table('document_download',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', portal.db.UTC(timezone=True), nullable=False),
    sa.Column('stamped', sa.Boolean(), nullable=False),
    sa.Column('via_api', sa.Boolean(), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_document_download_client_id_client')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_download_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_document_download_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['document_version.id'], name=op.f('fk_document_download_version_id_document_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_download'))
    )
    with op.batch_alter_table('document_download', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_download_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_document_download_document_at', ['document_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_download_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_download_version_id'), ['version_id'], unique=False)


def downgrade():
    with op.batch_alter_table('document_download', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_download_version_id'))
        batch_op.drop_index(batch_op.f('ix_document_download_user_id'))
        batch_op.drop_index('ix_document_download_document_at')
        batch_op.drop_index(batch_op.f('ix_document_download_client_id'))
    op.drop_table('document_download')
    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_version_storage_key'))
        batch_op.drop_index(batch_op.f('ix_document_version_document_id'))
    op.drop_table('document_version')
    with op.batch_alter_table('document_model', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_model_model_id'))
    op.drop_table('document_model')
    with op.batch_alter_table('document_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_grant_document_id'))
        batch_op.drop_index(batch_op.f('ix_document_grant_client_id'))
    op.drop_table('document_grant')
    with op.batch_alter_table('document_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_batch_batch_id'))
    op.drop_table('document_batch')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_client_read')
        batch_op.drop_index(batch_op.f('ix_notice_client_id'))
    op.drop_table('notice')
    with op.batch_alter_table('document_type_permission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_type_permission_client_id'))
    op.drop_table('document_type_permission')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_updated_at'))
        batch_op.drop_index('ix_document_type_language')
    op.drop_table('document')
