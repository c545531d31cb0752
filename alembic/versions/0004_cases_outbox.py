"""Cases (reports) with their kind-specific details, timeline and messages; the outbox.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

QUEUE_FILTERS = ("status", "kind", "priority", "district", "assignee_id")


def _case_id(table: str) -> list:
    """The primary key of a details table: its case."""
    return [
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f(f"fk_{table}_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(10), nullable=False),
        sa.Column("submission_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("district", sa.String(32), nullable=True),
        sa.Column("destination_country", sa.String(2), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("referral", sa.String(24), nullable=True),
        sa.Column("referral_note", sa.Text(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("has_news", sa.Boolean(), nullable=False),
        sa.Column("last_reporter_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["reporters.id"],
            name=op.f("fk_cases_reporter_id_reporters"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["staff.id"],
            name=op.f("fk_cases_assignee_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_cases_submission_id")),
    )
    op.create_index(op.f("ix_cases_created_at"), "cases", ["created_at"])
    op.create_index(op.f("ix_cases_reporter_id"), "cases", ["reporter_id"])
    for column in QUEUE_FILTERS:
        op.create_index(f"ix_cases_{column}_created_at", "cases", [column, "created_at"])

    op.create_table(
        "offer_reports",
        *_case_id("offer_reports"),
        sa.Column("offer_text", sa.Text(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("seen_where", sa.String(16), nullable=True),
        sa.Column("recruiter_name", sa.String(120), nullable=True),
        sa.Column("recruiter_phone", sa.String(20), nullable=True),
        sa.Column("village", sa.String(120), nullable=True),
    )
    op.create_table(
        "danger_reports",
        *_case_id("danger_reports"),
        sa.Column("what_happens", sa.Text(), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("city", sa.String(120), nullable=True),
        sa.Column("employer", sa.String(200), nullable=True),
        sa.Column("since_when", sa.String(120), nullable=True),
        sa.Column("danger_now", sa.Boolean(), nullable=False),
        sa.Column("contact", sa.String(200), nullable=True),
    )
    op.create_table(
        "missing_reports",
        *_case_id("missing_reports"),
        sa.Column("name", sa.String(120), nullable=True),
        sa.Column("sex", sa.String(8), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("home_district", sa.String(32), nullable=True),
        sa.Column("village", sa.String(120), nullable=True),
        sa.Column("destination_country", sa.String(2), nullable=True),
        sa.Column("destination_city", sa.String(120), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("last_contact_on", sa.Date(), nullable=True),
        sa.Column("recruiter", sa.String(200), nullable=True),
        sa.Column("employer", sa.String(200), nullable=True),
        sa.Column("passport_number", sa.String(16), nullable=True),
        sa.Column("photo_key", sa.String(64), nullable=True),
        sa.Column("reporter_name", sa.String(120), nullable=True),
        sa.Column("reporter_relationship", sa.String(16), nullable=True),
        sa.Column("reporter_phone", sa.String(20), nullable=True),
    )
    op.create_table(
        "question_reports",
        *_case_id("question_reports"),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("topic", sa.String(64), nullable=True),
    )

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("actor_staff_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("audience", sa.String(8), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["actor_staff_id"],
            ["staff.id"],
            name=op.f("fk_case_events_actor_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    op.create_index(op.f("ix_case_events_case_id"), "case_events", ["case_id"])

    op.create_table(
        "case_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivery_status", sa.String(16), nullable=True),
        sa.Column("channel_message_key", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_messages_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_case_messages_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_messages")),
        sa.UniqueConstraint(
            "case_id", "channel_message_key", name=op.f("uq_case_messages_case_id")
        ),
    )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=True),
        sa.Column("purpose", sa.String(24), nullable=False),
        sa.Column("case_message_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("leased_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_message_id"],
            ["case_messages.id"],
            name=op.f("fk_outbox_case_message_id_case_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("case_messages")
    op.drop_table("case_events")
    for table in ("question_reports", "missing_reports", "danger_reports", "offer_reports"):
        op.drop_table(table)
    op.drop_table("cases")
