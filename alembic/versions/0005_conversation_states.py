"""Bot conversation states and report drafts, kept by the backend so they survive a restart.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("channel_user_id", sa.String(64), nullable=False),
        sa.Column("user_data", sa.JSON(), nullable=False),
        sa.Column("conversations", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_states")),
        sa.UniqueConstraint(
            "channel", "channel_user_id", name=op.f("uq_conversation_states_channel")
        ),
    )


def downgrade() -> None:
    op.drop_table("conversation_states")
