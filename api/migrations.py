"""Applies the Alembic migrations; nothing else creates tables."""

from alembic.config import Config

from alembic import command
from api.settings import PROJECT_ROOT


def upgrade(database_url: str, revision: str = "head") -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    command.upgrade(config, revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    command.downgrade(config, revision)
