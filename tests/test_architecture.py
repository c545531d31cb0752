"""bot/ is a channel adapter: it never imports the backend's models or services."""

import ast
from pathlib import Path

from api.settings import PROJECT_ROOT


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_bot_never_imports_domain_models_or_services():
    offenders = {
        f"{path.relative_to(PROJECT_ROOT)}: {module}"
        for path in (PROJECT_ROOT / "bot").rglob("*.py")
        for module in imported_modules(path)
        if module.startswith("api.")
        and module.rsplit(".", 1)[-1] in {"models", "service", "router"}
    }
    assert offenders == set()
