"""The queue, case page and missing-person sheet over HTTP: who sees what, the forms (CSRF,
role refusals, validation kept on the page), and what they change through the staff API."""

import re

from api.web.security import CSRF_COOKIE

SCRIPT = "<script>alert(1)</script>"


def rows_of(html: str) -> list[str]:
    """The references of the queue's rows, in order."""
    return re.findall(r'<td class="ref"><a href="/staff/cases/([^"]+)"', html)


async def assign(api, reference: str, member: dict, to: dict) -> None:
    response = await api.post(
        f"/api/v1/cases/{reference}/assign",
        json={"assignee_id": to["id"]},
        headers=member["headers"],
    )
    assert response.status_code == 200, response.text


async def audit_actions(api, admin: dict, case_reference: str) -> list[tuple[str, dict]]:
    entries = (await api.get("/api/v1/audit?limit=100", headers=admin["headers"])).json()["items"]
    return [(entry["action"], entry["detail"]) for entry in reversed(entries)]


async def test_the_queue_shows_urgent_cases_first_and_filters(
    api, signed_in, staff_login, make_case
):
    question = await make_case("question")
    urgent = await make_case("danger", details={"danger_now": True}, district="belu")
    offer = await make_case("offer")
    supervisor = await signed_in("supervisor")
    await api.get("/staff/language/en")

    page = await api.get("/staff/queue")
    assert page.status_code == 200
    assert rows_of(page.text) == [urgent, offer, question]
    assert f'<tr class="urgent">\n    <td class="ref"><a href="/staff/cases/{urgent}"' in page.text
    assert 'Cases matching these filters: <strong id="queue-total">3</strong>' in page.text
    assert (
        'src="/staff/static/queue.js"' in page.text and 'data-rows="/staff/queue/rows?' in page.text
    )

    assert rows_of((await api.get("/staff/queue?kind=offer&status=all")).text) == [offer]
    assert rows_of((await api.get("/staff/queue?district=belu")).text) == [urgent]
    assert rows_of((await api.get("/staff/queue?q=passport")).text) == [question]
    await assign(api, offer, supervisor, supervisor)
    assert rows_of((await api.get("/staff/queue?assignee=me")).text) == [offer]
    assert rows_of((await api.get("/staff/queue?assignee=none")).text) == [urgent, question]
    assert rows_of((await api.get("/staff/queue?status=closed")).text) == []

    rows = await api.get("/staff/queue/rows?kind=danger&q=")
    assert rows.status_code == 200 and rows.text.startswith(
        '<tbody id="queue-rows" data-total="1">'
    )
    assert rows_of(rows.text) == [urgent] and "<html" not in rows.text


async def test_bad_queue_filters_are_explained_not_failed(api, signed_in):
    await signed_in("agent")
    await api.get("/staff/language/en")
    page = await api.get(
        "/staff/queue?kind=boat&district=atlantis&since=2026-05-02&until=2026-05-01"
    )
    assert page.status_code == 422
    assert "Kind: Choose one of the listed options." in page.text
    assert "Opened until: The first day must not be after the last day." in page.text
    assert (await api.get("/staff/queue?district=atlantis")).status_code == 422
    assert (await api.get("/staff/queue?q=a%00b")).status_code == 422
    assert (await api.get("/staff/queue/rows?page=0")).status_code == 422


async def test_agents_see_unassigned_cases_and_their_own_only(
    api, signed_in, staff_login, make_case
):
    supervisor = await staff_login("supervisor")
    other = await staff_login("agent")
    theirs = await make_case("offer")
    free = await make_case("question")
    await assign(api, theirs, supervisor, other)
    agent = await signed_in("agent")
    await api.get("/staff/language/en")

    assert rows_of((await api.get("/staff/queue")).text) == [free]
    refused = await api.get(f"/staff/cases/{theirs}")
    assert refused.status_code == 403
    assert "This case is assigned to another agent" in refused.text
    assert "Pak Sponsor" not in refused.text
    post = await api.post(
        f"/staff/cases/{theirs}/notes", data={"csrf_token": "test-csrf-token", "text": "mine?"}
    )
    assert post.status_code == 403
    assert (await api.get(f"/staff/cases/{theirs}/photo")).status_code == 403
    admin = await staff_login("admin")
    actions = [action for action, _ in await audit_actions(api, admin, theirs)]
    assert actions.count("case_access_refused") == 3 and "case_note_added" not in actions

    page = await api.get(f"/staff/cases/{free}")
    assert page.status_code == 200
    assert "Take this case" in page.text
    assert f'name="assignee_id" value="{agent["id"]}"' in page.text
    assert "Assign to" not in page.text  # only supervisors and admins pick someone
    assert (await api.get("/staff/cases/NTT-222222")).status_code == 404


