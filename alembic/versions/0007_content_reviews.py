"""Reviews of topic translations by native speakers, recorded from the dashboard.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import sqlalchemy as sa

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_slug", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["staff.id"],
            name=op.f("fk_content_reviews_reviewer_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_reviews")),
        sa.UniqueConstraint(
            "topic_slug",
            "language",
            "text_sha256",
            name=op.f("uq_content_reviews_topic_slug"),
        ),
    )


def downgrade() -> None:
    op.drop_table("content_reviews")
