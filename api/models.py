"""Every table, imported in one place so that Alembic sees the whole schema."""

from api.answers.models import AnswerFeedback
from api.db import Base
from api.offers.models import OfferCheckDay, OfferFlagDay
from api.reporters.models import Reporter

__all__ = ["AnswerFeedback", "Base", "OfferCheckDay", "OfferFlagDay", "Reporter"]
