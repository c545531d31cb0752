"""The missing-person sheet: a printable page about one missing relative (photo, details,
reference, whom to contact) to share with the police or an embassy.

The contacts are verified entries of content/contacts.yaml; the reporter's own name and
phone are left out (the office is the contact)."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.answers.content import Contact
from api.db import SessionDep
from api.errors import NotFound
from api.web import labels
from api.web.auth import WebStaff
from api.web.case_page import CaseRefused, WebCaseDetail
from api.web.pages import language, render

router = APIRouter(prefix="/staff/cases", include_in_schema=False)

# Whom the sheet asks people to contact, in this order (only those verified are shown).
SHEET_CONTACTS = ("iom_indonesia", "kp2mi_call_centre", "police_110")


def _contact(contact: Contact, lang: str) -> dict[str, object]:
    def pick(texts: dict[str, str]) -> str:
        return texts.get(lang) or texts.get("id") or ""

    return {
        "name": pick(contact.name),
        "phone": contact.phone,
        "whatsapp": contact.whatsapp,
        "website": contact.website,
        "email": contact.email,
        "note": pick(contact.note),
    }


@router.get("/{reference}/sheet")
async def missing_person_sheet(
    request: Request, session: SessionDep, staff: WebStaff, case: WebCaseDetail
) -> Response:
    form = request.app.state.forms.get(case.kind)
    if form is None or form.sheet is None:
        raise CaseRefused(
            NotFound("only a missing-person case has a sheet", code="no_sheet"), staff
        )
    lang = language(request)
    contacts = request.app.state.content.contacts
    shown = labels.detail_rows(
        form,
        case.details,
        _=request.app.state.catalogs.translator(lang),
        lang=lang,
        districts=request.app.state.districts,
        offer_rules=request.app.state.offer_rules,
        only=lambda step: step.on_sheet,
    )
    return render(
        request,
        "sheet.html",
        staff=staff,
        case=case,
        name=case.details.get(form.sheet.heading),
        details=shown,
        has_photo=bool(form.sheet.photo and case.details.get(form.sheet.photo)),
        contacts=[
            _contact(contacts[key], lang)
            for key in SHEET_CONTACTS
            if key in contacts and contacts[key].verified
        ],
    )
