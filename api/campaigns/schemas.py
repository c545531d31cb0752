from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from api.campaigns.models import CampaignStatus
from api.db import UtcDateTime
from api.text_types import ShortText, bounded, no_nul

CAMPAIGN_TEXT_LIMIT = 3500  # leaves room for the "send /stop" line within one Telegram message

Title = ShortText
Text = Annotated[str, bounded(CAMPAIGN_TEXT_LIMIT), AfterValidator(no_nul)]


class CampaignCreate(BaseModel):
    title: Title
    texts: dict[str, Text] = Field(
        default_factory=dict, description="the message in each language: {language code: text}"
    )
    districts: list[str] = Field(default_factory=list, description="district slugs to send to")
    languages: list[str] = Field(
        default_factory=list, description="the subscribers' languages to send to (codes)"
    )


class CampaignUpdate(BaseModel):
    """Any of the fields; a campaign can be changed while it is a draft or scheduled."""

    title: Title | None = None
    texts: dict[str, Text] | None = None
    districts: list[str] | None = None
    languages: list[str] | None = None


class CampaignSend(BaseModel):
    send_at: UtcDateTime | None = Field(
        default=None, description="when to start sending (UTC without a zone); null or past: now"
    )


class CampaignCounts(BaseModel):
    """Its outbox rows: queued in all, and how many were sent, failed, blocked or are waiting."""

    queued: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    pending: int = 0


class CampaignRead(BaseModel):
    id: int
    title: str
    texts: dict[str, str]
    districts: list[str]
    languages: list[str]
    status: CampaignStatus
    send_at: UtcDateTime | None
    created_by_id: int | None
    created_at: UtcDateTime
    updated_at: UtcDateTime
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    all_queued: bool = Field(description="every recipient has a row in the outbox")
    counts: CampaignCounts


class CampaignList(BaseModel):
    items: list[CampaignRead]


class AudienceRead(BaseModel):
    """Who a campaign reaches now: subscribers of these districts and languages, not blocked."""

    total: int
    by_language: dict[str, int]
