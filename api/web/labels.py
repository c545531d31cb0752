"""The words the case pages show for the domain's codes (kinds, statuses, events, ...), and a
report's details as labelled lines in the staff member's language."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from babel import Locale
from babel.dates import format_timedelta

from api.cases.districts import Districts
from api.cases.models import (
    CaseStatus,
    DeliveryStatus,
    EventKind,
    Priority,
    Referral,
)
from api.cases.schemas import WITA
from api.db import as_utc
from api.forms.declarations import FieldType, Form, Forms, Step
from api.forms.service import shown
from api.i18n import N_, Translator
from api.offers.rules import OfferRules

STATUSES = {
    CaseStatus.NEW: N_("New"),
    CaseStatus.TRIAGED: N_("Triaged"),
    CaseStatus.IN_PROGRESS: N_("In progress"),
    CaseStatus.REFERRED: N_("Referred"),
    CaseStatus.CLOSED: N_("Closed"),
}
PRIORITIES = {
    Priority.URGENT: N_("Urgent"),
    Priority.HIGH: N_("High"),
    Priority.NORMAL: N_("Normal"),
    Priority.LOW: N_("Low"),
}
REFERRALS = {
    Referral.POLICE: N_("Police"),
    Referral.BP3MI: N_("KP2MI / BP3MI NTT"),
    Referral.MANPOWER_OFFICE: N_("District manpower office"),
    Referral.EMBASSY: N_("Embassy or consulate"),
    Referral.PPA_UNIT: N_("Women and children protection unit (PPA)"),
    Referral.SHELTER: N_("Shelter"),
    Referral.LPSK: N_("LPSK (witness and victim protection)"),
    Referral.OTHER: N_("Other"),
}
EVENTS = {
    EventKind.OPENED: N_("Report received"),
    EventKind.ASSIGNED: N_("Assigned"),
    EventKind.STATUS_CHANGED: N_("Status changed"),
    EventKind.REFERRED: N_("Referred"),
    EventKind.PRIORITY_CHANGED: N_("Priority changed"),
    EventKind.NOTE: N_("Internal note"),
    EventKind.MESSAGE_TO_REPORTER: N_("Message to the reporter"),
    EventKind.REPORTER_MESSAGE: N_("Message from the reporter"),
    EventKind.REOPENED: N_("Reopened"),
    EventKind.CLOSED: N_("Closed"),
    EventKind.ERASED: N_("The reporter deleted their data"),
}
DELIVERY = {
    DeliveryStatus.PENDING: N_("waiting to be sent"),
    DeliveryStatus.DELIVERED: N_("delivered"),
    DeliveryStatus.FAILED: N_("not delivered: Telegram refused the message"),
    DeliveryStatus.BLOCKED: N_("not delivered: the reporter blocked the bot"),
    DeliveryStatus.UNREACHABLE: N_("not delivered: Telegram no longer knows the reporter's chat"),
}


def local_time(moment: datetime) -> str:
    """A time in NTT's time (WITA), to the minute."""
    return as_utc(moment).astimezone(WITA).strftime("%Y-%m-%d %H:%M")


def elapsed(since: datetime | None, now: datetime, lang: str) -> str:
    """How long ago, briefly ("3 hr", "2 hr" in English; "3 j" in Indonesian)."""
    if since is None:
        return ""
    return format_timedelta(now - as_utc(since), format="short", locale=lang)


def country_name(code: str | None, lang: str) -> str:
    if not code:
        return ""
    return Locale.parse(lang).territories.get(code, code)


def kinds(forms: Forms) -> dict[str, str]:
    """The kinds of report and their titles (message ids: "Missing relative"), in order."""
    return {kind: form.title for kind, form in forms.items()}


def detail_rows(
    form: Form | None,
    details: dict[str, Any],
    *,
    _: Translator,
    lang: str,
    districts: Districts,
    offer_rules: OfferRules,
    only: Callable[[Step], bool] = lambda step: True,
) -> list[tuple[str, str]]:
    """The details as (label, text) lines, in the order the form asks them; unanswered ones
    (and the steps `only` leaves out) left out. Values are plain text: the template escapes
    them."""
    if form is None:
        return []
    rows = []
    for step in form.steps:
        value = details.get(step.field)
        if not only(step) or step.type is FieldType.PHOTO or value in (None, "", []):
            continue
        if step.type is FieldType.FLAGS:
            text = ", ".join(
                offer_rules.flags[flag].label.get(lang, flag) if flag in offer_rules.flags else flag
                for flag in value
            )
        else:
            text = shown(step, value, _=_, lang=lang, districts=districts, long=True)
        rows.append((_(step.shown_to_staff), text))
    return rows
