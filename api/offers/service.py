"""The offer checker: which red flags a job offer shows, and how risky it is. Pure, no I/O."""

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from api.agencies.matching import MATCH_SCORE, Match, Registry
from api.offers import companies
from api.offers.amounts import Amount, pay_ratio, too_good
from api.offers.normalize import NormalizedText
from api.offers.rule_files import REGISTRY_FLAG
from api.offers.rules import Combo, FlagRule, OfferRules, Role
from api.offers.schemas import FLAG_IDS, OfferCheckResult, OfferFlag, RegistryReason

SALARY_FLAG = "salary_too_good"
SALARY_WORD_WINDOW = 4  # words allowed between "gaji" and the amount it introduces
MIN_BARE_FEE = 10_000  # a number without currency counts as money from this value
EXCERPT_LIMIT = 160
HEADING_WORDS = 5  # a warning sentence this short ("Awas penipuan!") covers the next one too

PHONE_NUMBER = re.compile(r"(?<!\d)(?:\+\d{2}|0)\d{2,4}(?:[ .-]?\d{2,4}){2,3}(?!\d)")

Span = tuple[int, int]  # first and last word
REASON_OF_RESULT: dict[str, RegistryReason] = {"revoked": "revoked", "suspended": "suspended"}
REASON_ORDER: tuple[RegistryReason, ...] = ("revoked", "suspended", "not_registered")


@dataclass(frozen=True)
class _Unlisted:
    """A company the offer names that the registry does not list as licensed and active."""

    reason: RegistryReason
    company: str
    span: Span


def _registry_match(registry: Registry, words: tuple[str, ...]) -> Match:
    """The best match of a name, or of its start: "PT Sumber Rejeki Abadi Kupang Butuh"."""
    results = [registry.match(" ".join(words[:count])) for count in range(len(words), 0, -1)]
    found = [match for match in results if match.agency is not None]
    if found:
        return max(found, key=lambda match: match.score)
    return max(results, key=lambda match: match.score)


def _unlisted_company(
    text: str, norm: NormalizedText, registry: Registry, warned: set[int]
) -> _Unlisted | None:
    """The most serious finding about the companies the offer names (revoked, suspended,
    not in the registry); none when the registry is empty: nothing to compare with."""
    if not len(registry):
        return None
    starts = [start for start, _ in norm.spans]
    findings = []
    for mention in companies.mentions(text):
        span = (
            max(bisect_right(starts, mention.start) - 1, 0),
            max(bisect_left(starts, mention.end) - 1, 0),
        )
        if norm.sentences[span[0]] in warned:
            continue
        match = _registry_match(registry, mention.words)
        if match.agency is not None and match.result in REASON_OF_RESULT:
            findings.append(_Unlisted(REASON_OF_RESULT[match.result], match.agency.name, span))
        elif match.result == "not_found" or (
            match.result == "ambiguous" and match.score < MATCH_SCORE
        ):
            written = " ".join(text[mention.start : mention.end].split())
            findings.append(_Unlisted("not_registered", written, span))
    return min(findings, key=lambda f: (REASON_ORDER.index(f.reason), f.span), default=None)


