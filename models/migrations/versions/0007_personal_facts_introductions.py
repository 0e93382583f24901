"""personal facts and introductions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 06:05:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("contact", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("family_status", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("spouse", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("children", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("hobbies", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("facts", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("introduced_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_contact_introduced_by_id_contact"), "contact",
                                    ["introduced_by_id"], ["id"], ondelete="SET NULL")
    _search_triggers_again()


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("contact", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_contact_introduced_by_id_contact"), type_="foreignkey")
        for column in ("introduced_by_id", "facts", "hobbies", "children", "spouse", "family_status"):
            batch_op.drop_column(column)
    _search_triggers_again()


# As in 0006: a migration is a snapshot, so the statements are repeated here rather than imported.
TRIGGERS = {
    "contact_search_insert": "CREATE TRIGGER contact_search_insert AFTER INSERT ON contact BEGIN "
    "INSERT INTO contact_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "contact_search_delete": "CREATE TRIGGER contact_search_delete AFTER DELETE ON contact BEGIN "
    "INSERT INTO contact_search(contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "contact_search_update": "CREATE TRIGGER contact_search_update AFTER UPDATE OF search_text ON contact BEGIN "
    "INSERT INTO contact_search(contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO contact_search(rowid, search_text) VALUES (new.id, new.search_text); END",
}


def _search_triggers_again() -> None:
    """SQLite rebuilt the contact table (a new foreign key), which drops its triggers: the search index (0006)
    must be kept up to date again, and rebuilt from the copied rows."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, statement in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(statement)
    op.execute("INSERT INTO contact_search(contact_search) VALUES ('rebuild')")
