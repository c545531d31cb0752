"""Refusals shown on dashboard pages: validation errors by field, domain errors by their code,
in the staff member's language (the domain speaks in codes; this adapter turns them into words)."""

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import FormData

from api.errors import DomainError
from api.i18n import N_, Translator
from api.web.pages import language

# Pydantic's error types (and our own custom ones) as sentences for people.
VALIDATION_MESSAGES = {
    "missing": N_("Fill in this field."),
    "string_too_short": N_("Fill in this field."),
    "string_too_long": N_("This is too long: at most {max_length} characters."),
    "password_too_short": N_("The password must have at least {min_length} characters."),
    "password_too_common": N_(
        "This password is too common or too easy to guess: use a few unrelated words."
    ),
    "username_invalid": N_(
        "Use 2 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit."
    ),
    "enum": N_("Choose one of the listed options."),
    "literal_error": N_("Choose one of the listed options."),
    "int_parsing": N_("Enter a whole number."),
    "greater_than_equal": N_("Enter a number of at least {ge}."),
    "less_than_equal": N_("Enter a number of at most {le}."),
    "date_from_datetime_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_out_of_range": N_("Enter a date between the years 2000 and 2999."),
    "day_range": N_("The first day must not be after the last day."),
}

# Domain error codes the dashboard's pages can meet.
REFUSALS = {
    "username_taken": N_("This username is taken: choose another one."),
    "last_admin": N_("This is the last active admin: make another member admin first."),
    "staff_not_found": N_("There is no such staff member."),
    "translation_not_found": N_("This translation does not exist."),
    "already_reviewed": N_("This translation is already marked reviewed in the content files."),
    "text_changed": N_(
        "The text has changed since this page was opened: read it again, then mark it."
    ),
    "case_not_found": N_("There is no case with this reference."),
    "not_your_case": N_(
        "This case is assigned to another agent: only they and supervisors can open it."
    ),
    "no_photo": N_("This case has no photo."),
    "no_sheet": N_("Only a missing-person case has a printable sheet."),
    "take_only": N_("An agent can only take an unassigned case for themselves."),
    "case_taken": N_("Another agent has just taken this case."),
    "unknown_staff": N_("This staff member does not exist or is disabled."),
    "invalid_transition": N_("The case cannot move to this status from where it is now."),
    "reason_required": N_("Write why the case is reopened."),
    "referral_required": N_("Choose where the case is referred."),
    "resolution_required": N_("Write how the case ended: closing needs a resolution."),
    "reporter_erased": N_("The reporter deleted their data: they can no longer be messaged."),
}


def translator(request: Request) -> Translator:
    return request.app.state.catalogs.translator(language(request))


def form_text(form: FormData, name: str) -> str:
    """A text field of a posted form; missing fields (and files) are empty."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def field_errors(error: ValidationError, _: Translator) -> dict[str, str]:
    """The first message for each field of the form that was refused."""
    messages: dict[str, str] = {}
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else "form"
        known = VALIDATION_MESSAGES.get(problem["type"])
        text = _(known).format(**problem.get("ctx", {})) if known else problem["msg"]
        messages.setdefault(field, text)
    return messages


def refusal(error: DomainError, _: Translator) -> str:
    known = REFUSALS.get(error.code)
    return _(known) if known else error.message
