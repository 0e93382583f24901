"""an index for contact search: SQLite FTS5 trigrams, PostgreSQL pg_trgm

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 05:45:00

A search for a word anywhere in the search text (LIKE '%word%') reads every row; at 100k contacts that is
too slow. Both indexes answer substring queries of three characters or more from trigrams. Neither is part
of the models (SQLAlchemy has no type for them): models.base.SEARCH_INDEX_NAMES keeps autogenerate away.
A later migration that rebuilds the contact table on SQLite must create the triggers below again.
"""

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE = (
    # External content: the index holds trigrams and row ids only; the text stays in contact.search_text.
    "CREATE VIRTUAL TABLE contact_search USING fts5(search_text, content='contact', content_rowid='id', "
    "tokenize='trigram')",
    "CREATE TRIGGER contact_search_insert AFTER INSERT ON contact BEGIN "
    "INSERT INTO contact_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER contact_search_delete AFTER DELETE ON contact BEGIN "
    "INSERT INTO contact_search(contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER contact_search_update AFTER UPDATE OF search_text ON contact BEGIN "
    "INSERT INTO contact_search(contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO contact_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO contact_search(contact_search) VALUES ('rebuild')",
)


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        schema = _trigram_schema()
        if schema is None:
            warnings.warn("PostgreSQL extension pg_trgm is not available to this user: contact search works, "
                          "but reads every contact (ask the administrator to CREATE EXTENSION pg_trgm)",
                          stacklevel=1)
            return
        op.execute("CREATE INDEX ix_contact_search_text_trgm ON contact "
                   f'USING gin (search_text "{schema}".gin_trgm_ops)')


def downgrade() -> None:
    """Downgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS contact_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS contact_search")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_contact_search_text_trgm")


def _trigram_schema() -> str | None:
    """The schema pg_trgm lives in, installing it when this user may (it is a trusted extension since
    PostgreSQL 13): into public, so that one database's many schemas share it."""
    bind = op.get_bind()
    query = sa.text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                    "WHERE e.extname = 'pg_trgm'")
    schema = bind.execute(query).scalar()
    if schema is None:
        try:
            with bind.begin_nested():
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
        except sa.exc.DBAPIError:
            return None
        schema = bind.execute(query).scalar()
    return schema
