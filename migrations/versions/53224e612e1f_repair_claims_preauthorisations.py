"""repair claims, their parts and attachments, pre-authorisations

Revision ID: 53224e612e1f
Revises: 76727d245b01
Create Date: 2026-11-24 12:05:00

"""
from alembic import op
import sqlalchemy as sa

import portal.db  # custom column types (UTC timestamps)


# revision identifiers, used by Alembic.
revision = '53224e612e1f'
down_revision = "76727d245b01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('claim_preauthorisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('planned_repair', sa.Text(), nullable=False),
    sa.Column('repair_level', sa.String(length=2), nullable=False),
    sa.Column('estimated_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', portal.db.UTC(timezone=True), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_claim_preauthorisation_client_id_client')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_claim_preauthorisation_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_claim_preauthorisation_requested_by_id_user_account')),
    sa.ForeignKeyConstraint(['station_id'], ['client_station.id'], name=op.f('fk_claim_preauthorisation_station_id_client_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_preauthorisation'))
    )
    with op.batch_alter_table('claim_preauthorisation', schema=None) as batch_op:
        batch_op.create_index('ix_claim_preauthorisation_client_status', ['client_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_preauthorisation_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_preauthorisation_serial'), ['serial'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_preauthorisation_station_id'), ['station_id'], unique=False)

    op.create_table('claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('repair_date', sa.Date(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('fault_cause', sa.String(length=40), nullable=False),
    sa.Column('repair_level', sa.String(length=2), nullable=False),
    sa.Column('repaired_category', sa.String(length=20), nullable=False),
    sa.Column('claimed_labour', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('claimed_parts', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('claimed_handling', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('preauthorisation_id', sa.Integer(), nullable=True),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('signals', sa.JSON(), nullable=False),
    sa.Column('schedule_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('adjusted_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('staff_comment', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', portal.db.UTC(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_claim_client_id_client')),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_claim_contract_id_contract')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_claim_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['model_id'], ['product_model.id'], name=op.f('fk_claim_model_id_product_model')),
    sa.ForeignKeyConstraint(['preauthorisation_id'], ['claim_preauthorisation.id'], name=op.f('fk_claim_preauthorisation_id_claim_preauthorisation')),
    sa.ForeignKeyConstraint(['station_id'], ['client_station.id'], name=op.f('fk_claim_station_id_client_station')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], name=op.f('fk_claim_submitted_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim'))
    )
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.create_index('ix_claim_client_decided', ['client_id', 'decided_on'], unique=False)
        batch_op.create_index('ix_claim_client_repair', ['client_id', 'repair_date'], unique=False)
        batch_op.create_index('ix_claim_client_serial', ['client_id', 'serial'], unique=False)
        batch_op.create_index('ix_claim_client_status', ['client_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_fault_cause'), ['fault_cause'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_model_id'), ['model_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_preauthorisation_id'), ['preauthorisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_station_id'), ['station_id'], unique=False)

    op.create_table('claim_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_claim_attachment_claim_id_claim'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_claim_attachment_client_id_client')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_attachment'))
    )
    with op.batch_alter_table('claim_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_attachment_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_attachment_client_id'), ['client_id'], unique=False)

    op.create_table('claim_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_claim_part_claim_id_claim'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_claim_part_client_id_client')),
    sa.ForeignKeyConstraint(['part_id'], ['part.id'], name=op.f('fk_claim_part_part_id_part')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_part'))
    )
    with op.batch_alter_table('claim_part', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_part_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_part_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_part_part_id'), ['part_id'], unique=False)


def downgrade():
    op.drop_table('claim_part')
    op.drop_table('claim_attachment')
    op.drop_table('claim')
    op.drop_table('claim_preauthorisation')
