"""The case workflow, in one place: which status changes are allowed and what each needs.

new -> triaged -> in_progress -> referred -> closed
new -> in_progress, triaged -> referred, referred -> in_progress
any status but closed -> closed (needs a resolution)
-> referred needs a referral target
closed -> in_progress only as a reopening, with a reason
"""

from api.cases.models import CaseStatus, EventKind, Referral
from api.errors import Conflict, Unprocessable

NEW, TRIAGED, IN_PROGRESS, REFERRED, CLOSED = CaseStatus

ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    NEW: frozenset({TRIAGED, IN_PROGRESS, CLOSED}),
    TRIAGED: frozenset({IN_PROGRESS, REFERRED, CLOSED}),
    IN_PROGRESS: frozenset({REFERRED, CLOSED}),
    REFERRED: frozenset({IN_PROGRESS, CLOSED}),
    CLOSED: frozenset({IN_PROGRESS}),
}


def check(
    current: CaseStatus,
    to: CaseStatus,
    *,
    reason: str | None = None,
    referral: Referral | None = None,
    resolution: str | None = None,
) -> EventKind:
    """The timeline event of a status change, or the DomainError that refuses it."""
    if to not in ALLOWED[current]:
        raise Conflict(f"a case cannot go from {current} to {to}", code="invalid_transition")
    if current == CLOSED:
        if not (reason and reason.strip()):
            raise Unprocessable("reopening a closed case needs a reason", code="reason_required")
        return EventKind.REOPENED
    if to == REFERRED:
        if referral is None:
            targets = ", ".join(Referral)
            raise Unprocessable(
                f"referring a case needs a referral target ({targets})",
                code="referral_required",
            )
        return EventKind.REFERRED
    if to == CLOSED:
        if not (resolution and resolution.strip()):
            raise Unprocessable("closing a case needs a resolution", code="resolution_required")
        return EventKind.CLOSED
    return EventKind.STATUS_CHANGED
