"""Offer checker speed: offers checked per second on one core, and p99 latency, over the dev
offers, against a naive baseline run in the same process (every phrase and pattern of the
rules as its own regular expression, tried in turn on the lower-cased offer).

Run: .venv/bin/python bench/bench_offers.py [--seconds 1.0] [--runs 5]
"""

import argparse
import json
import os
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from api.offers import rules as offer_rules
from api.offers import service
from api.offers.rules import OfferRules

ROOT = Path(__file__).resolve().parents[1]
DEV_OFFERS = ROOT.parent / "shared" / "eval" / "offers-dev.jsonl"


def naive_checker(rules: OfferRules) -> Callable[[str], set[str]]:
    """The same phrases and patterns, each compiled alone and searched in turn."""
    checks: list[tuple[re.Pattern[str], str]] = []
    for key, (_, entries) in rules.automaton.items():
        words = r"\s+".join(re.escape(word) for word in key.split())
        left = r"\b" if key.startswith(" ") else ""
        right = r"\b" if key.endswith(" ") else ""
        for entry in entries:
            checks.append((re.compile(left + words + right), entry.name))
    for rule in rules.flags.values():
        checks += [(re.compile(pattern), rule.id) for pattern in rule.patterns]

    def check(text: str) -> set[str]:
        lowered = text[: rules.max_chars].lower()
        return {name for pattern, name in checks if pattern.search(lowered)}

    print(f"naive baseline: {len(checks)} regular expressions")
    return check


def throughput(check: Callable[[str], object], offers: list[str], seconds: float) -> float:
    """Offers per second, checking the offers in turn for about `seconds`."""
    done = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for offer in offers:
            check(offer)
        done += len(offers)
    return done / elapsed


def p99_latency(check: Callable[[str], object], offers: list[str], rounds: int) -> float:
    """99th percentile of the time one check takes, in microseconds."""
    times = []
    for _ in range(rounds):
        for offer in offers:
            start = time.perf_counter_ns()
            check(offer)
            times.append(time.perf_counter_ns() - start)
    return statistics.quantiles(times, n=100)[98] / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one run")
    parser.add_argument("--runs", type=int, default=5, help="runs; the median is reported")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rules = offer_rules.load(ROOT / "content")
    offers = [json.loads(line)["text"] for line in DEV_OFFERS.read_text().splitlines() if line]

    def engine(text: str) -> object:
        return service.check(text, "id", rules)

    naive = naive_checker(rules)
    for check in (engine, naive):
        throughput(check, offers, 0.2)  # warm up caches
    engine_runs = [throughput(engine, offers, args.seconds) for _ in range(args.runs)]
    naive_runs = [throughput(naive, offers, args.seconds) for _ in range(args.runs)]
    engine_rate = statistics.median(engine_runs)
    naive_rate = statistics.median(naive_runs)
    print(f"dev offers: {len(offers)}, runs: {args.runs} x {args.seconds:g} s, one core")
    print(
        f"checker:  {engine_rate:9,.0f} offers/s (median), "
        f"p99 latency {p99_latency(engine, offers, 200):7.1f} us"
    )
    print(
        f"naive:    {naive_rate:9,.0f} offers/s (median), "
        f"p99 latency {p99_latency(naive, offers, 20):7.1f} us"
    )
    print(f"speed-up: {engine_rate / naive_rate:.1f}x")


if __name__ == "__main__":
    main()
