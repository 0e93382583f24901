"""photos of a card waiting on one same-person question

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 17:40:00

`card.waits_on_id`: a second photo of a card that waits on a same-person question joins that question (the card
that asks it) instead of asking another; the answer files both. A card waiting on a question holds everything it
read (it is in no contact yet), so its phones, e-mails and company are indexed in `held_key` for the next photo to
find it: back-filled here for the cards waiting now (the rule of pipeline.book.review, repeated: a migration is a
snapshot).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from pipeline.extract.namekeys import organization_key

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("card", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waits_on_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_card_waits_on_id"), ["waits_on_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_card_waits_on_id_card"), "card", ["waits_on_id"], ["id"],
                                    ondelete="SET NULL")
    _backfill()


def downgrade() -> None:
    with op.batch_alter_table("card", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_card_waits_on_id_card"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_card_waits_on_id"))
        batch_op.drop_column("waits_on_id")


def _backfill() -> None:
    card = sa.table("card", sa.column("id", sa.Integer), sa.column("fields", sa.JSON), sa.column("review", sa.String))
    held_key = sa.table(
        "held_key", sa.column("card_id", sa.Integer), sa.column("kind", sa.String), sa.column("value", sa.String)
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(card.c.id, card.c.fields).where(card.c.review == "pending")).all():
        have = {(k, v) for k, v in bind.execute(
            sa.select(held_key.c.kind, held_key.c.value).where(held_key.c.card_id == row.id)).all()}
        keys = [{"card_id": row.id, "kind": kind, "value": value} for kind, value in
                sorted(_keys(row.fields or {}) - have)]
        if keys:
            bind.execute(held_key.insert(), keys)


def _keys(fields: dict[str, Any]) -> set[tuple[str, str]]:
    phones = {("phone", p["number"]) for p in fields.get("phones") or [] if isinstance(p, dict) and p.get("number")}
    emails = {("email", e) for e in fields.get("emails") or [] if isinstance(e, str) and e}
    company = fields.get("company")
    orgs = {("org", organization_key(company))} if isinstance(company, str) and organization_key(company) else set()
    return {(kind, value) for kind, value in phones | emails | orgs if len(value) <= 320}
