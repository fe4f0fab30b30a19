"""stock bin: where a part sits in a stock location (shelf or bin code)

Revision ID: b7e4d2a91c35
Revises: c0a7e5b19d42
Create Date: 2026-11-24 14:10:00

"""
from alembic import op
import sqlalchemy as sa

revision = "b7e4d2a91c35"
down_revision = "c0a7e5b19d42"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("stock_balance") as batch_op:
        batch_op.add_column(sa.Column("bin", sa.String(length=30), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("stock_balance") as batch_op:
        batch_op.drop_column("bin")
