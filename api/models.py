"""Every table, imported in one place so that Alembic sees the whole schema."""

from api.answers.models import AnswerFeedback
from api.audit.models import AuditEntry
from api.cases.models import (
    Case,
    CaseEvent,
    CaseMessage,
    DangerReport,
    MissingReport,
    OfferReport,
    QuestionReport,
)
from api.conversations.models import ConversationState
from api.db import Base
from api.offers.models import OfferCheckDay, OfferFlagDay
from api.outbox.models import OutboxMessage
from api.reporters.models import Reporter
from api.reviews.models import ContentReview
from api.staff.models import Staff, StaffSession

__all__ = [
    "AnswerFeedback",
    "AuditEntry",
    "Base",
    "ConversationState",
    "ContentReview",
    "Case",
    "CaseEvent",
    "CaseMessage",
    "DangerReport",
    "MissingReport",
    "OfferCheckDay",
    "OfferFlagDay",
    "OfferReport",
    "OutboxMessage",
    "QuestionReport",
    "Reporter",
    "Staff",
    "StaffSession",
]
