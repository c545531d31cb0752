"""Outbox buttons as neutral actions: {"label", "action", "case"} instead of Telegram's
{"text", "callback_data": "reply:<reference>"}, so any channel's adapter can encode them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("buttons", sa.JSON))


def _convert(rows: list, to_actions: bool) -> list:
    converted = []
    for row in rows:
        line = []
        for button in row:
            if to_actions and "callback_data" in button:
                reference = str(button["callback_data"]).removeprefix("reply:")
                line.append({"label": button["text"], "action": "reply_to_case", "case": reference})
            elif not to_actions and "action" in button:
                line.append({"text": button["label"], "callback_data": f"reply:{button['case']}"})
            else:
                line.append(button)
        converted.append(line)
    return converted


def _rewrite(to_actions: bool) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(outbox.c.id, outbox.c.buttons).where(outbox.c.buttons.is_not(None))
    ).all()
    for message_id, buttons in rows:
        if buttons:
            connection.execute(
                outbox.update()
                .where(outbox.c.id == message_id)
                .values(buttons=_convert(buttons, to_actions))
            )


def upgrade() -> None:
    _rewrite(to_actions=True)


def downgrade() -> None:
    _rewrite(to_actions=False)
