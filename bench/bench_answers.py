"""Answer retrieval speed: queries per second and p50/p99 latency over the dev questions,
with all content loaded, on one core. Run: .venv/bin/python bench/bench_answers.py [FILE]

Prints the median of several runs (this machine is shared and noisy)."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

from api.answers.content import load_content
from api.answers.retrieval import TopicIndex
from api.settings import PROJECT_ROOT

RUNS = 7
ROUNDS_PER_RUN = 20


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    default = PROJECT_ROOT.parent / "shared/eval/questions-dev.jsonl"
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    questions = [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]
    index = TopicIndex(load_content(PROJECT_ROOT / "content"))
    throughputs, p50s, p99s = [], [], []
    for _run in range(RUNS):
        # A fresh index cache each run, so that typo look-ups are measured, not only cache hits.
        index._resolve.cache_clear()
        latencies = []
        started = time.perf_counter()
        for _ in range(ROUNDS_PER_RUN):
            for question in questions:
                t0 = time.perf_counter()
                index.best(question)
                latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        latencies.sort()
        throughputs.append(len(latencies) / elapsed)
        p50s.append(latencies[len(latencies) // 2] * 1000)
        p99s.append(latencies[int(len(latencies) * 0.99)] * 1000)
    cold = []
    for question in questions:
        index._resolve.cache_clear()
        t0 = time.perf_counter()
        index.best(question)
        cold.append((time.perf_counter() - t0) * 1000)
    cold.sort()
    print(f"questions: {len(questions)} x {ROUNDS_PER_RUN} rounds, {RUNS} runs, one core")
    print(f"throughput: {statistics.median(throughputs):,.0f} queries/s (median of runs)")
    print(f"latency p50: {statistics.median(p50s):.3f} ms, p99: {statistics.median(p99s):.3f} ms")
    print(
        f"cold (word cache emptied before each query): p50 {statistics.median(cold):.3f} ms, "
        f"max {cold[-1]:.3f} ms"
    )
    print("target: >= 2,000 queries/s and p99 < 2 ms")


if __name__ == "__main__":
    main()
