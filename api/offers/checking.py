"""Checking a message as a job offer and counting the check: what the offer routes and the
answers route (a typed message that looks like an offer is checked as well) share."""

from sqlalchemy.ext.asyncio import AsyncSession

from api.agencies.service import RegistryCache
from api.offers import counts, service
from api.offers.rules import OfferRules
from api.offers.schemas import OfferCheckResult


async def check_counted(
    session: AsyncSession, text: str, lang: str, rules: OfferRules, agencies: RegistryCache
) -> OfferCheckResult:
    """The check against the registry of licensed companies, counted for the statistics."""
    result = service.check(text, lang, rules, registry=await agencies.get(session))
    await counts.record(session, result, lang=lang)
    return result


async def check_if_offer(
    session: AsyncSession,
    text: str,
    lang: str,
    rules: OfferRules,
    agencies: RegistryCache,
    *,
    topic: str | None = None,
) -> OfferCheckResult | None:
    """The counted check of a message that looks like a job offer, else None (nothing read
    from the database and nothing counted). A message read as `topic` is not checked when
    the offer rules say that topic tells what happened (`detection.not_for_topics`)."""
    if topic in rules.not_for_topics or not service.looks_like_offer(text, rules):
        return None
    return await check_counted(session, text, lang, rules, agencies)
