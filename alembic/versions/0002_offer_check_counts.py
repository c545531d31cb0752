"""Daily counts of offer checks (by language and risk) and of red flags (by language).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offer_check_days",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("risk", sa.String(8), nullable=False),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_check_days")),
        sa.UniqueConstraint("day", "language", "risk", name=op.f("uq_offer_check_days_day")),
    )
    op.create_index(op.f("ix_offer_check_days_day"), "offer_check_days", ["day"])
    op.create_table(
        "offer_flag_days",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("flag", sa.String(40), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_flag_days")),
        sa.UniqueConstraint("day", "language", "flag", name=op.f("uq_offer_flag_days_day")),
    )
    op.create_index(op.f("ix_offer_flag_days_day"), "offer_flag_days", ["day"])


def downgrade() -> None:
    op.drop_index(op.f("ix_offer_flag_days_day"), table_name="offer_flag_days")
    op.drop_table("offer_flag_days")
    op.drop_index(op.f("ix_offer_check_days_day"), table_name="offer_check_days")
    op.drop_table("offer_check_days")
