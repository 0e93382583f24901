"""The declarative base, with constraint names fixed so Alembic migrations are portable."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Search indexes the migrations make with SQL of their own (0006): not in the models, so autogenerate must not
# offer to drop them. The FTS5 table's shadow tables share its name as prefix.
SEARCH_INDEX_NAMES = ("contact_search", "ix_contact_search_text_trgm")


def is_search_index(name: str | None, type_: str, _parent: object = None) -> bool:
    return type_ in ("table", "index") and bool(name) and any(
        name == n or name.startswith(n + "_") for n in SEARCH_INDEX_NAMES)  # type: ignore[union-attr]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)
