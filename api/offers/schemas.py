from typing import Literal, get_args

from pydantic import BaseModel, Field

FlagId = Literal[
    "upfront_fee",
    "salary_too_good",
    "no_documents",
    "visit_visa",
    "fast_departure",
    "underage",
    "document_retention",
    "debt_bondage",
    "secrecy",
    "unlicensed_recruiter",
    "irregular_route",
    "sexual_exploitation_risk",
    "vague_job",
    "family_payment",
    "cash_advance",
    "carry_package",
    "closed_destination",
    "scam_compound",
]
FLAG_IDS: tuple[str, ...] = get_args(FlagId)
Risk = Literal["low", "medium", "high"]
RegistryReason = Literal["not_registered", "suspended", "revoked"]

MAX_REQUEST_CHARS = 200_000  # a request larger than this is refused; checks read far less


class OfferCheckRequest(BaseModel):
    text: str = Field(max_length=MAX_REQUEST_CHARS, description="the job offer as received")
    lang: str = Field(
        default="id", pattern=r"^[a-z]{2,3}$", description="language of labels and advice"
    )


class OfferFlag(BaseModel):
    id: FlagId
    label: str
    advice: str
    excerpt: str = Field(description="the words of the offer that raised the flag")
    reason: RegistryReason | None = Field(
        default=None,
        description="unlicensed_recruiter only: a company the offer names is not in the "
        "registry of licensed placement companies, or is listed there as suspended or revoked",
    )
    company: str | None = Field(
        default=None, description="with `reason`: the company (as the registry names it, if there)"
    )


class OfferCheckResult(BaseModel):
    risk: Risk
    flags: list[OfferFlag]
    advice: str = Field(description="what to verify before going further")
    truncated: bool = Field(default=False, description="only the start of a long offer was read")


class OfferCheckReply(OfferCheckResult):
    """A typed offer's check, with its danger words checked (as /safety/check)."""

    danger_words: bool = Field(default=False, description="emergency contacts are due")


class OfferDetectResult(BaseModel):
    looks_like_offer: bool = Field(
        description="recruiting words plus pay, contact or departure: the message is an offer"
    )
    check: OfferCheckResult | None = Field(description="the check, when it looks like an offer")


class OfferImageCheckResult(BaseModel):
    readable: bool = Field(description="the image held enough text to check")
    text: str = Field(description="the text read from the image (and the caption, if any)")
    check: OfferCheckResult | None = Field(description="the check of that text, when readable")
