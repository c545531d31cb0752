"""Report forms as declared in content/report_forms/<kind>.yaml: one file per kind of report.

A form lists its steps (the fields asked, in order, each with its type), which fields are
personal (erased on request) or printed on the missing-person sheet, the case's base priority,
the answers that make it urgent, and which fields give the case its district and country.
Everything else is derived from it: the bot's questions and buttons, validation of a report,
the dashboard's labels, erasure and the sheet. Texts are message ids of the catalogs."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from api.content_files import ContentError, Document, Problem

FORMS_DIR = "report_forms"
STORY_MIN_LENGTH = 1000  # a story field holds a whole account
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,15}$")]
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Message = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class FieldType(StrEnum):
    """How a field is answered, read, stored and shown."""

    TEXT = "text"
    CHOICE = "choice"
    YES_NO = "yes_no"
    DISTRICT = "district"
    COUNTRY = "country"
    DATE = "date"  # {"date": "2025-06", "approximate": false, "as_written": "juni 2025"}
    AGE = "age"  # {"years": 17, "to": null, "approximate": true, "born": null, ...}
    PHONE = "phone"  # +E.164
    PASSPORT = "passport"
    PHOTO = "photo"  # the key of an upload (POST /api/v1/uploads)
    FLAGS = "flags"  # red-flag ids of the offer checker (never asked)
    TOPIC = "topic"  # the topic slug a question came from (never asked)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    value: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,24}$")]
    label: Message
    button: bool = True  # offered as a button; False: kept for older reports and typed names


class Step(_Strict):
    field: FieldName
    type: FieldType
    question: Message | None = None
    label: Message
    staff_label: Message | None = None  # the dashboard's label, when it differs
    optional: bool = False  # "Don't know" and "Skip" accepted, stored as unknown
    personal: bool = False  # names or reaches a person, or free text: erased on request
    on_sheet: bool = False  # printed on the missing-person sheet
    # False: filled by the channel (flags of a checked offer, a topic), or, for a photo, taken
    # whenever one is sent during the report
    asked: bool = True
    max_length: int = Field(default=200, ge=1, le=4000)
    choices: tuple[Choice, ...] = ()
    countries: tuple[CountryCode, ...] = ()  # offered as buttons, in this order
    not_before: FieldName | None = None  # a date field this one cannot be earlier than
    share_contact: bool = False  # the channel offers to share the user's own number
    alarm: bool = False  # a "yes" is answered at once with the emergency contacts

    @model_validator(mode="after")
    def _consistent(self) -> "Step":
        if self.asked and self.question is None:
            raise ValueError(f"step {self.field!r} is asked: it needs a `question`")
        if (self.type is FieldType.CHOICE) != bool(self.choices):
            raise ValueError(f"step {self.field!r}: `choices` go with type choice, and only there")
        if self.countries and self.type is not FieldType.COUNTRY:
            raise ValueError(f"step {self.field!r}: `countries` go with type country")
        if self.not_before is not None and self.type is not FieldType.DATE:
            raise ValueError(f"step {self.field!r}: `not_before` is for dates")
        if self.share_contact and self.type is not FieldType.PHONE:
            raise ValueError(f"step {self.field!r}: `share_contact` is for phone numbers")
        if self.alarm and self.type is not FieldType.YES_NO:
            raise ValueError(f"step {self.field!r}: `alarm` is for yes/no questions")
        unasked = (FieldType.FLAGS, FieldType.TOPIC, FieldType.PHOTO, FieldType.TEXT)
        if not self.asked and self.type not in unasked:
            raise ValueError(
                f"step {self.field!r}: only flags, a topic, a photo or the story may be unasked"
            )
        return self

    @property
    def shown_to_staff(self) -> str:
        return self.staff_label or self.label


class UrgentWhen(_Strict):
    """An answer that makes the case urgent: a field equal to a value, or an age under."""

    field: FieldName
    equals: bool | str | None = None
    under: int | None = Field(default=None, ge=1, le=120)

    @model_validator(mode="after")
    def _one_test(self) -> "UrgentWhen":
        if (self.equals is None) == (self.under is None):
            raise ValueError("an urgent rule needs exactly one of `equals` and `under`")
        return self


class Place(_Strict):
    """The fields that give the case its district and destination country (queue, stats)."""

    district: FieldName | None = None
    country: FieldName | None = None


class Sheet(_Strict):
    heading: FieldName
    photo: FieldName | None = None


class Form(_Strict):
    kind: Slug
    order: int = Field(ge=0, description="where the kind is offered: lowest first")
    title: Message
    collected: Message  # what the consent question says is kept
    priority: Literal["high", "normal", "low"]
    urgent_when: tuple[UrgentWhen, ...] = ()
    place: Place = Place()
    sheet: Sheet | None = None
    # The long text field where a message too long for the question it answers is kept (a
    # reporter's account typed at "What is the name?"), so that nothing she writes is lost.
    story: FieldName | None = None
    steps: tuple[Step, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _fields_exist(self) -> "Form":
        fields = {step.field: step for step in self.steps}
        if len(fields) != len(self.steps):
            raise ValueError("two steps have the same `field`")
        named = [rule.field for rule in self.urgent_when]
        named += [name for name in (self.place.district, self.place.country) if name]
        named += [step.not_before for step in self.steps if step.not_before]
        if self.sheet:
            named += [name for name in (self.sheet.heading, self.sheet.photo) if name]
        named += [self.story] if self.story else []
        unknown = sorted(set(named) - set(fields))
        if unknown:
            raise ValueError(f"names fields no step has: {', '.join(unknown)}")
        if self.place.district and fields[self.place.district].type is not FieldType.DISTRICT:
            raise ValueError("`place.district` must be a district field")
        if self.place.country and fields[self.place.country].type is not FieldType.COUNTRY:
            raise ValueError("`place.country` must be a country field")
        if self.story:
            story = fields[self.story]
            if story.type is not FieldType.TEXT or story.max_length < STORY_MIN_LENGTH:
                raise ValueError(
                    f"`story` must be a text field of at least {STORY_MIN_LENGTH} characters"
                )
        for step in self.steps:
            if step.type is FieldType.TEXT and not step.asked and step.field != self.story:
                raise ValueError(f"step {step.field!r}: an unasked text field must be the `story`")
        if sum(step.type is FieldType.PHOTO for step in self.steps) > 1:
            raise ValueError("a form has one photo step at most")
        return self

    def step(self, field: str) -> Step:
        return next(step for step in self.steps if step.field == field)

    @property
    def asked(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.asked)

    @property
    def photo_field(self) -> str | None:
        return next((s.field for s in self.steps if s.type is FieldType.PHOTO), None)

    @property
    def personal_fields(self) -> tuple[str, ...]:
        return tuple(step.field for step in self.steps if step.personal)

    def messages(self) -> list[str]:
        """Every text of the form, for the catalogs."""
        texts = [self.title, self.collected]
        for step in self.steps:
            texts += [t for t in (step.question, step.label, step.staff_label) if t]
            texts += [choice.label for choice in step.choices]
        return texts


Forms = dict[str, Form]  # by kind, in the order the kinds are offered


def load(content_dir: Path) -> Forms:
    """Read and check every form; ContentError lists every problem with its file and line."""
    problems: list[Problem] = []
    forms: list[Form] = []
    paths = sorted((content_dir / FORMS_DIR).glob("*.yaml"))
    if not paths:
        raise ContentError([Problem(FORMS_DIR, 0, "no report forms (<kind>.yaml)")])
    for path in paths:
        document = Document(path, f"{FORMS_DIR}/{path.name}")
        form = document.validate(Form)
        if form is not None and form.kind != path.stem:
            document.problem(("kind",), f"{form.kind!r} is not the file's name")
        problems += document.problems
        if form is not None and not document.problems:
            forms.append(form)
    if problems:
        raise ContentError(problems)
    return {form.kind: form for form in sorted(forms, key=lambda form: form.order)}
