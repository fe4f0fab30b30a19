"""complaints and early warnings

Revision ID: c0a7e5b19d42
Revises: 5e0c2a9b7d41
Create Date: 2026-11-24 12:30:00

"""
from alembic import op
import sqlalchemy as sa

import portal.db  # custom column types (UTC timestamps)

revision = "c0a7e5b19d42"
down_revision = "5e0c2a9b7d41"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("models_text", sa.String(length=400), nullable=False),
        sa.Column("serials_text", sa.Text(), nullable=False),
        sa.Column("batches_text", sa.String(length=400), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("fault_cause", sa.String(length=40), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("due_at", portal.db.UTC(timezone=True), nullable=False),
        sa.Column("emergency_fix", sa.Text(), nullable=False),
        sa.Column("root_cause", sa.Text(), nullable=False),
        sa.Column("improvement_plan", sa.Text(), nullable=False),
        sa.Column("responsibility", sa.String(length=10), nullable=True),
        sa.Column("department", sa.String(length=20), nullable=True),
        sa.Column("escalated_to", sa.String(length=10), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("escalation_due", sa.Date(), nullable=True),
        sa.Column("compensation_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("compensation_currency", sa.String(length=3), nullable=True),
        sa.Column("compensation_agreed_on", sa.Date(), nullable=True),
        sa.Column("resolved_at", portal.db.UTC(timezone=True), nullable=True),
        sa.Column("closed_at", portal.db.UTC(timezone=True), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("follow_up_note", sa.Text(), nullable=False),
        sa.Column("reopened_count", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.db.UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["user_account.id"], name=op.f("fk_complaint_assignee_id_user_account")),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"], name=op.f("fk_complaint_batch_id_batch")),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], name=op.f("fk_complaint_client_id_client")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_complaint_created_by_id_user_account")),
        sa.ForeignKeyConstraint(["model_id"], ["product_model.id"], name=op.f("fk_complaint_model_id_product_model")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_client_compensation", ["client_id", "compensation_agreed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_client_id"), ["client_id"], unique=False)
        batch_op.create_index("ix_complaint_client_opened", ["client_id", "opened_on"], unique=False)
        batch_op.create_index("ix_complaint_client_status", ["client_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_model_id"), ["model_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_status"), ["status"], unique=False)

    op.create_table(
        "early_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("fault_cause", sa.String(length=40), nullable=True),
        sa.Column("window_count", sa.Integer(), nullable=False),
        sa.Column("baseline_count", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Numeric(precision=10, scale=3), nullable=False),
        sa.Column("p_value", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("detected_at", portal.db.UTC(timezone=True), nullable=False),
        sa.Column("acknowledged_at", portal.db.UTC(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("action_note", sa.Text(), nullable=False),
        sa.Column("closed_at", portal.db.UTC(timezone=True), nullable=True),
        sa.Column("created_at", portal.db.UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["acknowledged_by_id"], ["user_account.id"],
                                name=op.f("fk_early_warning_acknowledged_by_id_user_account")),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"], name=op.f("fk_early_warning_batch_id_batch")),
        sa.ForeignKeyConstraint(["model_id"], ["product_model.id"],
                                name=op.f("fk_early_warning_model_id_product_model")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_early_warning")),
    )
    with op.batch_alter_table("early_warning", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_early_warning_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index("ix_early_warning_key_status", ["key", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_early_warning_model_id"), ["model_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_early_warning_status"), ["status"], unique=False)


def downgrade():
    with op.batch_alter_table("early_warning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_early_warning_status"))
        batch_op.drop_index(batch_op.f("ix_early_warning_model_id"))
        batch_op.drop_index("ix_early_warning_key_status")
        batch_op.drop_index(batch_op.f("ix_early_warning_batch_id"))
    op.drop_table("early_warning")
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        for name in ("ix_complaint_status", "ix_complaint_model_id", "ix_complaint_due_at", "ix_complaint_closed_at",
                     "ix_complaint_client_status", "ix_complaint_client_opened", "ix_complaint_client_id",
                     "ix_complaint_batch_id", "ix_complaint_client_compensation"):
            batch_op.drop_index(name)
    op.drop_table("complaint")
