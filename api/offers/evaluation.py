"""Quality of the offer checker on a labelled set of offers (JSON lines with text, lang,
risk, flags and optionally suspicious)."""

import json
from dataclasses import dataclass
from pathlib import Path

from api.offers import service
from api.offers.rules import OfferRules
from api.offers.schemas import FLAG_IDS


def _ratio(part: int, whole: int) -> float:
    """A precision or recall; 1.0 when there is nothing to count."""
    return part / whole if whole else 1.0


@dataclass(frozen=True)
class FlagScore:
    id: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_negatives)


@dataclass(frozen=True)
class Miss:
    text: str
    expected_risk: str
    risk: str
    expected_flags: tuple[str, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class EvaluationReport:
    offers: int
    suspicious_precision: float  # "suspicious" means risk medium or high
    suspicious_recall: float
    risk_accuracy: float
    flag_micro_f1: float
    flags: tuple[FlagScore, ...]
    misses: tuple[Miss, ...]  # offers whose risk or flags differ from the labels


def evaluate(path: Path | str, rules: OfferRules) -> EvaluationReport:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    tally = {flag_id: [0, 0, 0] for flag_id in FLAG_IDS}  # true pos., false pos., false neg.
    suspicious_tp = suspicious_fp = suspicious_fn = exact = 0
    misses = []
    for row in rows:
        result = service.check(row["text"], row.get("lang", "id"), rules)
        expected = set(row["flags"])
        found = {flag.id for flag in result.flags}
        for flag_id in expected & found:
            tally[flag_id][0] += 1
        for flag_id in found - expected:
            tally[flag_id][1] += 1
        for flag_id in expected - found:
            tally[flag_id][2] += 1
        expected_suspicious = row.get("suspicious", row["risk"] != "low")
        found_suspicious = result.risk != "low"
        suspicious_tp += expected_suspicious and found_suspicious
        suspicious_fp += found_suspicious and not expected_suspicious
        suspicious_fn += expected_suspicious and not found_suspicious
        exact += result.risk == row["risk"]
        if result.risk != row["risk"] or found != expected:
            misses.append(
                Miss(
                    text=row["text"],
                    expected_risk=row["risk"],
                    risk=result.risk,
                    expected_flags=tuple(sorted(expected)),
                    flags=tuple(sorted(found)),
                )
            )
    true_positives, false_positives, false_negatives = (
        sum(counts[i] for counts in tally.values()) for i in range(3)
    )
    return EvaluationReport(
        offers=len(rows),
        suspicious_precision=_ratio(suspicious_tp, suspicious_tp + suspicious_fp),
        suspicious_recall=_ratio(suspicious_tp, suspicious_tp + suspicious_fn),
        risk_accuracy=_ratio(exact, len(rows)),
        flag_micro_f1=_ratio(
            2 * true_positives, 2 * true_positives + false_positives + false_negatives
        ),
        flags=tuple(FlagScore(flag_id, *tally[flag_id]) for flag_id in FLAG_IDS),
        misses=tuple(misses),
    )


def format_report(report: EvaluationReport) -> str:
    lines = [
        f"offers: {report.offers}",
        f"suspicious: precision {report.suspicious_precision:.1%}, "
        f"recall {report.suspicious_recall:.1%}",
        f"risk exact: {report.risk_accuracy:.1%}",
        f"flags micro-F1: {report.flag_micro_f1:.3f}",
        "",
        f"{'flag':<26} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}",
    ]
    for score in report.flags:
        lines.append(
            f"{score.id:<26} {score.precision:>9.0%} {score.recall:>7.0%} "
            f"{score.true_positives:>4} {score.false_positives:>4} {score.false_negatives:>4}"
        )
    if report.misses:
        lines += ["", f"misses ({len(report.misses)}):"]
        for miss in report.misses:
            flags = ", ".join(miss.flags) or "-"
            expected = ", ".join(miss.expected_flags) or "-"
            lines.append(
                f"- risk {miss.risk} (expected {miss.expected_risk}), "
                f"flags {flags} (expected {expected})"
            )
            lines.append(f"  {miss.text}")
    return "\n".join(lines)
