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
from contextlib import AbstractContextManager, contextmanager

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


#: whether walks replay repeated subtrees (:mod:`~microcred_vc.jsonld.subtree_memo`);
#: tests switch it off to compare against the plain walk
MEMO: bool = True


@contextmanager
def _switched(name: str, on: bool) -> Iterator[None]:
    before = globals()[name]
    globals()[name] = on
    try:
        yield
    finally:
        globals()[name] = before


def use_compiled(on: bool) -> AbstractContextManager[None]:
    """Turn the compiled path on or off inside a ``with`` block (process-wide)."""
    return _switched("ENABLED", on)


def use_subtree_memo(on: bool) -> AbstractContextManager[None]:
    """Turn the replay of repeated subtrees on or off inside a ``with`` block."""
    return _switched("MEMO", on)


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
