"""Hostile input gets a 422 (or a plain refusal), never a 500, and is never echoed or logged:
NUL, lone surrogates, NaN, non-ASCII secrets, huge ids."""

import json
import logging

import pytest

from api.logs import JsonFormatter

NAME_AND_PHONE = "Maria Bria 081234567890"


def raw_json(text: str) -> bytes:
    """A JSON body as a hostile client writes it (json.dumps would escape it the same way)."""
    return text.encode()


@pytest.fixture
def log_lines():
    """Every log line of the test, formatted as the helpline writes them."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(JsonFormatter().format(record))

    handler = Collect(level=logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    yield lines
    root.removeHandler(handler)


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "\\ud800 Maria Bria 081234567890", "role": "agent"}',
        '{"name": "Maria Bria 081234567890", "role": "agent", "password": NaN}',
        '{"name": "Maria\\u0000 Bria 081234567890", "role": "agent"}',
        '{"name\\udfff": "Maria Bria 081234567890"}',
    ],
)
async def test_unencodable_or_nul_json_is_a_422_that_echoes_nothing(api, staff_login, body):
    admin = await staff_login("admin")
    response = await api.post(
        "/api/v1/staff",
        content=raw_json(body),
        headers={**admin["headers"], "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "Maria" not in response.text and "0812" not in response.text


async def test_a_validation_error_never_echoes_the_input(api, staff_login):
    admin = await staff_login("admin")
    response = await api.post(
        "/api/v1/staff",
        json={"username": "maria", "name": NAME_AND_PHONE, "role": "boss", "password": 5},
        headers=admin["headers"],
    )
    assert response.status_code == 422
    assert "Maria" not in response.text
    assert all("input" not in problem for problem in response.json()["detail"])


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/api/v1/auth/token", {"data": {"username": "ma\x00ria", "password": "x"}}),
        ("GET", "/api/v1/reporters/telegram/12%0034", {}),
        ("PUT", "/api/v1/reporters/telegram/12%0034/subscription", {"json": {"district": "x"}}),
        ("GET", "/api/v1/answers", {"params": {"q": "paspor\x00", "lang": "id"}}),
        ("GET", "/healthz", {"headers": {"X-Note": "a\x00b"}}),
    ],
)
async def test_nul_in_a_form_path_query_or_header_is_a_422(api, method, path, kwargs):
    response = await api.request(method, path, **kwargs)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "text_invalid"


async def test_nul_in_a_case_is_a_422_on_both_databases(api, report):
    response = await api.post("/api/v1/cases", json=report("offer", channel_user_id="55\x0001"))
    assert response.status_code == 422


@pytest.mark.parametrize("path", ["/api/v1/outbox/{}/delivered", "/api/v1/outbox/{}/failed"])
async def test_a_huge_outbox_id_is_a_422(api, path):
    response = await api.post(path.format(2**70), json={"error": "x"})
    assert response.status_code == 422
    delivered = await api.post("/api/v1/outbox/delivered", json={"ids": [2**70]})
    assert delivered.status_code == 422


async def test_an_unexpected_error_is_logged_by_type_and_route_without_its_text(log_lines):
    try:
        raise ValueError(f"could not store {NAME_AND_PHONE}")
    except ValueError:
        logging.getLogger("test").exception("unexpected error", extra={"route": "/x/{id}"})
    entry = json.loads(log_lines[-1])
    assert entry["error"] == "ValueError" and entry["route"] == "/x/{id}"
    assert "Maria" not in log_lines[-1] and "0812" not in log_lines[-1]