@dataclass
class _Found:
    """Everything the automaton, the patterns and the amount reader found in one offer."""

    triggers: dict[str, list[Span]] = field(default_factory=lambda: defaultdict(list))
    terms: dict[tuple[str, int], list[tuple[int, int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    unless_before: dict[str, list[Span]] = field(default_factory=lambda: defaultdict(list))
    unless_after: dict[str, list[Span]] = field(default_factory=lambda: defaultdict(list))
    salary_words: list[Span] = field(default_factory=list)
    no_skill: bool = False
    range_words: set[int] = field(default_factory=set)
    periods: list[tuple[int, int, str]] = field(default_factory=list)
    destinations: list[tuple[int, int, str]] = field(default_factory=list)
    jobs: list[tuple[int, int, str]] = field(default_factory=list)
    recruiting: bool = False  # detection.recruiting: "lowongan", "dicari", "hiring"
    offer_detail: bool = False  # detection.details: pay, contact or departure words


def _scan(rules: OfferRules, norm: NormalizedText) -> _Found:
    found = _Found()
    text = norm.text
    for end, (length, entries) in rules.automaton.iter(text):
        start = end - length + 1
        first = norm.word_at(start + 1 if text[start] == " " else start)
        last = norm.word_at(end - 1 if text[end] == " " else end)
        for entry in entries:
            role = entry.role
            if role == Role.TRIGGER:
                found.triggers[entry.name].append((first, last))
            elif role == Role.TERM:
                found.terms[entry.name, entry.combo].append((first, last, entry.group))
            elif role == Role.UNLESS_BEFORE:
                found.unless_before[entry.name].append((first, last))
            elif role == Role.UNLESS_AFTER:
                found.unless_after[entry.name].append((first, last))
            elif role == Role.SALARY:
                found.salary_words.append((first, last))
            elif role == Role.NO_SKILL:
                found.no_skill = True
            elif role == Role.PERIOD:
                found.periods.append((first, last, entry.name))
            elif role == Role.DESTINATION:
                found.destinations.append((first, last, entry.name))
            elif role == Role.JOB:
                found.jobs.append((first, last, entry.name))
            elif role == Role.RANGE:
                found.range_words.update(range(first, last + 1))
            elif role == Role.RECRUITING:
                found.recruiting = True
            elif role == Role.OFFER_DETAIL:
                found.offer_detail = True
    for rule in (*rules.flags.values(), rules.warning):
        if rule.pattern is not None:
            for match in rule.pattern.finditer(text):
                if not match.group().strip():
                    continue
                first = norm.word_at(match.start() + (text[match.start()] == " "))
                last = norm.word_at(max(match.end() - 1 - (text[match.end() - 1] == " "), 0))
                found.triggers[rule.id].append((first, last))
    return found


def _amount_words(starts: list[int], ends: list[int], amount: Amount) -> Span | None:
    first = bisect_right(ends, amount.start)
    last = bisect_left(starts, amount.end) - 1
    return (first, last) if first <= last else None


def _nearest(places: list[tuple[int, int, str]], span: Span) -> str | None:
    """The name of the place (or job) mentioned closest to `span`; `places` sorted."""
    index = bisect_left(places, (span[0],))
    best = None
    for first, last, name in places[max(index - 2, 0) : index + 2]:
        distance = max(first - span[1], span[0] - last, 0)
        if best is None or distance < best[0]:
            best = (distance, name)
    return best[1] if best else None


def _specific(places: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop place names inside longer ones ("arab" inside "uni emirat arab")."""
    kept = []
    reach = -1
    for place in sorted(places, key=lambda place: (place[0], -place[1])):
        if place[1] > reach:
            kept.append(place)
            reach = place[1]
    return kept


def _read_amounts(rules: OfferRules, norm: NormalizedText, text: str, found: _Found) -> None:
    """Judge promised pay (salary_too_good) and mark other amounts as `@amount` terms."""
    salary_ends = sorted(last for _, last in found.salary_words)
    destinations = _specific(found.destinations)
    jobs = sorted(found.jobs)
    period_at = {first: name for first, _, name in found.periods}  # "8jt / bulan"
    previous_salary: Span | None = None
    used_cue = -1
    money: list[Span] = []
    starts = [start for start, _ in norm.spans]
    ends = [end for _, end in norm.spans]
    amounts = rules.amounts.read(text)
    # an offer that names no place but pays in a destination's currency is for that place,
    # its rupiah too ("NT$28.590 atau setara Rp15.569.099")
    paid_in = next(
        (
            home
            for amount in amounts
            if amount.currency not in (None, "$", rules.wages.default_currency)
            and (home := rules.wages.home_of(amount.currency)) is not None
        ),
        None,
    )
    for amount in amounts:
        span = _amount_words(starts, ends, amount)
        if span is None:
            continue
        cue = bisect_left(salary_ends, span[0]) - 1
        cue_end = salary_ends[cue] if cue > used_cue else None
        period = period_at.get(span[1] + 1)
        salary = (cue_end is not None and span[0] - cue_end - 1 <= SALARY_WORD_WINDOW) or (
            period is not None
        )
        if not salary and previous_salary and not amount.bare:
            between = range(previous_salary[1] + 1, span[0])
            salary = all(word in found.range_words for word in between)
        if not salary:
            if not amount.bare or amount.value >= MIN_BARE_FEE:
                money.append(span)
            continue
        previous_salary = span
        used_cue = max(used_cue, cue)
        ratio = pay_ratio(
            rules.wages,
            amount,
            destination=_nearest(destinations, span) or paid_in,
            job=_nearest(jobs, span),
            period=period,
        )
        if ratio is not None and too_good(rules.wages, ratio, no_skill=found.no_skill):
            start = cue_end if cue_end is not None and span[0] - cue_end <= 3 else span[0]
            found.triggers[SALARY_FLAG].append((min(start, span[0]), span[1]))
    if money:
        for flag_id, rule in rules.flags.items():
            for number, combo in enumerate(rule.combos):
                for group in combo.amount_groups:
                    found.terms[flag_id, number].extend((s, e, group) for s, e in money)


def _combo_spans(
    hits: list[tuple[int, int, int]], combo: Combo, sentences: tuple[int, ...]
) -> list[Span]:
    """Spans where one term of each group occurs, close together, in one sentence (or clause:
    then `sentences` holds clause numbers)."""
    hits = sorted(hits)
    counts = [0] * combo.groups
    covered = left = 0
    spans = []
    for right, (start, _, group) in enumerate(hits):
        if sentences[start] != sentences[hits[left][0]]:
            counts = [0] * combo.groups
            covered, left = 0, right
        covered += counts[group] == 0
        counts[group] += 1
        while left < right and (
            counts[hits[left][2]] > 1 or start - hits[left][1] - 1 > combo.within
        ):
            counts[hits[left][2]] -= 1
            covered -= counts[hits[left][2]] == 0
            left += 1
        if covered == combo.groups:
            spans.append((hits[left][0], max(hit[1] for hit in hits[left : right + 1])))
    return spans


def _kept(rule: FlagRule, spans: list[Span], found: _Found, clauses: tuple[int, ...]) -> list[Span]:
    """Hits that no negation or legal context (`unless_*`) cancels: an `unless_before` phrase
    from `window_before` words before the hit to its end, or an `unless_after` phrase from its
    start to `window_after` words after it, in the same clause."""
    before = sorted(found.unless_before.get(rule.id, ()))
    after = sorted(found.unless_after.get(rule.id, ()))
    if not before and not after:
        return spans
    before_starts = [first for first, _ in before]
    reach: list[int] = []  # the furthest end among `before` hits starting at or before each one
    for _, last in before:
        reach.append(max(last, reach[-1]) if reach else last)
    after_starts = [first for first, _ in after]
    kept = []
    for first, last in spans:
        index = bisect_right(before_starts, last) - 1
        if index >= 0:
            end = reach[index]
            if end >= first - rule.window_before and (
                end >= first or clauses[end] == clauses[first]
            ):
                continue
        index = bisect_left(after_starts, first)
        if index < len(after_starts):
            start = after_starts[index]
            if start <= last + rule.window_after and (
                start <= last or clauses[start] == clauses[last]
            ):
                continue
        kept.append((first, last))
    return kept


def _hits(rule: FlagRule, found: _Found, norm: NormalizedText) -> list[Span]:
    spans = list(found.triggers.get(rule.id, ()))
    for number, combo in enumerate(rule.combos):
        terms = found.terms.get((rule.id, number))
        if terms:
            scope = norm.clauses if combo.clause else norm.sentences
            spans.extend(_combo_spans(terms, combo, scope))
    return _kept(rule, spans, found, norm.clauses)


def _excerpt(text: str, norm: NormalizedText, span: Span) -> str:
    start, end = norm.original_span(*span)
    excerpt = " ".join(text[start:end].split())
    return excerpt if len(excerpt) <= EXCERPT_LIMIT else excerpt[: EXCERPT_LIMIT - 1] + "…"


def _warned_sentences(warnings: list[Span], norm: NormalizedText) -> set[int]:
    """Sentences that warn about scams, and so only quote scam phrases: those with a warning,
    the one after a short warning heading, and every sentence of a text that warns twice."""
    warned = {norm.sentences[first] for first, _ in warnings}
    if len(warned) > 1:
        return set(norm.sentences)
    for sentence in list(warned):
        if norm.sentences.count(sentence) <= HEADING_WORDS:
            warned.add(sentence + 1)
    return warned


def risk_of(flag_ids: set[str], rules: OfferRules) -> str:
    """The risk rule of shared/spec/offer-flags.md, with each flag's risk from the content."""
    if len(flag_ids) >= rules.high_risk_count or any(
        rules.flags[flag_id].risk == "high" for flag_id in flag_ids
    ):
        return "high"
    return "medium" if flag_ids else "low"


def _translated(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts["id"]


def looks_like_offer(text: str, rules: OfferRules) -> bool:
    """A message that recruits and says something of pay, contact or departure.

    A number of money or a phone number counts as pay or contact."""
    text = text[: rules.max_chars]
    norm = rules.normalizer.normalize(text)
    if not norm.word_starts:
        return False
    found = _scan(rules, norm)
    if not found.recruiting:
        return False
    if found.offer_detail or PHONE_NUMBER.search(text):
        return True
    return any(
        not amount.bare or amount.value >= MIN_BARE_FEE
        for amount in rules.amounts.read(norm.compact)
    )


def check(
    text: str, lang: str, rules: OfferRules, *, registry: Registry | None = None
) -> OfferCheckResult:
    """Check a job offer for red flags; labels and advice are in `lang` (else Indonesian).

    With the `registry` of licensed placement companies, a company the offer names that is
    not in it, or is suspended or revoked there, raises `unlicensed_recruiter`."""
    truncated = len(text) > rules.max_chars
    text = text[: rules.max_chars]
    norm = rules.normalizer.normalize(text)
    if not norm.word_starts:
        return _result(rules, text, norm, {}, lang, truncated)
    found = _scan(rules, norm)
    _read_amounts(rules, norm, norm.compact, found)
    warned = _warned_sentences(_hits(rules.warning, found, norm), norm)
    firsts: dict[str, Span] = {}
    candidates = set(found.triggers) | {flag_id for flag_id, _ in found.terms}
    for flag_id in candidates & rules.flags.keys():
        rule = rules.flags[flag_id]
        spans = [
            span
            for span in _hits(rule, found, norm)
            if norm.sentences[span[0]] not in warned and norm.sentences[span[1]] not in warned
        ]
        if spans:
            firsts[flag_id] = min(spans)
    unlisted = _unlisted_company(text, norm, registry, warned) if registry else None
    if unlisted is not None:
        firsts.setdefault(REGISTRY_FLAG, unlisted.span)
    return _result(rules, text, norm, firsts, lang, truncated, unlisted)


def _result(
    rules: OfferRules,
    text: str,
    norm: NormalizedText,
    firsts: dict[str, Span],
    lang: str,
    truncated: bool,
    unlisted: _Unlisted | None = None,
) -> OfferCheckResult:
    order = sorted(
        firsts, key=lambda f: (rules.flags[f].risk != "high", firsts[f], FLAG_IDS.index(f))
    )
    risk = risk_of(set(firsts), rules)
    flags = []
    for flag_id in order:
        rule = rules.flags[flag_id]
        flag = OfferFlag(
            id=flag_id,
            label=_translated(rule.label, lang),
            advice=_translated(rule.advice, lang),
            excerpt=_excerpt(text, norm, firsts[flag_id]),
        )
        if flag_id == REGISTRY_FLAG and unlisted is not None:
            why = _translated(rule.registry_advice[unlisted.reason], lang)
            flag.advice = why.replace("{company}", unlisted.company) + " " + flag.advice
            flag.reason, flag.company = unlisted.reason, unlisted.company
        flags.append(flag)
    return OfferCheckResult(
        risk=risk,
        flags=flags,
        advice=_translated(rules.advice[risk], lang),
        truncated=truncated,
    )
