"""search text, jobs in both languages, ids never reused, absolute card paths

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 05:40:00

"""

import json
import warnings
from collections import defaultdict
from collections.abc import Sequence
from pathlib import PurePath

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    # recreate="always" rebuilds the SQLite table with AUTOINCREMENT (it cannot be added in place); copying the
    # rows with their ids sets the sequence to the highest id kept. PostgreSQL sequences never reuse ids.
    with op.batch_alter_table("contact", schema=None, recreate="always" if _sqlite() else "auto",
                              table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alt_title", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("alt_company", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("ended_by_hand", sa.Boolean(), nullable=False, server_default=sa.false()))
    _fill_search_text()
    _warn_relative_paths()


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_column("ended_by_hand")
        batch_op.drop_column("alt_company")
        batch_op.drop_column("alt_title")
    with op.batch_alter_table("contact", schema=None, recreate="always" if _sqlite() else "auto",
                              table_kwargs={"sqlite_autoincrement": False}) as batch_op:
        batch_op.drop_column("search_text")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _fill_search_text() -> None:
    from pipeline.extract.searchtext import search_text

    bind = op.get_bind()
    texts: dict[int, list[str | None]] = defaultdict(list)
    phones: dict[int, list[str]] = defaultdict(list)
    rows = bind.execute(sa.text("SELECT id, display_name, given_name, middle_name, family_name, notes, met_at, "
                                "interests FROM contact"))
    for cid, *names, notes, met_at, interests in rows:
        if isinstance(interests, str):  # SQLite hands JSON back as text here
            interests = json.loads(interests)
        texts[cid] += [*names, notes, met_at, *(interests or [])]
    for table, column in (("alias", "name"), ("email", "address"), ("website", "url"), ("social", "url"),
                          ("address", "text")):
        for cid, value in bind.execute(sa.text(f"SELECT contact_id, {column} FROM {table}")):
            texts[cid].append(value)
    for cid, title, department, company in bind.execute(sa.text(
            "SELECT p.contact_id, p.title, p.department, o.name FROM position p "
            "LEFT JOIN organization o ON o.id = p.organization_id")):
        texts[cid] += [title, department, company]
    for cid, e164 in bind.execute(sa.text("SELECT contact_id, e164 FROM phone")):
        phones[cid].append(e164)
    contact = sa.table("contact", sa.column("id"), sa.column("search_text"))
    for cid in texts:
        bind.execute(contact.update().where(contact.c.id == cid)
                     .values(search_text=search_text(texts[cid], phones[cid])))


def _warn_relative_paths() -> None:
    """Cards were filed under the path as typed, relative to wherever the command ran: that folder is not
    known, so such a path cannot be made whole here. `contacts delete --with-files` leaves those files alone."""
    paths = [p for (p,) in op.get_bind().execute(sa.text("SELECT DISTINCT source_path FROM card"))]
    relative = [p for p in paths if p and not PurePath(p).is_absolute()]
    if relative:
        warnings.warn(f"{len(relative)} card file path(s) were stored relative to the folder a scan ran in "
                      f"(e.g. {relative[0]!r}); that folder is unknown, so they stay as they are and "
                      "`contacts delete --with-files` will not delete those files", stacklevel=1)
