"""held phones and e-mails, indexed for matching

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 14:30:00

`held_key`: the phones, e-mails and company a card holds for review (read with doubt, not in its contact), so that
a second photo of the same card finds the contact by them (pipeline.book.dedupe) while they stay out of it.
Back-filled from the cards still in the review queue, whose JSON lists what they hold (the rule of
pipeline.book.review, repeated: a migration is a snapshot).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from pipeline.extract.namekeys import organization_key

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "held_key",
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(["card_id"], ["card.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("card_id", "kind", "value"),
    )
    op.create_index(op.f("ix_held_key_value"), "held_key", ["value"], unique=False)
    _backfill()


def downgrade() -> None:
    op.drop_index(op.f("ix_held_key_value"), table_name="held_key")
    op.drop_table("held_key")


def _backfill() -> None:
    card = sa.table(
        "card", sa.column("id", sa.Integer), sa.column("fields", sa.JSON), sa.column("to_review", sa.Boolean)
    )
    held_key = sa.table(
        "held_key", sa.column("card_id", sa.Integer), sa.column("kind", sa.String), sa.column("value", sa.String)
    )
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(card.c.id, card.c.fields)
            .where(card.c.to_review.is_(True), card.c.id > last)
            .order_by(card.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        keys = [
            {"card_id": row.id, "kind": kind, "value": value}
            for row in rows
            for kind, value in _held_keys(row.fields or {})
        ]
        if keys:
            bind.execute(held_key.insert(), keys)
        last = rows[-1].id


def _held_keys(fields: dict[str, Any]) -> set[tuple[str, str]]:
    held = set(fields.get("held") or [])
    phones = {
        ("phone", p["number"])
        for p in fields.get("phones") or []
        if "phones" in held and isinstance(p, dict) and p.get("number")
    }
    emails = {("email", e) for e in fields.get("emails") or [] if "emails" in held and isinstance(e, str) and e}
    company = fields.get("company") if "company" in held else None
    orgs = {("org", organization_key(company))} if isinstance(company, str) and organization_key(company) else set()
    return {(kind, value) for kind, value in phones | emails | orgs if len(value) <= 320}
