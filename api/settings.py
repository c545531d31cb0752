"""Configuration from environment variables (HELPLINE_*) and an optional .env file."""

from functools import cached_property
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from api import encryption
from api.encryption import KeyRing

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HELPLINE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'helpline.db'}",
        description="SQLAlchemy async URL; postgresql+asyncpg://... for PostgreSQL",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN")
    )
    telegram_api_url: str = Field(
        default="https://api.telegram.org",
        pattern=r"^https?://[^\s/]+(/[^\s]*)?$",
        description="Bot API server: methods at {url}/bot<token>/, files at {url}/file/bot<token>/",
    )
    webhook_url: str | None = Field(
        default=None, description="Public HTTPS URL of /telegram/webhook; unset means polling"
    )
    webhook_secret: SecretStr | None = None
    service_token: SecretStr | None = Field(
        default=None,
        description="Token the bot uses to call the backend; required by `helpline serve` (the "
        "backend apart from the bot); random per process when unset in `helpline run`",
    )
    data_keys: SecretStr | None = Field(
        default=None,
        description="Fernet keys that encrypt reporters' data in the database, comma-separated, "
        "newest first (api/encryption); required: the backend refuses to start without one "
        "(the demo and `helpline chat` keep their own under demo_dir)",
    )
    content_dir: Path = PROJECT_ROOT / "content"
    locales_dir: Path = PROJECT_ROOT / "locales"
    default_language: str = "id"
    log_level: str = "INFO"
    outbox_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often the bot looks for queued messages to deliver"
    )
    outbox_lease_seconds: int = Field(
        default=60,
        ge=5,
        le=3600,
        description="How long claimed messages are the bot's: after a crash, they are sent again "
        "once the lease ends",
    )
    per_chat_interval: float = Field(
        default=1.0,
        ge=0,
        description="Seconds between two queued messages to one chat (Telegram: 1 a second)",
    )
    campaign_rate: float = Field(
        default=25.0,
        gt=0,
        le=30,
        description="Campaign messages a second at most, over all chats (Telegram allows 30)",
    )
    campaign_queue_seconds: float = Field(
        default=1.0,
        ge=0,
        description="How often the backend queues due campaigns' recipients (0: never, tests)",
    )
    campaign_batch_size: int = Field(
        default=500,
        ge=1,
        le=5000,
        description="Recipients of a due campaign queued in the outbox at each queuing round",
    )
    demo_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "demo",
        description="`helpline demo` and `helpline chat` keep their own database here",
    )
    uploads_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "uploads", description="where report photos are kept"
    )
    staff_chat_id: str | None = Field(
        default=None, description="Telegram chat that gets urgent-case alerts; unset = no alerts"
    )
    staff_chat_channel: str = Field(
        default="telegram",
        pattern=r"^[a-z][a-z0-9_]{0,15}$",
        description="The channel of the staff chat (whose adapter delivers the alerts)",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000", description="address staff open the dashboard at"
    )
    trusted_proxies: str = Field(
        default="127.0.0.1",
        description="Addresses or networks (comma-separated; * for any) of the reverse proxies "
        "whose X-Forwarded-For and X-Forwarded-Proto are believed",
    )
    secure_cookies: bool | None = Field(
        default=None,
        description="Send cookies only over HTTPS; unset: when public_url or the request is https",
    )
    hsts_seconds: int = Field(
        default=31_536_000,
        ge=0,
        description="Strict-Transport-Security max-age sent on HTTPS answers; 0 sends none",
    )
    staff_session_hours: int = Field(
        default=12, ge=1, le=24 * 30, description="How long a staff login stays valid"
    )
    login_failures_per_account: int = Field(
        default=10, ge=1, description="Failed logins of one username that lock it for a while"
    )
    login_failures_per_address: int = Field(
        default=50, ge=1, description="Failed logins from one address that lock it for a while"
    )
    login_lockout_minutes: int = Field(
        default=15, ge=1, description="The window failed logins are counted in, and the lock"
    )

    retention_closed_case_months: int = Field(
        default=12,
        ge=1,
        description="Months after a case is closed that its personal details are erased",
    )
    retention_outbox_days: int = Field(
        default=30,
        ge=1,
        description="Days after a message was delivered (or given up) that its text is erased",
    )
    retention_draft_days: int = Field(
        default=7,
        ge=1,
        description="Days after a user last wrote that their unfinished report (draft) and "
        "conversation state are deleted",
    )
    retention_orphan_upload_hours: int = Field(
        default=24, ge=1, description="Hours after which a photo no report took is deleted"
    )
    retention_every_seconds: float = Field(
        default=3600, ge=0, description="How often the backend runs retention (0: never, tests)"
    )

    def keyring(self) -> KeyRing:
        """The data keys; DataKeyError, saying how to make one, when unset or malformed."""
        return encryption.from_text(self.data_keys.get_secret_value() if self.data_keys else None)

    @cached_property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
