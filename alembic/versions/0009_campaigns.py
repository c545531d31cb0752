"""Campaigns to subscribers: subscriptions on reporters, campaigns, campaign rows in the outbox.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

import sqlalchemy as sa

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reporters") as batch:
        batch.add_column(sa.Column("subscribed_district", sa.String(32), nullable=True))
        batch.add_column(sa.Column("subscribed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("news_offered_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("districts", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("queued_through", sa.Integer(), nullable=False),
        sa.Column("all_queued", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff.id"],
            name=op.f("fk_campaigns_created_by_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    op.create_index(op.f("ix_campaigns_status"), "campaigns", ["status"])

    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("campaign_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reporter_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_outbox_campaign_id_campaigns"),
            "campaigns",
            ["campaign_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_foreign_key(
            op.f("fk_outbox_reporter_id_reporters"),
            "reporters",
            ["reporter_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_unique_constraint(
            op.f("uq_outbox_campaign_id"), ["campaign_id", "reporter_id"]
        )
        batch.create_index("ix_outbox_campaign_id_status", ["campaign_id", "status"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_campaign_id_status")
        batch.drop_constraint(op.f("uq_outbox_campaign_id"), type_="unique")
        batch.drop_constraint(op.f("fk_outbox_reporter_id_reporters"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_outbox_campaign_id_campaigns"), type_="foreignkey")
        batch.drop_column("reporter_id")
        batch.drop_column("campaign_id")
    op.drop_index(op.f("ix_campaigns_status"), table_name="campaigns")
    op.drop_table("campaigns")
    with op.batch_alter_table("reporters") as batch:
        batch.drop_column("news_offered_at")
        batch.drop_column("blocked_at")
        batch.drop_column("subscribed_at")
        batch.drop_column("subscribed_district")
