"""Quality on the labelled dev offers (shared/eval/offers-dev.jsonl) and on the field dev set
(field-dev.jsonl: lines harvested from public pages, each with its source URL)."""

import json
from pathlib import Path

import pytest

from api.offers.evaluation import evaluate, format_report
from api.offers.schemas import FLAG_IDS

FIELD_DEV = Path(__file__).with_name("field-dev.jsonl")


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
    assert len(report.flags) == len(FLAG_IDS)


def test_field_dev_set_quality(offer_rules) -> None:
    report = evaluate(FIELD_DEV, offer_rules)
    summary = format_report(report)
    assert report.suspicious_recall >= 0.90, summary
    assert report.suspicious_precision >= 0.90, summary
    assert report.risk_accuracy >= 0.75, summary
    assert report.flag_micro_f1 >= 0.70, summary


def test_field_dev_lines_carry_sources_and_consistent_labels() -> None:
    for line in FIELD_DEV.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert row["source"].startswith("http"), row
        assert set(row["flags"]) <= set(FLAG_IDS), row
        assert row["suspicious"] == (row["risk"] != "low") == bool(row["flags"]), row
