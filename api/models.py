"""Every table, imported in one place so that Alembic sees the whole schema."""

from api.agencies.models import Agency
from api.answers.models import AnswerFeedback
from api.audit.models import AuditEntry
from api.campaigns.models import Campaign
from api.cases.models import (
    Case,
    CaseEvent,
    CaseMessage,
)
from api.conversations.models import ConversationState
from api.db import Base
from api.offers.models import OfferCheckDay, OfferFlagDay
from api.outbox.models import OutboxMessage
from api.reporters.models import Reporter
from api.reviews.models import ContentReview
from api.staff.models import LoginFailure, Staff, StaffSession

# Indexes the migrations make on PostgreSQL only, of a kind SQLite does not have: the trigram
# index on `cases.search_text` (pg_trgm) that serves the staff queue's text search.
POSTGRESQL_ONLY_INDEXES = frozenset({"ix_cases_search_text_trgm"})


def include_object(
    object_: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter when comparing the database with the models: leaves out the
    PostgreSQL-only indexes, which the models cannot declare for both databases."""
    return not (type_ == "index" and name in POSTGRESQL_ONLY_INDEXES)


__all__ = [
    "Agency",
    "AnswerFeedback",
    "AuditEntry",
    "LoginFailure",
    "Base",
    "Campaign",
    "ConversationState",
    "ContentReview",
    "Case",
    "CaseEvent",
    "CaseMessage",
    "OfferCheckDay",
    "OfferFlagDay",
    "OutboxMessage",
    "Reporter",
    "Staff",
    "StaffSession",
    "include_object",
]
