"""The registry of licensed placement companies (P3MI), imported from the official export.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("normalized_name", sa.String(200), nullable=False),
        sa.Column("licence_number", sa.String(100), nullable=True),
        sa.Column("licence_key", sa.String(100), nullable=True),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source_date", sa.Date(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("licence_key", name=op.f("uq_agencies_licence_key")),
    )
    op.create_index(
        op.f("ix_agencies_normalized_name"), "agencies", ["normalized_name"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_agencies_normalized_name"), table_name="agencies")
    op.drop_table("agencies")
