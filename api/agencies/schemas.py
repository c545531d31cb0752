from datetime import date

from pydantic import BaseModel, Field

from api.agencies.matching import Result


class AgencyRead(BaseModel):
    id: int
    name: str
    licence_number: str | None
    address: str
    status: str = Field(description="active, suspended or revoked")
    source_date: date = Field(description="date of the registry export this row comes from")


class AgencyCandidate(BaseModel):
    agency: AgencyRead
    score: float


class AgencyMatch(BaseModel):
    result: Result = Field(
        description="licensed (active), suspended, revoked, not_found, or ambiguous: several "
        "companies are close, or only a weak one (see candidates)"
    )
    agency: AgencyRead | None = Field(default=None, description="the company, when found")
    score: float = Field(description="0-100, how surely the query names the company")
    candidates: list[AgencyCandidate] = Field(default_factory=list)
    source_date: date | None = Field(
        description="date of the newest registry export imported; null: no registry imported"
    )
