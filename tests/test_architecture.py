"""The import rules of the architecture (pyproject.toml, [tool.importlinter]): the backend
never imports a channel adapter or the composition, and the Telegram adapter reaches the
domain only through the backend's HTTP API, never its models, services, routers or database."""

import subprocess
import sys
from pathlib import Path

from api.settings import PROJECT_ROOT


def test_the_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    checked = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout[-3000:]
    assert "3 kept, 0 broken" in checked.stdout
