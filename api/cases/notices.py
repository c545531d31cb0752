"""Texts the backend writes for delivery: staff alerts and the frame of staff messages.

Fixed short templates from the catalogs (locales/). Staff alerts carry no personal data:
the reference, the kind, the district and a link to the dashboard."""

from dataclasses import dataclass

from api.cases.districts import Districts
from api.cases.models import Case
from api.forms.declarations import Forms
from api.i18n import N_, Catalogs, Translator

STAFF_ALERT = N_("🚨 Urgent case {reference}: {kind}, {district}.")
NO_DISTRICT = N_("district not given")
STAFF_ALERT_LANGUAGES = ("id", "en")
TO_REPORTER = N_("Message from the helpline about your report {reference}:")
REPLY_BUTTON = N_("↩️ Reply")


@dataclass(frozen=True)
class Notices:
    catalogs: Catalogs
    districts: Districts
    forms: Forms
    staff_chat_id: str | None
    staff_chat_channel: str
    public_url: str

    def case_link(self, case: Case) -> str:
        return f"{self.public_url.rstrip('/')}/staff/cases/{case.reference}"

    def staff_alert(self, case: Case) -> str:
        """The alert for an urgent case, in Indonesian and English, with the dashboard link."""
        lines = []
        for lang in STAFF_ALERT_LANGUAGES:
            _ = self.catalogs.translator(lang)
            district = self.districts.name(case.district) if case.district else _(NO_DISTRICT)
            lines.append(
                _(STAFF_ALERT).format(
                    reference=case.reference, kind=self.kind_name(case.kind, _), district=district
                )
            )
        return "\n".join([*lines, self.case_link(case)])

    def kind_name(self, kind: str, _: Translator) -> str:
        form = self.forms.get(kind)
        return _(form.title) if form else kind

    def to_reporter(self, case: Case, text: str) -> tuple[str, list[list[dict[str, str]]]]:
        """A staff message as the reporter gets it: which report it is about, and a reply button."""
        _ = self.catalogs.translator(case.language)
        heading = _(TO_REPORTER).format(reference=case.reference)
        button = {"label": _(REPLY_BUTTON), "action": "reply_to_case", "case": case.reference}
        return f"{heading}\n\n{text}", [[button]]
