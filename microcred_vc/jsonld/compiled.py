"""Switch and counters of the compiled JSON-LD → RDF path (:mod:`~microcred_vc.jsonld.to_rdf`).

Why a switch: parity tests and anyone chasing a discrepancy need to force the
reference (pyld) path without touching code; ``MICROCRED_JSONLD_COMPILED=0``
in the environment (read at import) or :func:`use_compiled` at run time does
that. Why counters: a document the fast path does not cover still gets the
right answer from the reference path, only slower; counting the reasons shows
the benchmarks (and us) which construct is worth covering next.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_fallbacks: Counter[str] = Counter()
_compiled = 0

#: the compiled path is on unless the environment turns it off
ENABLED: bool = os.environ.get("MICROCRED_JSONLD_COMPILED", "1").strip().lower() not in (
    "0",
    "false",
    "no",
    "off",
)


def enabled() -> bool:
    """Whether documents go through the compiled walk first."""
    return ENABLED


@contextmanager
def use_compiled(on: bool) -> Iterator[None]:
    """Turn the compiled path on or off inside a ``with`` block (process-wide)."""
    global ENABLED
    before, ENABLED = ENABLED, on
    try:
        yield
    finally:
        ENABLED = before


def count_fallback(reason: str) -> None:
    with _lock:
        _fallbacks[reason] += 1


def count_compiled() -> None:
    global _compiled
    with _lock:
        _compiled += 1


def fallback_reasons() -> dict[str, int]:
    """Why documents went to the reference path since the last reset: reason → count."""
    with _lock:
        return dict(_fallbacks.most_common())


def compiled_count() -> int:
    """How many documents the compiled walk handled since the last reset."""
    return _compiled


def reset_counters() -> None:
    global _compiled
    with _lock:
        _fallbacks.clear()
        _compiled = 0
