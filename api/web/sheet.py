"""The missing-person sheet: a printable page about one missing relative (photo, details,
reference, whom to contact) to share with the police or an embassy.

The contacts are verified entries of content/contacts.yaml; the reporter's own name and
phone are left out (the office is the contact)."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.answers.content import Contact
from api.cases import service
from api.cases.models import CaseKind
from api.db import SessionDep
from api.errors import NotFound
from api.web import labels
from api.web.auth import WebStaff
from api.web.case_page import CaseRefused, WebCaseDetail
from api.web.pages import language, render

router = APIRouter(prefix="/staff/cases", include_in_schema=False)

# Whom the sheet asks people to contact, in this order (only those verified are shown).
SHEET_CONTACTS = ("iom_indonesia", "kp2mi_call_centre", "police_110")
# The name is the sheet's heading; the reporter is reached through the office.
LEFT_OUT = ("name", "reporter_name", "reporter_relationship", "reporter_phone")


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
    if case.kind != CaseKind.MISSING:
        raise CaseRefused(
            NotFound("only a missing-person case has a sheet", code="no_sheet"), staff
        )
    lang = language(request)
    details = await service.get_details(session, case)
    contacts = request.app.state.content.contacts
    shown = labels.detail_rows(
        case.kind,
        details,
        _=request.app.state.catalogs.translator(lang),
        lang=lang,
        districts=request.app.state.districts,
        offer_rules=request.app.state.offer_rules,
        leave_out=LEFT_OUT,
    )
    return render(
        request,
        "sheet.html",
        staff=staff,
        case=case,
        name=getattr(details, "name", None),
        details=shown,
        has_photo=bool(getattr(details, "photo_key", None)),
        contacts=[
            _contact(contacts[key], lang)
            for key in SHEET_CONTACTS
            if key in contacts and contacts[key].verified
        ],
    )
