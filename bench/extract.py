"""Extraction speed and memory on one core: `python bench/extract.py [--stories N]`.

Runs the extractor over the development corpus (tests/corpus, texts rebuilt as
`wirewatch eval` does) repeated to at least N stories (default 10,000) and prints:
time to build the Extractor, stories/s, per-story p50/p99, the same for fatalities +
summary alone, and the process's resident memory (current and peak).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import eval as corpus  # noqa: E402
from bot.core.extract import Extractor  # noqa: E402
from bot.core.extract.fatalities import find_fatalities  # noqa: E402
from bot.core.extract.summary import summarize  # noqa: E402
from bot.core.extract.text import Document  # noqa: E402
from bot.core.models import Story  # noqa: E402
from bot.sources.plaintext import parse_wire_text  # noqa: E402


def rss_mib() -> float:
    """Current resident set size, from /proc (Linux), else the peak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "corpus")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    texts = corpus.corpus_texts(args.gold)
    stories = [parse_wire_text(t, source="bench", guid=sid) for sid, t in sorted(texts.items())]
    words = statistics.mean(len(s.text.split()) for s in stories)
    rss_before = rss_mib()

    t0 = time.perf_counter()
    extractor = Extractor()
    build_s = time.perf_counter() - t0

    for story in stories:  # warm caches (lazy data, regex compilation)
        extractor.extract(story)
    runs = -(-args.stories // len(stories))
    per_story: list[float] = []
    t0 = time.perf_counter()
    for _ in range(runs):
        for story in stories:
            s0 = time.perf_counter()
            extractor.extract(story)
            per_story.append(time.perf_counter() - s0)
    total_s = time.perf_counter() - t0

    docs = [Document.build(s.text, s.headline, s.dateline) for s in stories]
    part: list[float] = []
    for _ in range(runs):
        for doc in docs:
            s0 = time.perf_counter()
            find_fatalities(doc)
            summarize(doc)
            part.append(time.perf_counter() - s0)

    n = len(per_story)
    print(f"corpus            {len(stories)} stories, mean {words:.0f} words, run to {n}")
    print(f"build Extractor   {build_s * 1000:.0f} ms")
    print(f"extract           {n / total_s:.0f} stories/s on one core")
    print(
        f"per story         p50 {percentile(per_story, 0.5) * 1000:.2f} ms"
        f"  p99 {percentile(per_story, 0.99) * 1000:.2f} ms"
    )
    print(
        f"fatalities+summary p50 {percentile(part, 0.5) * 1000:.3f} ms"
        f"  p99 {percentile(part, 0.99) * 1000:.3f} ms"
    )
    # A hostile story: one paragraph of 2,000 unclosed quotes and counts (~100 KB). Its
    # cost must grow with its length, not with its length squared.
    for size in (1000, 2000, 4000):
        body = ("“He said 12 people were killed, " * size) + " and 3,000 (" * 500
        s0 = time.perf_counter()
        extractor.extract(Story(source="bench", guid="huge", headline="x", body=body))
        print(
            f"hostile story     {size:,} unclosed quotes ({len(body) // 1000} KB): "
            f"{time.perf_counter() - s0:.2f} s"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory            RSS {rss_mib():.0f} MiB (before Extractor {rss_before:.0f} MiB)")
    print(f"                  peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
