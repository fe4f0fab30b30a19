from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.extensions import db as _db


def test_models_and_migrations_agree(app, db):
    """The schema the migrations built is the schema the models describe."""
    context = MigrationContext.configure(db.session.connection(), opts={"compare_type": True})
    diff = compare_metadata(context, _db.metadata)
    assert diff == []


def test_constraint_names_follow_the_convention(db):
    inspector = inspect(db.session.connection())
    names = [fk["name"] for table in inspector.get_table_names() for fk in inspector.get_foreign_keys(table)]
    assert names and all(name and name.startswith("fk_") for name in names)
