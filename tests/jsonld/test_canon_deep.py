"""RDFC-1.0 on chains and rings of indistinguishable blank nodes: no recursion limit.

Hash N-Degree Quads recurses once per node along a symmetric ring. The library
once raised a bare ``RecursionError`` there (a 1,200-node ring), then refused at
200 levels whatever the budget. Now the recursion is iterative: a ring ends in
``CANON_BUDGET_EXCEEDED`` under the default budget, and canonicalises when the
caller grants the work.

Oracles: the typed error (property: never ``RecursionError``, any size); the
shape a symmetric ring must canonicalise to (property: one orbit, so the labels
follow the ring from c14n0), confirmed against pyld for small rings here and,
once offline, for a 300-node ring (pyld needs a raised recursion limit and
~140 s for it, too slow to repeat in the suite); invariance under relabelling.
"""

from __future__ import annotations

import random
import sys
import time

import pytest
from pyld import jsonld  # reference only

from microcred_vc.errors import CanonicalizationBudgetExceeded
from microcred_vc.jsonld.canon import canonical_labels, canonicalize_nquads


def ring(n: int, label: str = "b", order: list[int] | None = None) -> str:
    """An n-cycle ``_:b0 -> _:b1 -> ... -> _:b0``, its quads in ``order``."""
    return "".join(
        f"_:{label}{i} <http://ex/p> _:{label}{(i + 1) % n} .\n" for i in (order or range(n))
    )


def ring_canonical(n: int) -> str:
    """What any correct RDFC-1.0 gives for a symmetric ring: c14n0 -> c14n1 -> ... (sorted)."""
    return "".join(sorted(f"_:c14n{i} <http://ex/p> _:c14n{(i + 1) % n} .\n" for i in range(n)))


@pytest.mark.parametrize("n", [1_200, 5_000])
def test_big_rings_end_in_the_budget_error(n: int) -> None:
    started = time.monotonic()
    with pytest.raises(CanonicalizationBudgetExceeded) as info:
        canonicalize_nquads(ring(n))
    assert info.value.code == "CANON_BUDGET_EXCEEDED"
    assert time.monotonic() - started < 20  # bounded: the default budget, not the ring size


def test_depth_is_not_limited_by_the_python_stack() -> None:
    """Deeper than the interpreter's recursion limit (lowered to make it cheap to show)."""
    n = 150
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(120, len(_frames()) + 60))  # well below n levels
    try:
        out = canonicalize_nquads(ring(n), max_work=10**8)
    finally:
        sys.setrecursionlimit(old)
    assert out == ring_canonical(n)


def _frames() -> list[object]:
    frame, frames = sys._getframe(), []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back  # type: ignore[assignment]
    return frames


def test_a_ring_deeper_than_the_old_cap_canonicalises_with_budget() -> None:
    """The old code refused at 200 levels whatever ``max_work``; 250 levels now work."""
    assert canonicalize_nquads(ring(250), max_work=10**8) == ring_canonical(250)


@pytest.mark.parametrize("n", [3, 17, 40])
def test_ring_shape_matches_pyld(n: int) -> None:
    """The ring-shape oracle itself agrees with pyld (an independent implementation)."""
    options = {"algorithm": "URDNA2015", "inputFormat": "application/n-quads"}
    reference = jsonld.normalize(ring(n), {**options, "format": "application/n-quads"})
    assert reference == ring_canonical(n) == canonicalize_nquads(ring(n), max_work=10**7)


def test_relabelled_shuffled_ring_gives_the_same_bytes() -> None:
    n = 220
    order = list(range(n))
    random.Random(7).shuffle(order)
    first = canonicalize_nquads(ring(n), max_work=10**8)
    assert canonicalize_nquads(ring(n, "zz", order), max_work=10**8) == first
    labels = canonical_labels(ring(n), max_work=10**8)
    assert sorted(labels.values()) == sorted(f"c14n{i}" for i in range(n))
