"""Shared bench helpers: paired timing in one process, Markdown sections in a file."""

from __future__ import annotations

import json
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


def official_context_loader(*, cache: bool = True) -> Callable[..., dict[str, Any]]:
    """A plain-pyld document loader over the official contexts in ../shared/fixtures.

    ``cache=False`` re-reads the file on every request, as a naive pyld user's
    loader does; the reference pipelines use it to stay honest.
    """
    from pyld import jsonld

    from tests.fixture_paths import FIXTURES

    ctx_dir = FIXTURES / "contexts"
    index = json.loads((ctx_dir / "INDEX.json").read_text(encoding="utf-8"))
    seen: dict[str, Any] = {}

    def load(url: str, options: Any = None) -> dict[str, Any]:
        key = url.split("#")[0]
        if key not in index:
            raise jsonld.JsonLdError(f"context not in fixtures: {url}", "loading document failed")
        if not cache or key not in seen:
            seen[key] = json.loads((ctx_dir / index[key]).read_text(encoding="utf-8"))
        return {"contextUrl": None, "documentUrl": url, "document": seen[key]}

    return load
