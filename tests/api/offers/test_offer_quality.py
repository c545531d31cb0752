"""Quality on the labelled dev offers (shared/eval/offers-dev.jsonl)."""

import pytest

from api.offers.evaluation import evaluate, format_report


@pytest.fixture(scope="module")
def report(offer_rules, dev_offers):
    return evaluate(dev_offers, offer_rules)


def test_dev_set_quality(report) -> None:
    summary = format_report(report)
    assert report.suspicious_recall >= 0.95, summary
    assert report.suspicious_precision >= 0.90, summary
    assert report.risk_accuracy >= 0.85, summary
    assert report.flag_micro_f1 >= 0.85, summary


def test_report_lists_every_flag(report) -> None:
    summary = format_report(report)
    assert "flags micro-F1" in summary
    assert len(report.flags) == 14
