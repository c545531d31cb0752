from pydantic import BaseModel, Field


class ReporterRead(BaseModel):
    channel: str
    channel_user_id: str
    language: str | None = Field(description="null until the user has chosen a language")


class ReporterUpdate(BaseModel):
    language: str = Field(min_length=2, max_length=8)
