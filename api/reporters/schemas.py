from pydantic import BaseModel, Field

from api.db import UtcDateTime


class ReporterRead(BaseModel):
    channel: str
    channel_user_id: str
    language: str | None = Field(description="null until the user has chosen a language")


class ReporterUpdate(BaseModel):
    language: str = Field(min_length=2, max_length=8)


class SubscriptionUpdate(BaseModel):
    district: str = Field(min_length=1, max_length=32)
    language: str | None = Field(
        default=None, min_length=2, max_length=8, description="for a user not known yet"
    )


class SubscriptionRead(BaseModel):
    subscribed: bool
    district: str | None
    subscribed_at: UtcDateTime | None


class NewsOffer(BaseModel):
    language: str = Field(min_length=2, max_length=8)


class NewsOfferRead(BaseModel):
    ask: bool = Field(description="true once per user: ask now whether they want the news")
