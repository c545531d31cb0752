"""The files of deploy/ as the machine reads them: the systemd units pass `systemd-analyze
verify` (when the machine has it), the nginx site passes `nginx -t` (when nginx is installed),
the environment file example holds only real settings with valid values, and the backup
script refuses a database it cannot dump."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from api.settings import PROJECT_ROOT, Settings

DEPLOY = PROJECT_ROOT / "deploy"
INSTALLED = "/opt/helpline"  # where the units expect the checkout
BACKUP_SETTINGS = {"HELPLINE_BACKUP_DIR", "HELPLINE_BACKUP_KEEP_DAYS"}  # the backup script's


def settings_lines(path: Path) -> dict[str, str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {key: value for key, value in pairs}


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_the_systemd_units_verify(tmp_path: Path):
    """Verified as installed: the paths of /opt/helpline pointed at this checkout and its
    virtual environment, the template as one of its instances."""
    venv_bin = Path(sys.executable).parent
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text(encoding="utf-8")
        text = text.replace(f"{INSTALLED}/.venv/bin", str(venv_bin)).replace(
            INSTALLED, str(PROJECT_ROOT)
        )
        name = unit.name.replace("@.", "@8001.")
        (tmp_path / name).write_text(text, encoding="utf-8")
        units.append(str(tmp_path / name))
    assert [Path(unit).name for unit in units] == [
        "helpline-api@8001.service",
        "helpline-backup.service",
        "helpline-backup.timer",
        "helpline-bot.service",
    ]
    checked = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, check=False
    )
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
@pytest.mark.skipif(not shutil.which("openssl"), reason="needs openssl for a test certificate")
def test_the_nginx_site_passes_nginx_t(tmp_path: Path):
    """The site inside a minimal nginx.conf, with a throw-away certificate in place of
    Let's Encrypt's."""
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=helpline.example.org", "-keyout", str(key), "-out", str(certificate)],
        capture_output=True,
        check=True,
    )
    site = (DEPLOY / "nginx" / "helpline.conf").read_text(encoding="utf-8")
    live = "/etc/letsencrypt/live/helpline.example.org"
    site = site.replace(f"{live}/fullchain.pem", str(certificate))
    site = site.replace(f"{live}/privkey.pem", str(key))
    (tmp_path / "helpline.conf").write_text(site, encoding="utf-8")
    temp = tmp_path / "temp"
    temp.mkdir()  # nginx makes each temp path's last folder only
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\nhttp {{\n"
        f"    access_log off;\n    client_body_temp_path {temp}/body;\n"
        f"    proxy_temp_path {temp}/proxy;\n    fastcgi_temp_path {temp}/fastcgi;\n"
        f"    uwsgi_temp_path {temp}/uwsgi;\n    scgi_temp_path {temp}/scgi;\n"
        f"    include {tmp_path}/helpline.conf;\n}}\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
        + ["-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_environment_file_example_holds_real_settings_with_valid_values(monkeypatch):
    example = DEPLOY / "helpline.env.example"
    keys = set(settings_lines(example))
    for key in keys:
        monkeypatch.delenv(key, raising=False)  # the file's values, not this shell's
    known = {f"HELPLINE_{name.upper()}" for name in Settings.model_fields} | {"TELEGRAM_BOT_TOKEN"}
    assert keys - known == BACKUP_SETTINGS  # no misspelt setting is silently ignored
    settings = Settings(_env_file=example)  # every value passes the settings' validation
    assert settings.database_url.startswith("postgresql+asyncpg://")
    assert settings.webhook_url and settings.webhook_secret and settings.telegram_bot_token
    token = settings.service_token
    assert token is not None and len(token.get_secret_value()) >= 16  # `helpline serve` needs it
    assert settings.trusted_proxies == "127.0.0.1" and settings.hsts_seconds > 0


def test_the_backup_script_refuses_a_database_that_is_not_postgresql(tmp_path: Path):
    backup = subprocess.run(
        [DEPLOY / "bin" / "helpline-backup"],
        env={
            **os.environ,
            "HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'helpline.db'}",
            "HELPLINE_BACKUP_DIR": str(tmp_path / "backups"),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert backup.returncode == 2
    assert "not a PostgreSQL URL" in backup.stderr
    assert not (tmp_path / "backups").exists()
