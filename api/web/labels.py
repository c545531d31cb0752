"""The words the case pages show for the domain's codes (kinds, statuses, events, ...), and a
report's details as labelled lines in the staff member's language."""

from datetime import date, datetime
from typing import Any

from babel import Locale
from babel.dates import format_date, format_timedelta

from api.cases.districts import Districts
from api.cases.models import (
    CaseKind,
    CaseStatus,
    DeliveryStatus,
    DetailsModel,
    EventKind,
    Priority,
    Referral,
)
from api.cases.schemas import WITA
from api.db import as_utc
from api.i18n import N_, Translator
from api.offers.rules import OfferRules

KINDS = {
    CaseKind.OFFER: N_("Suspicious job offer"),
    CaseKind.DANGER: N_("Someone in danger"),
    CaseKind.MISSING: N_("Missing relative"),
    CaseKind.QUESTION: N_("Question for a caseworker"),
}
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
CHOICES = {  # answers given with buttons in the bot
    "sex": {"female": N_("Female"), "male": N_("Male")},
    "seen_where": {
        "whatsapp": N_("WhatsApp"),
        "facebook": N_("Facebook"),
        "tiktok": N_("TikTok"),
        "instagram": N_("Instagram"),
        "person": N_("A person"),
        "other": N_("Other"),
    },
    "reporter_relationship": {
        "parent": N_("Parent"),
        "child": N_("Child"),
        "spouse": N_("Husband or wife"),
        "sibling": N_("Brother or sister"),
        "relative": N_("Other relative"),
        "friend": N_("Friend"),
        "other": N_("Other"),
    },
}
FIELDS = {
    CaseKind.OFFER: {
        "offer_text": N_("The offer"),
        "flags": N_("Red flags found"),
        "seen_where": N_("Seen on"),
        "recruiter_name": N_("Recruiter"),
        "recruiter_phone": N_("Recruiter's phone"),
        "village": N_("Village"),
    },
    CaseKind.DANGER: {
        "what_happens": N_("What is happening"),
        "danger_now": N_("In danger now"),
        "country": N_("Country"),
        "city": N_("City"),
        "employer": N_("Employer"),
        "since_when": N_("Since when"),
        "contact": N_("How to reach them"),
    },
    CaseKind.MISSING: {
        "name": N_("Name"),
        "sex": N_("Sex"),
        "age": N_("Age"),
        "birth_date": N_("Date of birth"),
        "home_district": N_("Home district"),
        "village": N_("Village"),
        "destination_country": N_("Destination country"),
        "destination_city": N_("Destination city"),
        "left_on": N_("Left home on"),
        "last_contact_on": N_("Last contact"),
        "recruiter": N_("Recruited by"),
        "employer": N_("Employer"),
        "passport_number": N_("Passport number"),
        "reporter_name": N_("Reported by"),
        "reporter_relationship": N_("Relationship"),
        "reporter_phone": N_("Reporter's phone"),
    },
    CaseKind.QUESTION: {"question": N_("Question"), "topic": N_("Topic")},
}
COUNTRY_FIELDS = ("country", "destination_country")
DISTRICT_FIELDS = ("home_district",)
YES, NO = N_("Yes"), N_("No")


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


def detail_rows(
    kind: CaseKind,
    details: DetailsModel | None,
    *,
    _: Translator,
    lang: str,
    districts: Districts,
    offer_rules: OfferRules,
    leave_out: tuple[str, ...] = (),
) -> list[tuple[str, str]]:
    """The details as (label, text) lines, in the order the bot asks them; blank ones (and
    the fields of `leave_out`) left out. Values are plain text: the template escapes them."""
    if details is None:
        return []
    rows = []
    for field, label in FIELDS[kind].items():
        value: Any = getattr(details, field)
        if field in leave_out or value is None or value == "" or value == []:
            continue
        if field == "flags":
            text = ", ".join(
                offer_rules.flags[flag].label.get(lang, flag) if flag in offer_rules.flags else flag
                for flag in value
            )
        elif field in CHOICES:
            text = _(CHOICES[field][value]) if value in CHOICES[field] else value
        elif field in COUNTRY_FIELDS:
            text = country_name(value, lang)
        elif field in DISTRICT_FIELDS:
            text = districts.name(value)
        elif isinstance(value, bool):
            text = _(YES) if value else _(NO)
        elif isinstance(value, date):
            text = format_date(value, format="medium", locale=lang)
        else:
            text = str(value)
        rows.append((_(label), text))
    return rows
