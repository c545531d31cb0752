"""Wire schemas of the case routes (bot-facing, then staff-facing); validation errors are 422
with clear messages."""

from datetime import timedelta, timezone
from typing import Annotated, Any, Literal
from uuid import UUID

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from api.audit.schemas import UtcDateTime as UtcTimeInput  # refuses times out of range
from api.cases.models import (
    Audience,
    CaseStatus,
    DeliveryStatus,
    Direction,
    EventKind,
    Priority,
    Referral,
)
from api.db import MAX_ID, UtcDateTime

WITA = timezone(timedelta(hours=8), "WITA")  # NTT's time: "today" for dates people give


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError("not a country code; use the two-letter ISO code, e.g. MY for Malaysia")
    return code


def _no_nul(text: str) -> str:
    """PostgreSQL cannot store the NUL character: refused as bad input, not a failure."""
    if "\x00" in text:
        raise ValueError("text cannot contain the NUL character")
    return text


LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
    AfterValidator(_no_nul),
]
Country = Annotated[str, AfterValidator(_country)]
DistrictSlug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z_]{1,31}$"),
    Field(description="a slug of content/districts.yaml, e.g. timor_tengah_selatan"),
]


CaseKind = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,15}$"),
    Field(description="a kind of report: a form of content/report_forms/, e.g. missing"),
]


class CaseCreate(BaseModel):
    """A report from a channel adapter. `submission_id` makes it idempotent: the same
    submission sent again returns the case it made."""

    submission_id: UUID
    kind: CaseKind
    channel: str = Field(pattern=r"^[a-z]{2,16}$", examples=["telegram"])
    channel_user_id: str = Field(min_length=1, max_length=64)
    language: str = Field(pattern=r"^[a-z]{2,3}$", description="the reporter's language")
    consent: bool = Field(
        default=False,
        validate_default=True,
        description="the reporter agreed to what is kept and who sees it; required",
    )
    district: DistrictSlug | None = Field(
        default=None, description="the case's district, when the form has no district field"
    )
    destination_country: Country | None = None
    details: dict[str, Any] = Field(
        max_length=60,
        description="the answers by field, as GET /api/v1/forms/{kind} lists the fields and "
        "POST /api/v1/forms/{kind}/answers reads them; checked by the kind's form",
    )
    photo_upload_key: str | None = Field(
        default=None,
        max_length=64,
        description="from POST /api/v1/uploads: the answer to the form's photo step",
    )
    danger_noticed: bool = Field(
        default=False,
        description="the channel found danger words in a message the reporter wrote while "
        "reporting that is not part of the details; the case opens as urgent",
    )

    @field_validator("consent")
    @classmethod
    def _consent_given(cls, consent: bool) -> bool:
        if not consent:
            raise ValueError("consent is required")
        return consent

    @field_validator("details")
    @classmethod
    def _no_kind(cls, details: dict[str, Any]) -> dict[str, Any]:
        details.pop("kind", None)  # older adapters repeated the kind in the details
        return details


class CaseCreated(BaseModel):
    reference: str
    kind: CaseKind
    status: CaseStatus
    priority: Priority
    created: bool = Field(description="false when this submission had already made the case")


class ThreadMessage(BaseModel):
    direction: Literal[Direction.TO_REPORTER, Direction.FROM_REPORTER]
    text: str
    at: UtcDateTime


class ReporterCase(BaseModel):
    reference: str
    kind: CaseKind
    status: CaseStatus
    referral: Referral | None = Field(
        description="where staff passed the case, while it is referred"
    )
    created_at: UtcDateTime
    messages: list[ThreadMessage] = Field(description="staff messages and replies, oldest first")


class AwaitedReply(BaseModel):
    reference: str | None = Field(
        description="the open case whose thread ends with a staff message, or null"
    )


class ReplyCreate(BaseModel):
    channel: str = Field(pattern=r"^[a-z]{2,16}$")
    channel_user_id: str = Field(min_length=1, max_length=64)
    text: LongText
    message_key: str = Field(
        min_length=1,
        max_length=64,
        description="the channel's id of the message: the same key twice makes one reply",
    )


class ReplyCreated(BaseModel):
    reference: str
    created: bool


class SafetyCheck(BaseModel):
    text: str = Field(max_length=20_000)


class SafetyResult(BaseModel):
    danger: bool


class UploadCreated(BaseModel):
    key: str


class DistrictRead(BaseModel):
    slug: str
    name: str


# Staff-facing schemas: the queue, a case's detail, its timeline and the changes staff make.

