"""Answer speed: queries per second and p50/p99 latency of reading a message (matching.py:
tf-idf, situation signs per part, small talk, danger sign, language), with all content
loaded, on one core, for short questions and for long messages (over 150 characters, from
the field development set). Run: .venv/bin/python bench/bench_answers.py [SHORT [LONG]]

Prints the median of several runs (this machine is shared and noisy), beside the plain
tf-idf ranking of the whole message (retrieval.py) as the baseline, in wall-clock time and
per second of this process's own CPU time (which leaves out the time other processes took
the core: on a loaded machine the wall-clock figure mostly measures them)."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

from api.answers.content import load_content
from api.answers.matching import MessageReader
from api.answers.retrieval import TopicIndex
from api.settings import PROJECT_ROOT

RUNS = 7
ROUNDS_PER_RUN = 20


def measure(label: str, questions: list[str], index: TopicIndex, read) -> float:
    throughputs, cpu_throughputs, p50s, p99s = [], [], [], []
    for _run in range(RUNS):
        # A fresh index cache each run, so that typo look-ups are measured, not only cache hits.
        index._resolve.cache_clear()
        latencies = []
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(ROUNDS_PER_RUN):
            for question in questions:
                t0 = time.perf_counter()
                read(question)
                latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        latencies.sort()
        throughputs.append(len(latencies) / elapsed)
        cpu_throughputs.append(len(latencies) / cpu)
        p50s.append(latencies[len(latencies) // 2] * 1000)
        p99s.append(latencies[int(len(latencies) * 0.99)] * 1000)
    throughput = statistics.median(throughputs)
    print(
        f"{label:26} {throughput:8,.0f} queries/s ({statistics.median(cpu_throughputs):7,.0f} "
        f"per CPU second)   p50 {statistics.median(p50s):.3f} ms   "
        f"p99 {statistics.median(p99s):.3f} ms"
    )
    return throughput


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    short_path = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else PROJECT_ROOT.parent / "shared/eval/questions-dev.jsonl"
    )
    long_path = (
        Path(sys.argv[2])
        if len(sys.argv) > 2
        else PROJECT_ROOT / "tests/api/answers/field-dev.jsonl"
    )
    short = [
        json.loads(line)["text"] for line in short_path.read_text().splitlines() if line.strip()
    ]
    long = [
        text
        for line in long_path.read_text().splitlines()
        if line.strip() and len(text := json.loads(line)["text"]) > 150
    ]
    content = load_content(PROJECT_ROOT / "content")
    index = TopicIndex(content)
    reader = MessageReader(index, content, PROJECT_ROOT / "content")
    print(f"short: {len(short)} questions, long: {len(long)} messages; {ROUNDS_PER_RUN} rounds,")
    print(f"{RUNS} runs, one core, medians")
    measure("baseline tf-idf, short", short, index, index.best)
    measure("reader, short", short, index, reader.read)
    measure("baseline tf-idf, long", long, index, index.best)
    measure("reader, long", long, index, reader.read)
    print("target: reader >= 10,000 queries/s short and >= 2,000 long")


if __name__ == "__main__":
    main()
