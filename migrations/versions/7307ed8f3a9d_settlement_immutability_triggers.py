"""settlement immutability triggers

The database itself refuses to change an issued document: UPDATE and DELETE of a
`settlement` row whose status is 'issued', and INSERT, UPDATE and DELETE of `settlement_line`
rows of an issued settlement (PostgreSQL also refuses TRUNCATE while an issued document
exists). Drafts stay free to change; issuing itself (draft -> issued) is one UPDATE of a
draft row, which is allowed.

SQLite caveat: a later migration that alters `settlement` or `settlement_line` in batch mode
(render_as_batch copies and renames the table) drops these triggers with the old table: it
must create them again (SQLITE_TRIGGERS below).

Revision ID: 7307ed8f3a9d
Revises: 86d88d878907
Create Date: 2026-11-24 11:30:00

"""
from alembic import op

revision = "7307ed8f3a9d"
down_revision = "86d88d878907"
branch_labels = None
depends_on = None

MESSAGE = "issued documents are immutable"

_ISSUED = "(SELECT status FROM settlement WHERE id = {ref}.settlement_id) = 'issued'"
_RAISE = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"

SQLITE_TRIGGERS = {
    "settlement_issued_no_update":
        f"CREATE TRIGGER settlement_issued_no_update BEFORE UPDATE ON settlement "
        f"WHEN OLD.status = 'issued' {_RAISE}",
    "settlement_issued_no_delete":
        f"CREATE TRIGGER settlement_issued_no_delete BEFORE DELETE ON settlement "
        f"WHEN OLD.status = 'issued' {_RAISE}",
    "settlement_line_issued_no_insert":
        f"CREATE TRIGGER settlement_line_issued_no_insert BEFORE INSERT ON settlement_line "
        f"WHEN {_ISSUED.format(ref='NEW')} {_RAISE}",
    "settlement_line_issued_no_update":
        f"CREATE TRIGGER settlement_line_issued_no_update BEFORE UPDATE ON settlement_line "
        f"WHEN {_ISSUED.format(ref='OLD')} OR {_ISSUED.format(ref='NEW')} {_RAISE}",
    "settlement_line_issued_no_delete":
        f"CREATE TRIGGER settlement_line_issued_no_delete BEFORE DELETE ON settlement_line "
        f"WHEN {_ISSUED.format(ref='OLD')} {_RAISE}",
}

POSTGRESQL_UPGRADE = [
    f"""
    CREATE FUNCTION settlement_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation',
            DETAIL = 'settlement ' || OLD.id || ' (' || COALESCE(OLD.number, '') || ') is issued';
    END $$
    """,
    """
    CREATE TRIGGER settlement_issued_immutable BEFORE UPDATE OR DELETE ON settlement
        FOR EACH ROW WHEN (OLD.status = 'issued') EXECUTE FUNCTION settlement_refuse_change()
    """,
    f"""
    CREATE FUNCTION settlement_line_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
                SELECT 1 FROM settlement WHERE id = OLD.settlement_id AND status = 'issued'))
           OR (TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
                SELECT 1 FROM settlement WHERE id = NEW.settlement_id AND status = 'issued')) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER settlement_line_issued_immutable BEFORE INSERT OR UPDATE OR DELETE ON settlement_line
        FOR EACH ROW EXECUTE FUNCTION settlement_line_refuse_change()
    """,
    f"""
    CREATE FUNCTION settlement_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM settlement WHERE status = 'issued') THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER settlement_no_truncate BEFORE TRUNCATE ON settlement
        FOR EACH STATEMENT EXECUTE FUNCTION settlement_refuse_truncate()
    """,
    """
    CREATE TRIGGER settlement_line_no_truncate BEFORE TRUNCATE ON settlement_line
        FOR EACH STATEMENT EXECUTE FUNCTION settlement_refuse_truncate()
    """,
]

POSTGRESQL_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS settlement_line_no_truncate ON settlement_line",
    "DROP TRIGGER IF EXISTS settlement_no_truncate ON settlement",
    "DROP TRIGGER IF EXISTS settlement_line_issued_immutable ON settlement_line",
    "DROP TRIGGER IF EXISTS settlement_issued_immutable ON settlement",
    "DROP FUNCTION IF EXISTS settlement_refuse_truncate()",
    "DROP FUNCTION IF EXISTS settlement_line_refuse_change()",
    "DROP FUNCTION IF EXISTS settlement_refuse_change()",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for statement in POSTGRESQL_UPGRADE:
            op.execute(statement)
    elif dialect == "sqlite":
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
    else:
        raise NotImplementedError(f"no immutability triggers for {dialect}")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for statement in POSTGRESQL_DOWNGRADE:
            op.execute(statement)
    elif dialect == "sqlite":
        for name in reversed(list(SQLITE_TRIGGERS)):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
