"""Shared bench helpers: paired timing in one process, Markdown sections in a file."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def best_of(fn: Callable[[], Any], *, rounds: int = 5, min_time: float = 0.2) -> float:
    """Seconds per call: the best of ``rounds`` rounds, each repeating for ``min_time``."""
    results = []
    for _ in range(rounds):
        n = 0
        start = time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        results.append(elapsed / n)
    return min(results)


def paired(
    ours: Callable[[], Any], ref: Callable[[], Any], *, rounds: int = 5, min_time: float = 0.2
) -> tuple[float, float]:
    """Interleave the two so machine noise hits both alike; best of each."""
    a, b = [], []
    for _ in range(rounds):
        a.append(best_of(ours, rounds=1, min_time=min_time))
        b.append(best_of(ref, rounds=1, min_time=min_time))
    return min(a), min(b)


def geomean(values: list[float]) -> float:
    return statistics.geometric_mean(values) if values else float("nan")


def write_section(path: Path, name: str, body: str) -> None:
    """Replace (or append) the section between this bench's markers."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = f"{start}\n{body.rstrip()}\n{end}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n\n"
    if start in old and end in old:
        pattern = re.compile(re.escape(start) + ".*?" + re.escape(end) + "\n?", re.DOTALL)
        new = pattern.sub(lambda _: section, old)
    else:
        new = old.rstrip() + "\n\n" + section
    path.write_text(new, encoding="utf-8")
