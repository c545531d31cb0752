"""Wire schemas of the form routes: a kind's form in a language, and an answer to one step."""

from typing import Any

from pydantic import BaseModel, Field

from api.forms.declarations import FieldType

Language = Field(pattern=r"^[a-z]{2,3}$", examples=["id"], description="the user's language")


class KindRead(BaseModel):
    kind: str
    title: str


class ButtonRead(BaseModel):
    value: str
    label: str


class StepRead(BaseModel):
    """One question of a form, ready to show: its texts in the language and its buttons."""

    field: str
    type: FieldType
    question: str
    label: str = Field(description="the answer's label in the summary")
    optional: bool
    skip_label: str | None = Field(description="the button that leaves it unknown, if optional")
    buttons: list[ButtonRead] = Field(description="answers offered as buttons (typing works too)")
    share_contact: bool = Field(description="offer to share the user's own phone number")
    share_label: str | None
    alarm: bool = Field(description="a yes calls for the emergency contacts at once")


class FormRead(BaseModel):
    kind: str
    title: str
    collected: str = Field(description="what the consent question says is kept")
    steps: list[StepRead]
    photo_field: str | None = Field(
        description="the field a photo sent at any question answers (evidence), if any"
    )
    photo_label: str | None
    story_field: str | None = Field(
        description="where a message too long for its question is kept (the reporter's account)"
    )
    story_label: str | None


class AnswerCreate(BaseModel):
    """What a person answered to one step: typed text, a tapped button's value (as text), a
    photo uploaded first (POST /api/v1/uploads), or "don't know"."""

    field: str = Field(max_length=40)
    language: str = Language
    text: str | None = Field(default=None, max_length=8000)
    upload_key: str | None = Field(default=None, max_length=64)
    dont_know: bool = False
    answers: dict[str, Any] = Field(
        default={}, max_length=40, description="the values given so far (dates are compared)"
    )


class KeptRead(BaseModel):
    """A long message kept in the form's story field instead of being refused."""

    field: str
    value: str
    shown: str


class AnswerRead(BaseModel):
    """The value taken (None: unknown) and how it reads; or, not accepted, the reason."""

    field: str
    accepted: bool
    value: Any = None
    shown: str | None = Field(default=None, description="the value as the user reads it")
    problem: str | None = Field(default=None, description="why not, in the user's language")
    kept: KeptRead | None = Field(
        default=None, description="not accepted, but kept in the story: the story's new value"
    )
