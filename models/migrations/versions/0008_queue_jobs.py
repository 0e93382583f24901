"""queue jobs: where each file sent to the scan queue stands

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 05:45:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "queue_job",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=1000), nullable=True),
        sa.Column("result", sa.String(length=10), nullable=True),
        sa.Column("outcomes", sa.JSON(), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_queue_job")),
    )
    with op.batch_alter_table("queue_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_queue_job_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("queue_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_queue_job_state"))
    op.drop_table("queue_job")
