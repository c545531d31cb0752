"""The statistics page tells supervisors what the next retention run will erase."""

import re
from datetime import timedelta

from sqlalchemy import update

from api.conversations.models import ConversationState
from api.db import utcnow


def retention_rows(html: str) -> list[list[str]]:
    part = re.search(r'<section class="card" id="retention">(.*?)</section>', html, re.S)
    assert part, "no retention section"
    rows = re.findall(r"<tr>(.*?)</tr>", part.group(1), re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]


async def test_the_page_counts_what_the_next_run_erases(api, signed_in, make_case):
    now = utcnow()
    for days in (400, 500, 30):
        await make_case(columns={"status": "closed", "closed_at": now - timedelta(days=days)})
    for user_id in ("101", "102"):
        body = {"user_data": {"report": {"name": "Maria"}}}
        await api.put(f"/api/v1/conversations/telegram/{user_id}", json=body)
    async with api._transport.app.state.sessionmaker() as session:
        await session.execute(
            update(ConversationState)
            .where(ConversationState.channel_user_id == "101")
            .values(updated_at=now - timedelta(days=8))
        )
        await session.commit()
    await signed_in("supervisor")

    page = await api.get("/staff/stats")  # the dashboard speaks Indonesian unless asked

    assert page.status_code == 200
    assert retention_rows(page.text) == [
        ["Data pribadi kasus yang ditutup lebih dari 12 bulan lalu", "2"],
        ["Isi pesan yang terkirim lebih dari 30 hari lalu", "0"],
        ["Laporan yang belum selesai dan tidak disentuh selama 7 hari", "1"],
        ["Foto yang tidak dipakai laporan, lebih lama dari 24 jam", "0"],
    ]
