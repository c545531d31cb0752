from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api.db import as_utc


def _in_utc(moment: datetime) -> datetime:
    try:
        return as_utc(moment)
    except OverflowError:
        raise ValueError("the time is out of range") from None


UtcDateTime = Annotated[datetime, AfterValidator(_in_utc)]


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: UtcDateTime
    staff_id: int | None = Field(description="who acted; null for the system or the CLI")
    action: str
    case_id: int | None
    detail: dict[str, Any] = Field(description="ids and codes only, never personal data")


class AuditList(BaseModel):
    items: list[AuditRead]
    total: int = Field(description="entries matching the filters, on all pages")
    limit: int
    offset: int
