"""statement files: the stored PDF and XLSX of issued settlements

Revision ID: 87462ace5984
Revises: 97a765ff7bf0
Create Date: 2026-11-24 12:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.db  # custom column types (UTC timestamps)

revision = "87462ace5984"
down_revision = "97a765ff7bf0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "statement_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=12), nullable=False),
        sa.Column("rendered_at", portal.db.UTC(timezone=True), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], name=op.f("fk_statement_file_client_id_client")),
        sa.ForeignKeyConstraint(["settlement_id"], ["settlement.id"],
                                name=op.f("fk_statement_file_settlement_id_settlement")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_file")),
        sa.UniqueConstraint("settlement_id", "kind", name=op.f("uq_statement_file_settlement_id_kind")),
    )
    with op.batch_alter_table("statement_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_file_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_statement_file_settlement_id"), ["settlement_id"], unique=False)


def downgrade():
    with op.batch_alter_table("statement_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_file_settlement_id"))
        batch_op.drop_index(batch_op.f("ix_statement_file_client_id"))
    op.drop_table("statement_file")