async def test_the_case_page_shows_the_report_escaped_and_audits_the_read(
    api, signed_in, staff_login, make_case
):
    reference = await make_case("danger", details={"what_happens": f"Help {SCRIPT} please"})
    await signed_in("supervisor")
    await api.get("/staff/language/en")
    page = await api.get(f"/staff/cases/{reference}")
    assert page.status_code == 200
    assert SCRIPT not in page.text
    assert "Help &lt;script&gt;alert(1)&lt;/script&gt; please" in page.text
    assert "<dt>Country</dt><dd>Malaysia</dd>" in page.text
    assert "Report received" in page.text  # the timeline
    assert "Printable missing-person sheet" not in page.text

    admin = await staff_login("admin")
    reads = [
        detail["part"]
        for action, detail in await audit_actions(api, admin, reference)
        if action == "case_read"
    ]
    assert reads == ["detail", "timeline"]


async def test_a_reply_goes_to_the_outbox_and_the_thread_shows_its_delivery(
    api, signed_in, post_form, make_case
):
    reference = await make_case("question")
    member = await signed_in("agent")
    await api.get("/staff/language/en")

    taken = await post_form(f"/staff/cases/{reference}/assign", assignee_id=str(member["id"]))
    assert taken.status_code == 303
    sent = await post_form(f"/staff/cases/{reference}/messages", text="We are checking PT Maju.")
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/staff/cases/{reference}?done=message#message"
    page = await api.get(sent.headers["location"])
    assert "The message is on its way to the reporter." in page.text
    assert "We are checking PT Maju." in page.text and "waiting to be sent" in page.text
    claimed = (await api.post("/api/v1/outbox/claim", json={"channel": "telegram"})).json()[
        "messages"
    ]
    assert [message["text"].endswith("We are checking PT Maju.") for message in claimed] == [True]
    await api.post(f"/api/v1/outbox/{claimed[0]['id']}/delivered")
    page = await api.get(f"/staff/cases/{reference}")
    assert (
        "waiting to be sent" not in page.text and '<span class="delivery delivered">' in page.text
    )

    noted = await post_form(f"/staff/cases/{reference}/notes", text="Called the agency.")
    assert noted.status_code == 303
    timeline = await api.get(f"/api/v1/cases/{reference}/timeline", headers=member["headers"])
    kinds = [entry["kind"] for entry in timeline.json()["entries"]]
    assert kinds == ["opened", "assigned", "message_to_reporter", "note"]


async def test_refused_changes_are_explained_and_keep_what_was_typed(
    api, signed_in, post_form, make_case
):
    reference = await make_case("offer")
    await signed_in("supervisor")
    await api.get("/staff/language/en")

    empty = await post_form(f"/staff/cases/{reference}/messages", text="   ")
    assert empty.status_code == 422 and "Fill in this field." in empty.text

    unresolved = await post_form(f"/staff/cases/{reference}/close", resolution="")
    assert unresolved.status_code == 422 and "Fill in this field." in unresolved.text

    backwards = await post_form(f"/staff/cases/{reference}/status", to="closed")
    assert backwards.status_code == 422
    assert "closing needs a resolution" in backwards.text

    too_soon = await post_form(f"/staff/cases/{reference}/refer", referral="police")
    assert too_soon.status_code == 409
    assert "The case cannot move to this status from where it is now." in too_soon.text

    assert (await post_form(f"/staff/cases/{reference}/status", to="triaged")).status_code == 303
    unknown = await post_form(f"/staff/cases/{reference}/refer", referral="boat", note="Unit 3")
    assert unknown.status_code == 422 and "Choose one of the listed options." in unknown.text
    assert "Unit 3</textarea>" in unknown.text
    refer = await post_form(f"/staff/cases/{reference}/refer", referral="police", note="Unit 3")
    assert refer.status_code == 303

    bad = await post_form(f"/staff/cases/{reference}/priority", priority="asap")
    assert bad.status_code == 422 and "Choose one of the listed options." in bad.text

    nobody = await post_form(f"/staff/cases/{reference}/assign", assignee_id="999999")
    assert nobody.status_code == 422 and "does not exist or is disabled" in nobody.text

    no_csrf = await api.post(f"/staff/cases/{reference}/notes", data={"text": "hello"})
    assert no_csrf.status_code == 403
    api.cookies.delete(CSRF_COOKIE)
    assert (await post_form(f"/staff/cases/{reference}/notes", text="hi")).status_code == 403


