"""review queue column and the read lines of each card

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 08:30:00

`card.to_review`: whether the card is in the review queue, set when it is filed or reviewed, so the web app's
count is one indexed count instead of reading every card's JSON. Back-filled here by the rule of
pipeline.book.review (repeated: a migration is a snapshot). `card.lines`: the OCR lines with their boxes on
the stored picture, kept from now on; cards filed before have none, and the review page shows their picture
without boxes.

Only columns and an index are added: no table is rebuilt, so the contact search triggers (0006) are untouched.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVIEW_BELOW = 0.6  # pipeline.book.review.REVIEW_BELOW when this was written
BATCH = 1000


def upgrade() -> None:
    op.add_column("card", sa.Column("to_review", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("card", sa.Column("lines", sa.JSON(), nullable=True))
    op.create_index(op.f("ix_card_to_review"), "card", ["to_review"], unique=False)
    _backfill()


def downgrade() -> None:
    op.drop_index(op.f("ix_card_to_review"), table_name="card")
    with op.batch_alter_table("card", schema=None) as batch_op:
        batch_op.drop_column("lines")
        batch_op.drop_column("to_review")


def _backfill() -> None:
    card = sa.table("card", sa.column("id", sa.Integer), sa.column("review", sa.String),
                    sa.column("contact_id", sa.Integer), sa.column("fields", sa.JSON),
                    sa.column("to_review", sa.Boolean))
    bind = op.get_bind()
    bind.execute(card.update().where(card.c.review == "pending").values(to_review=True))
    last = 0
    while True:
        rows = bind.execute(sa.select(card.c.id, card.c.fields)
                            .where(card.c.review.is_(None), card.c.contact_id.is_not(None), card.c.id > last)
                            .order_by(card.c.id).limit(BATCH)).all()
        if not rows:
            return
        doubtful = [row.id for row in rows if _doubts(row.fields or {})]
        if doubtful:
            bind.execute(card.update().where(card.c.id.in_(doubtful)).values(to_review=True))
        last = rows[-1].id


def _doubts(fields: dict[str, Any]) -> bool:
    low = any(isinstance(v, int | float) and v < REVIEW_BELOW for v in (fields.get("confidence") or {}).values())
    return low or bool(fields.get("guesses"))