SortOrder = Literal["priority", "created", "-created", "updated"]


class CaseFilters(BaseModel):
    """What the queue and the CSV export are filtered and sorted by."""

    model_config = ConfigDict(extra="forbid")

    status: list[CaseStatus] = Field(default=[], description="any of these; repeat the parameter")
    kind: CaseKind | None = None
    priority: Priority | None = None
    district: DistrictSlug | None = None
    assignee: Annotated[str, StringConstraints(pattern=r"^(me|none|[1-9][0-9]{0,9})$")] | None = (
        Field(default=None, description="`me`, `none` (unassigned) or a staff id")
    )
    created_from: UtcTimeInput | None = Field(
        default=None, description="opened at or after (ISO 8601; UTC without a zone)"
    )
    created_to: UtcTimeInput | None = Field(default=None, description="opened before")
    has_news: bool | None = Field(default=None, description="the reporter wrote since last read")
    q: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, max_length=100), AfterValidator(_no_nul)
        ]
        | None
    ) = Field(
        default=None,
        description="a reference (or its start), or words that all appear in the report's"
        " details: names, places, a phone number, the offer or the question",
    )
    sort: SortOrder = Field(
        default="priority",
        description="`priority`: urgent first, then oldest; `created`: oldest first;"
        " `-created`: newest first; `updated`: last changed first",
    )

    @model_validator(mode="after")
    def _range(self) -> "CaseFilters":
        if self.created_from and self.created_to and self.created_from >= self.created_to:
            raise ValueError("created_from must be before created_to")
        return self


class CaseQuery(CaseFilters):
    limit: int = Field(default=50, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=MAX_ID)


class StaffRef(BaseModel):
    id: int
    name: str


class CaseSummary(BaseModel):
    """A line of the queue: no personal data."""

    reference: str
    kind: CaseKind
    status: CaseStatus
    priority: Priority
    district: str | None
    destination_country: str | None
    assignee: StaffRef | None
    created_at: UtcDateTime
    updated_at: UtcDateTime
    last_reporter_message_at: UtcDateTime | None
    has_news: bool
    age_hours: int = Field(description="whole hours since the case was opened")


class CaseList(BaseModel):
    items: list[CaseSummary]
    total: int = Field(description="cases matching the filters, on all pages")
    limit: int
    offset: int


class DetailsRead(BaseModel):
    """A report's answers as kept, by field of the kind's form (GET /api/v1/forms/{kind});
    dates and ages are objects; fields the reporter erased are gone."""

    model_config = ConfigDict(extra="allow")

    kind: CaseKind
    has_photo: bool = Field(description="GET .../photo gives it")


class CaseRead(CaseSummary):
    """A case with its personal data (reading it is audited)."""

    language: str
    first_response_at: UtcDateTime | None
    closed_at: UtcDateTime | None
    referral: Referral | None
    referral_note: str | None
    resolution: str | None
    reporter_erased: bool = Field(description="the reporter deleted their data: no messages")
    details: DetailsRead | None


class AssignmentChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee_id: int | None = Field(
        ge=1, le=MAX_ID, description="a staff id, or null for the unassigned queue"
    )


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: CaseStatus
    reason: LongText | None = Field(default=None, description="needed to reopen a closed case")
    resolution: LongText | None = Field(default=None, description="needed to close a case")

    @field_validator("to")
    @classmethod
    def _not_referred(cls, to: CaseStatus) -> CaseStatus:
        if to == CaseStatus.REFERRED:
            raise ValueError("to refer a case, use POST /api/v1/cases/{reference}/refer")
        return to


class ReferralCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    referral: Referral
    note: LongText | None = Field(default=None, description="to whom, and what was agreed")


class PriorityChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    priority: Priority


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: LongText


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: LongText


class MessageRead(BaseModel):
    """A message of the case thread: a note, a message to the reporter, or their reply."""

    id: int
    at: UtcDateTime
    direction: Direction
    text: str
    staff: StaffRef | None
    delivery_status: DeliveryStatus | None = Field(description="messages to the reporter only")
    delivered_at: UtcDateTime | None


class TimelineEntry(BaseModel):
    id: int
    at: UtcDateTime
    kind: EventKind
    audience: Audience = Field(description="`reporter`: the reporter sees it in /mycases")
    actor: StaffRef | None
    data: dict[str, Any] = Field(description="ids and codes of the change")
    message: MessageRead | None = Field(description="the note or message the event is about")


class CaseTimeline(BaseModel):
    reference: str
    entries: list[TimelineEntry] = Field(description="oldest first")
