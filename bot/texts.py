"""Words the bot shows that are the program's own (not curated answers): all from catalogs."""

from api.i18n import N_

MENU_ASK = N_("❓ Ask a question")
MENU_OFFER = N_("🔎 Check a job offer")
MENU_REPORT = N_("📝 Report")
MENU_HOTLINE = N_("🆘 Emergency contacts")
MENU_LANGUAGE = N_("🌐 Language")
MENU_AGENCY = N_("🏢 Check a recruiter")
MENU_LAYOUT = [[MENU_ASK, MENU_OFFER], [MENU_REPORT, MENU_HOTLINE], [MENU_AGENCY, MENU_LANGUAGE]]

COMMANDS = [
    ("start", N_("Start and choose your language")),
    ("help", N_("What this helpline can do")),
    ("hotline", N_("Emergency and help contacts")),
    ("privacy", N_("What we keep about you, and deleting it")),
    ("language", N_("Change the language")),
    ("mycases", N_("Your reports and the caseworkers' messages")),
    ("cancel", N_("Stop the report you are making")),
    ("subscribe", N_("Safe-migration news for your district")),
    ("stop", N_("Stop the safe-migration news")),
]
