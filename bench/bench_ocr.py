"""Screenshot reading speed: seconds per image (median of several runs) to OCR rendered field
offers in the three test styles (plain, small serif with noise, phone chat with emoji, JPEG),
beside the text check of the same offers, which is the baseline it adds to.

Run: .venv/bin/python bench/bench_ocr.py [--images 9] [--runs 3]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "api" / "offers"))

from test_offer_images import STYLES, _suspicious_lines, render  # noqa: E402

from api.offers import ocr, service  # noqa: E402
from api.offers import rules as offer_rules  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=9)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rules = offer_rules.load(ROOT / "content")
    rows = _suspicious_lines()[: args.images]
    images = [render(row["text"], STYLES[n % len(STYLES)], seed=n) for n, row in enumerate(rows)]
    ocr_runs, text_runs = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        for image in images:
            service.check(ocr.read(image).text, "id", rules)
        ocr_runs.append((time.perf_counter() - start) / len(images))
        start = time.perf_counter()
        for row in rows:
            service.check(row["text"], "id", rules)
        text_runs.append((time.perf_counter() - start) / len(rows))
    print(f"images: {len(images)} ({', '.join(STYLES)}), runs: {args.runs}")
    print(f"image (OCR + check): {statistics.median(ocr_runs):.3f} s per image (median)")
    print(f"text check alone:    {statistics.median(text_runs) * 1e6:.0f} us per offer (median)")


if __name__ == "__main__":
    main()
