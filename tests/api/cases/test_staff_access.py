"""Who may call the staff case routes and the statistics: staff tokens only, agents on the
unassigned cases and their own, refusals audited."""

CASES = "/api/v1/cases"
ON_A_CASE = [  # (method, path after /api/v1/cases/{reference}, body)
    ("GET", "", None),
    ("GET", "/photo", None),
    ("GET", "/timeline", None),
    ("POST", "/assign", {"assignee_id": None}),
    ("POST", "/status", {"to": "triaged"}),
    ("POST", "/refer", {"referral": "police"}),
    ("POST", "/priority", {"priority": "high"}),
    ("POST", "/notes", {"text": "checked the recruiter"}),
    ("POST", "/messages", {"text": "We are looking into it."}),
]
NOT_ON_A_CASE = [
    ("GET", CASES, None),
    ("GET", f"{CASES}/export.csv", None),
    ("GET", "/api/v1/stats", None),
]


def every_route(reference: str) -> list[tuple[str, str, dict | None]]:
    on_case = [(method, f"{CASES}/{reference}{suffix}", body) for method, suffix, body in ON_A_CASE]
    return NOT_ON_A_CASE + on_case


async def test_every_staff_route_needs_a_staff_token(api, make_case):
    reference = await make_case("missing")
    for method, path, body in every_route(reference):
        without = await api.request(method, path, json=body, headers={"Authorization": ""})
        assert (without.status_code, without.json()["detail"]) == (
            401,
            "staff token required",
        ), path
        service = await api.request(method, path, json=body)  # the client's service token
        assert (service.status_code, service.json()["detail"]) == (
            401,
            "staff token required",
        ), path


async def test_bot_routes_refuse_staff_tokens(api, staff_login, make_case, report):
    reference = await make_case()
    supervisor = await staff_login("supervisor")
    reply = {"channel": "telegram", "channel_user_id": "5550001", "text": "hi", "message_key": "1"}
    for path, body in ((CASES, report()), (f"{CASES}/{reference}/replies", reply)):
        response = await api.post(path, json=body, headers=supervisor["headers"])
        assert response.status_code == 401, path


async def test_an_agent_cannot_touch_another_agents_case_and_the_refusal_is_audited(
    api, staff_login, make_case
):
    admin = await staff_login("admin")
    ana = await staff_login("agent")
    budi = await staff_login("agent")
    reference = await make_case("missing")
    taken = await api.post(
        f"{CASES}/{reference}/assign", json={"assignee_id": ana["id"]}, headers=ana["headers"]
    )
    assert taken.status_code == 200, taken.text

    for method, suffix, body in ON_A_CASE:
        path = f"{CASES}/{reference}{suffix}"
        response = await api.request(method, path, json=body, headers=budi["headers"])
        assert response.status_code == 403, path
        assert response.json() == {
            "detail": "this case is assigned to another agent",
            "code": "not_your_case",
        }
    queue = (await api.get(CASES, headers=budi["headers"])).json()
    assert (queue["items"], queue["total"]) == ([], 0)

    audit = await api.get(
        "/api/v1/audit",
        params={"action": "case_access_refused", "staff_id": budi["id"]},
        headers=admin["headers"],
    )
    assert audit.json()["total"] == len(ON_A_CASE)
    timeline = await api.get(f"{CASES}/{reference}/timeline", headers=ana["headers"])
    assert [entry["kind"] for entry in timeline.json()["entries"]] == ["opened", "assigned"]


async def test_agents_only_take_unassigned_cases_for_themselves(api, staff_login, make_case):
    ana = await staff_login("agent")
    budi = await staff_login("agent")
    supervisor = await staff_login("supervisor")
    reference = await make_case()
    assign = f"{CASES}/{reference}/assign"

    for assignee_id in (budi["id"], supervisor["id"]):
        response = await api.post(assign, json={"assignee_id": assignee_id}, headers=ana["headers"])
        assert response.status_code == 403
        assert response.json()["code"] == "take_only"
    taken = await api.post(assign, json={"assignee_id": ana["id"]}, headers=ana["headers"])
    assert taken.json()["assignee"] == {"id": ana["id"], "name": "Test agent 1"}
    again = await api.post(assign, json={"assignee_id": ana["id"]}, headers=ana["headers"])
    assert again.status_code == 200
    giving_back = await api.post(assign, json={"assignee_id": None}, headers=ana["headers"])
    assert giving_back.status_code == 403

    moved = await api.post(assign, json={"assignee_id": budi["id"]}, headers=supervisor["headers"])
    assert moved.json()["assignee"]["id"] == budi["id"]
    back = await api.post(assign, json={"assignee_id": None}, headers=supervisor["headers"])
    assert back.json()["assignee"] is None


async def test_unknown_references_are_404_and_bad_ones_never_500(api, staff_login):
    supervisor = await staff_login("supervisor")
    for reference in ("NTT-ZZZZZZ", "ntt-zzzzzz", "nothing", "%20", "NTT-0000000"):
        for method, suffix, body in ON_A_CASE:
            path = f"{CASES}/{reference}{suffix}"
            response = await api.request(method, path, json=body, headers=supervisor["headers"])
            assert response.status_code == 404, path
            assert response.json()["code"] == "case_not_found"
    too_long = await api.get(f"{CASES}/{'X' * 41}", headers=supervisor["headers"])
    assert too_long.status_code == 422
