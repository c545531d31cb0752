"""Wire schemas of the case routes (bot-facing, then staff-facing); validation errors are 422
with clear messages."""

from datetime import date, datetime, timedelta, timezone
from typing import Annotated, Any, Literal
from uuid import UUID

import phonenumbers
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
    CaseKind,
    CaseStatus,
    DeliveryStatus,
    Direction,
    EventKind,
    Priority,
    Referral,
)
from api.db import MAX_ID, UtcDateTime
from api.offers.schemas import FlagId

WITA = timezone(timedelta(hours=8), "WITA")  # NTT's time: "today" for dates people give
OLDEST_DATE = date(1900, 1, 1)


def _phone(value: str) -> str:
    """A phone number as people type it (Indonesian by default), stored as +E.164."""
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(
            "not a valid phone number; write it like 0812 3456 7890, or +60 12 345 6789 abroad"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError("not a country code; use the two-letter ISO code, e.g. MY for Malaysia")
    return code


def _passport(value: str) -> str:
    number = "".join(value.split()).upper()
    if not (6 <= len(number) <= 9 and number.isascii() and number.isalnum()):
        raise ValueError("a passport number has 6 to 9 letters and digits, e.g. C1234567")
    return number


def _no_nul(text: str) -> str:
    """PostgreSQL cannot store the NUL character: refused as bad input, not a failure."""
    if "\x00" in text:
        raise ValueError("text cannot contain the NUL character")
    return text


def bounded_text(max_length: int) -> Any:
    """Text stripped of surrounding spaces, not empty, at most `max_length` characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_no_nul),
    ]


def today() -> date:
    return datetime.now(WITA).date()


Name = bounded_text(120)
ShortText = bounded_text(200)
LongText = bounded_text(4000)
Phone = Annotated[str, StringConstraints(max_length=40), AfterValidator(_phone)]
Country = Annotated[str, AfterValidator(_country)]
DistrictSlug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z_]{1,31}$"),
    Field(description="a slug of content/districts.yaml, e.g. timor_tengah_selatan"),
]


class _Details(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def free_text(self) -> str:
        """Every text field, for the danger words."""
        return "\n".join(value for name, value in self if isinstance(value, str) and name != "kind")


class OfferDetails(_Details):
    kind: Literal["offer"] = "offer"
    offer_text: LongText
    flags: list[FlagId] = Field(default=[], description="red flags the offer checker found")
    seen_where: Literal["whatsapp", "facebook", "tiktok", "instagram", "person", "other"] | None = (
        None
    )
    recruiter_name: Name | None = None
    recruiter_phone: Phone | None = None
    village: Name | None = None


class DangerDetails(_Details):
    kind: Literal["danger"] = "danger"
    what_happens: LongText
    country: Country | None = None
    city: Name | None = None
    employer: ShortText | None = None
    since_when: Name | None = Field(default=None, description="as the reporter says it")
    danger_now: bool = False
    contact: ShortText | None = Field(
        default=None, description="how to reach the person or the reporter"
    )


class MissingDetails(_Details):
    kind: Literal["missing"] = "missing"
    name: Name
    sex: Literal["female", "male"] | None = None
    age: int | None = Field(default=None, ge=0, le=120)
    birth_date: date | None = None
    home_district: DistrictSlug | None = None
    village: Name | None = None
    destination_country: Country | None = None
    destination_city: Name | None = None
    left_on: date | None = Field(default=None, description="the date they left home")
    last_contact_on: date | None = None
    recruiter: ShortText | None = Field(default=None, description="a person or a company")
    employer: ShortText | None = None
    passport_number: Annotated[str, AfterValidator(_passport)] | None = None
    reporter_name: Name | None = None
    reporter_relationship: (
        Literal["parent", "child", "spouse", "sibling", "relative", "friend", "other"] | None
    ) = None
    reporter_phone: Phone | None = None

    @field_validator("birth_date", "left_on", "last_contact_on")
    @classmethod
    def _in_the_past(cls, value: date | None, info: Any) -> date | None:
        if value is not None and value > today():
            raise ValueError(f"{info.field_name.replace('_', ' ')} cannot be in the future")
        if value is not None and value < OLDEST_DATE:
            raise ValueError(f"{info.field_name.replace('_', ' ')} is before 1900")
        return value

    @model_validator(mode="after")
    def _contact_after_leaving(self) -> "MissingDetails":
        if self.left_on and self.last_contact_on and self.last_contact_on < self.left_on:
            raise ValueError("the last contact cannot be before the date of leaving")
        return self


class QuestionDetails(_Details):
    kind: Literal["question"] = "question"
    question: LongText
    topic: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_.]{1,64}$")] | None = Field(
        default=None, description="the topic slug the question came from"
    )


Details = Annotated[
    OfferDetails | DangerDetails | MissingDetails | QuestionDetails, Field(discriminator="kind")
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
    district: DistrictSlug | None = None
    destination_country: Country | None = None
    details: Details = Field(description="kind-specific; its `kind` may be left out")
    photo_upload_key: str | None = Field(
        default=None, max_length=64, description="from POST /api/v1/uploads; missing only"
    )
    danger_noticed: bool = Field(
        default=False,
        description="the channel found danger words in a message the reporter wrote while "
        "reporting that is not part of the details; the case opens as urgent",
    )

    @model_validator(mode="before")
    @classmethod
    def _details_kind(cls, data: Any) -> Any:
        """The details take the report's kind unless they say one."""
        if isinstance(data, dict) and isinstance(data.get("details"), dict):
            details = data["details"]
            if "kind" not in details and isinstance(data.get("kind"), str):
                data = {**data, "details": {**details, "kind": data["kind"]}}
        return data

    @field_validator("consent")
    @classmethod
    def _consent_given(cls, consent: bool) -> bool:
        if not consent:
            raise ValueError("consent is required")
        return consent

    @model_validator(mode="after")
    def _consistent(self) -> "CaseCreate":
        if self.details.kind != self.kind:
            raise ValueError(f"details are for a {self.details.kind} report, not {self.kind}")
        if self.photo_upload_key and self.kind != CaseKind.MISSING:
            raise ValueError("a photo is only taken with a missing-person report")
        return self

    def districts_named(self) -> dict[tuple[str, ...], str]:
        """Every district slug given, by its location in the body."""
        named = {("body", "district"): self.district}
        if isinstance(self.details, MissingDetails):
            named[("body", "details", "missing", "home_district")] = self.details.home_district
        return {loc: slug for loc, slug in named.items() if slug is not None}


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


class _DetailsRead(BaseModel):
    """A kind's details as kept: any field may be blank once the reporter erased their data."""

    model_config = ConfigDict(from_attributes=True)


class OfferDetailsRead(_DetailsRead):
    kind: Literal["offer"] = "offer"
    offer_text: str | None
    flags: list[str]
    seen_where: str | None
    recruiter_name: str | None
    recruiter_phone: str | None
    village: str | None


class DangerDetailsRead(_DetailsRead):
    kind: Literal["danger"] = "danger"
    what_happens: str | None
    country: str | None
    city: str | None
    employer: str | None
    since_when: str | None
    danger_now: bool
    contact: str | None


class MissingDetailsRead(_DetailsRead):
    kind: Literal["missing"] = "missing"
    name: str | None
    sex: str | None
    age: int | None
    birth_date: date | None
    home_district: str | None
    village: str | None
    destination_country: str | None
    destination_city: str | None
    left_on: date | None
    last_contact_on: date | None
    recruiter: str | None
    employer: str | None
    passport_number: str | None
    has_photo: bool = Field(description="GET .../photo gives it")
    reporter_name: str | None
    reporter_relationship: str | None
    reporter_phone: str | None


class QuestionDetailsRead(_DetailsRead):
    kind: Literal["question"] = "question"
    question: str | None
    topic: str | None


DetailsRead = Annotated[
    OfferDetailsRead | DangerDetailsRead | MissingDetailsRead | QuestionDetailsRead,
    Field(discriminator="kind"),
]


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
