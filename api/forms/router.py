"""Form routes (service token): the kinds of report, a kind's form in the user's language, and
the reading of one answer, so that channel adapters hold no field rule."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.auth import ServiceAuth
from api.cases.dependencies import DangerDep, DistrictsDep
from api.errors import NotFound, Unprocessable
from api.forms import service
from api.forms.declarations import FieldType, Form, Step
from api.forms.parsing import DATE_HINT, Invalid, country_name
from api.forms.schemas import (
    AnswerCreate,
    AnswerRead,
    ButtonRead,
    FormRead,
    KeptRead,
    KindRead,
    StepRead,
)
from api.i18n import N_, Translator

router = APIRouter(prefix="/api/v1/forms", tags=["forms"], dependencies=[ServiceAuth])
SHARE_NUMBER = N_("📱 Share my number")
_LANGUAGE = Query(pattern=r"^[a-z]{2,3}$", description="the user's language")


def _form(request: Request, kind: str) -> Form:
    form = request.app.state.forms.get(kind)
    if form is None:
        raise NotFound(f"no report form {kind[:20]!r}", code="unknown_form")
    return form


def _translator(request: Request, lang: str) -> Translator:
    if lang not in request.app.state.content.language_codes:
        raise Unprocessable(f"unknown language {lang!r}", code="unknown_language")
    return request.app.state.catalogs.translator(lang)


def _buttons(step: Step, _: Translator, lang: str, districts: DistrictsDep) -> list[ButtonRead]:
    if step.type is FieldType.DISTRICT:
        return [ButtonRead(value=slug, label=name) for slug, name in districts.names.items()]
    if step.type is FieldType.COUNTRY:
        return [ButtonRead(value=code, label=country_name(code, lang)) for code in step.countries]
    if step.type is FieldType.YES_NO:
        return [
            ButtonRead(value="yes", label=_(service.YES)),
            ButtonRead(value="no", label=_(service.NO)),
        ]
    return [ButtonRead(value=c.value, label=_(c.label)) for c in step.choices if c.button]


def _step(step: Step, _: Translator, lang: str, districts: DistrictsDep) -> StepRead:
    assert step.question is not None  # asked steps have one
    share = _(SHARE_NUMBER) if step.share_contact else None
    return StepRead(
        field=step.field,
        type=step.type,
        question=_(step.question).format(share=share or "", date_hint=_(DATE_HINT)),
        label=_(step.label),
        optional=step.optional,
        skip_label=_(service.skip_label(step)) if step.optional else None,
        buttons=_buttons(step, _, lang, districts),
        share_contact=step.share_contact,
        share_label=share,
        alarm=step.alarm,
    )


@router.get("", response_model=list[KindRead])
async def list_forms(request: Request, language: Annotated[str, _LANGUAGE]) -> list[KindRead]:
    """The kinds of report, in the order they are offered, with their titles."""
    _ = _translator(request, language)
    return [KindRead(kind=f.kind, title=_(f.title)) for f in request.app.state.forms.values()]


@router.get("/{kind}", response_model=FormRead, responses={404: {"description": "no such form"}})
async def get_form(
    request: Request, kind: str, language: Annotated[str, _LANGUAGE], districts: DistrictsDep
) -> FormRead:
    """A kind's form: the questions to ask, in order, in the user's language."""
    form = _form(request, kind)
    _ = _translator(request, language)
    return FormRead(
        kind=form.kind,
        title=_(form.title),
        collected=_(form.collected),
        steps=[_step(step, _, language, districts) for step in form.asked],
        photo_field=form.photo_field,
        photo_label=_(form.step(form.photo_field).label) if form.photo_field else None,
        story_field=form.story,
        story_label=_(form.step(form.story).label) if form.story else None,
    )


@router.post(
    "/{kind}/answers",
    response_model=AnswerRead,
    responses={404: {"description": "no such form"}},
)
async def read_answer(
    request: Request, kind: str, body: AnswerCreate, districts: DistrictsDep, danger: DangerDep
) -> AnswerRead:
    """Read one answer: the value the report will keep and how it reads, or why it cannot be
    taken (`accepted` false), in the user's language; and whether typed text has danger words
    (accepted or not), as `/safety/check`."""
    reading = _reading(request, kind, body, districts)
    reading.danger_words = body.text is not None and bool(danger.find(body.text))
    return reading


def _reading(
    request: Request, kind: str, body: AnswerCreate, districts: DistrictsDep
) -> AnswerRead:
    form = _form(request, kind)
    _ = _translator(request, body.language)
    step = next(
        (
            s
            for s in form.steps
            # asked, a photo, or the story: a person's own words, typed before the report
            if s.field == body.field
            and (s.asked or s.type is FieldType.PHOTO or s.field == form.story)
        ),
        None,
    )
    if step is None:
        raise Unprocessable(f"{body.field!r} is not a question of this form", code="unknown_field")
    answers: dict[str, Any] = {}
    for name, value in body.answers.items():  # only what a later rule compares
        if name in {s.not_before for s in form.steps}:
            try:
                answers[name] = service.checked_value(form.step(name), value, districts)
            except (ValueError, StopIteration):
                continue
    try:
        value = service.read_answer(
            step,
            text=body.text,
            upload_key=body.upload_key,
            dont_know=body.dont_know,
            answers=answers,
            districts=districts,
            _=_,
            lang=body.language,
        )
    except Invalid as problem:
        story = service.kept_story(form, step, body.text, body.answers)
        if story is not None:
            assert form.story is not None  # a story is kept only in the form's story field
            shown = service.shown(
                form.step(form.story), story, _=_, lang=body.language, districts=districts
            )
            kept = KeptRead(field=form.story, value=story, shown=shown)
            return AnswerRead(
                field=step.field, accepted=False, problem=_(service.STORY_KEPT), kept=kept
            )
        return AnswerRead(field=step.field, accepted=False, problem=problem.explain(_))
    except ValueError as error:  # an upload key of the wrong form
        return AnswerRead(field=step.field, accepted=False, problem=str(error))
    if value is None:
        unknown = service.NOT_SENT if step.type is FieldType.PHOTO else service.DONT_KNOW
        return AnswerRead(field=step.field, accepted=True, value=None, shown=_(unknown))
    text = service.shown(step, value, _=_, lang=body.language, districts=districts)
    return AnswerRead(field=step.field, accepted=True, value=value, shown=text)
