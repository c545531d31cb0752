"""`helpline serve` as deploy/ runs it behind nginx on the same machine: with the proxy
settings of deploy/helpline.env.example, what nginx sets (X-Forwarded-Proto from 127.0.0.1)
gives HSTS and Secure cookies, and plain HTTP gives neither."""

import httpx

from tests.e2e.test_run_command import free_port, helpline
from tests.e2e.test_run_modes import wait_until_ready
from tests.test_deploy_files import DEPLOY, settings_lines

FROM_NGINX = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


def test_https_through_the_proxy_gives_hsts_and_secure_cookies(tmp_path):
    example = settings_lines(DEPLOY / "helpline.env.example")
    port = free_port()
    env = {
        "HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'helpline.db'}",
        "HELPLINE_UPLOADS_DIR": str(tmp_path / "uploads"),
        "HELPLINE_SERVICE_TOKEN": "behind-the-proxy-service-token",
        "HELPLINE_TRUSTED_PROXIES": example["HELPLINE_TRUSTED_PROXIES"],
        "HELPLINE_HSTS_SECONDS": example["HELPLINE_HSTS_SECONDS"],
    }
    server = helpline("serve", "--port", str(port), env=env)
    try:
        wait_until_ready(server, port)
        login = f"http://127.0.0.1:{port}/staff/login"
        proxied = httpx.get(login, headers=FROM_NGINX)
        plain = httpx.get(login)
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert proxied.status_code == plain.status_code == 200
    assert proxied.headers["strict-transport-security"] == "max-age=31536000"
    assert "; secure" in proxied.headers["set-cookie"].lower()
    assert "strict-transport-security" not in plain.headers
    assert "; secure" not in plain.headers["set-cookie"].lower()