async def test_an_agent_cannot_give_a_case_to_someone_else(
    api, signed_in, staff_login, post_form, make_case
):
    reference = await make_case("offer")
    other = await staff_login("agent")
    await signed_in("agent")
    await api.get("/staff/language/en")
    refused = await post_form(f"/staff/cases/{reference}/assign", assignee_id=str(other["id"]))
    assert refused.status_code == 403
    assert "An agent can only take an unassigned case for themselves." in refused.text
    assert rows_of((await api.get("/staff/queue?assignee=none")).text) == [reference]


async def test_a_supervisor_works_a_case_to_its_close_and_reopens_it(
    api, signed_in, staff_login, post_form, make_case
):
    reference = await make_case("danger")
    agent = await staff_login("agent")
    await signed_in("supervisor")
    await api.get("/staff/language/en")
    steps = [
        ("assign", {"assignee_id": str(agent["id"])}),
        ("status", {"to": "in_progress"}),
        ("priority", {"priority": "urgent"}),
        ("refer", {"referral": "ppa_unit", "note": "Ibu Maria at the PPA unit"}),
        ("close", {"resolution": "She is back home in Kupang."}),
    ]
    for action, fields in steps:
        done = await post_form(f"/staff/cases/{reference}/{action}", **fields)
        assert done.status_code == 303, (action, done.text)
    page = await api.get(f"/staff/cases/{reference}")
    assert "She is back home in Kupang." in page.text and "Reason for reopening" in page.text
    assert "Close the case" not in page.text and "Change status to" not in page.text
    reopened = await post_form(f"/staff/cases/{reference}/reopen", reason="She left again.")
    assert reopened.status_code == 303
    case = await api.get(f"/api/v1/cases/{reference}", headers=agent["headers"])
    assert case.json()["status"] == "in_progress"
    assert case.json()["assignee"]["id"] == agent["id"]


async def test_the_missing_person_sheet(api, signed_in, make_case, staff_login):
    reference = await make_case("missing")
    offer = await make_case("offer")
    await signed_in("agent")
    await api.get("/staff/language/en")
    sheet = await api.get(f"/staff/cases/{reference}/sheet")
    assert sheet.status_code == 200
    text = sheet.text
    assert "MISSING PERSON" in text and "Maria Nenobais" in text and reference in text
    assert "Timor Tengah Selatan" in text and "Johor Bahru" in text
    assert "https://indonesia.iom.int" in text and "110" in text  # verified contacts
    assert "Yohanes Nenobais" not in text and "+6281234567890" not in text  # the reporter's
    assert 'src="/staff/static/print.js"' in text
    assert (await api.get(f"/staff/cases/{offer}/sheet")).status_code == 404
    assert (await api.get(f"/staff/cases/{reference}/photo")).status_code == 404
    case_page = await api.get(f"/staff/cases/{reference}")
    assert f'href="/staff/cases/{reference}/sheet"' in case_page.text


async def test_in_indonesian_the_missing_persons_age_is_umur_and_languages_have_names(
    api, signed_in, make_case
):
    reference = await make_case("missing")
    await signed_in("supervisor")
    await api.get("/staff/language/id")
    page = (await api.get(f"/staff/cases/{reference}")).text
    assert "<dt>Umur</dt>" in page and "Umur kasus</dt>" not in page  # the person's age
    assert "<dd>Bahasa Indonesia</dd>" in page  # the reporter's language, not "id"
    sheet = (await api.get(f"/staff/cases/{reference}/sheet")).text
    assert "Umur kasus" not in sheet
    queue = (await api.get("/staff/queue")).text
    assert "<th>Umur kasus</th>" in queue  # how long the case has waited
