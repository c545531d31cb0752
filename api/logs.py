"""Structured logging: one JSON line per event, never message text or personal data."""

import json
import logging
import sys
from datetime import UTC, datetime
from types import TracebackType

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def _origin(trace: TracebackType | None) -> str | None:
    """module:line of the innermost frame of a traceback."""
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    if trace is None:
        return None
    return f"{trace.tb_frame.f_globals.get('__name__', '?')}:{trace.tb_lineno}"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info and record.exc_info[1] is not None:
            # The type and where it was raised, never the exception's text or repr: those can
            # hold what was submitted (a name, a phone number).
            entry["error"] = type(record.exc_info[1]).__name__
            entry["where"] = _origin(record.exc_info[2])
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs request URLs (Telegram's hold the bot token; the backend's hold questions),
    # and the debug lines of python-telegram-bot and aiosqlite hold chat ids and message text.
    for noisy in ("httpx", "httpcore", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for chatty in ("telegram", "aiosqlite"):
        logging.getLogger(chatty).setLevel(max(logging.INFO, root.level))
