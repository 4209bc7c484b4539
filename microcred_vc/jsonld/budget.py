"""One work budget across JSON-LD expansion, canonicalisation and proof sets.

Each stage is linear and capped on its own (node caps, the RDFC-1.0 budget),
but a verifier repeats stages: every proof of a set, every distinct
``previousProof`` chain, re-canonicalises the document. Per-stage caps
multiply; this budget does not. :func:`work_budget` opens a scope (the
outermost one governs, so nested verifications share it) and the stages
:func:`spend` units in it. A unit is about a microsecond of CPU on a laptop:
the weights below were measured with ``bench/bench_scaling.py``.

Outside any scope :func:`spend` is free, so plain ``canonicalize`` calls pay
nothing and keep only their own caps.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from microcred_vc.errors import WorkBudgetExceeded

#: Units for one whole verification (every proof of a set together): about
#: three seconds of CPU on a quiet core. A typical credential with one proof
#: needs under 5,000 units; a 20,000-tag (200 KB) credential about 600,000 per
#: canonicalisation, so it verifies, but four distinct previousProof chains
#: over it do not. Documents of more than about 100,000 JSON values exceed it
#: on their own: open an outer ``work_budget(limit)`` for those.
DEFAULT_WORK_BUDGET = 3_000_000
#: Weights: expanding one JSON value, turning one quad into RDF, and handling
#: one quad in RDFC-1.0 (on top of the canonicaliser's own work units).
PER_JSON_VALUE = 15
PER_QUAD = 10
PER_CANON_QUAD = 5


@dataclass
class Budget:
    """Units left for one verification; ``spent`` may overshoot by one stage."""

    limit: int
    spent: int = 0

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.spent)

    def spend(self, units: int, stage: str) -> None:
        self.spent += units
        if self.spent > self.limit:
            raise WorkBudgetExceeded(
                f"verification work budget of {self.limit} units exceeded during {stage}: "
                "the document, or the number of proofs and chains over it, costs too much",
                limit=self.limit,
                stage=stage,
            )


_current: ContextVar[Budget | None] = ContextVar("microcred_work_budget", default=None)


@contextmanager
def work_budget(limit: int = DEFAULT_WORK_BUDGET) -> Iterator[Budget]:
    """Open a budget scope; inside an open scope, share that one (``limit`` ignored)."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    budget = Budget(limit)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def active() -> Budget | None:
    """The budget of the current scope, if any (stages skip counting without one)."""
    return _current.get()


def spend_on_document(doc: Any, stage: str) -> None:
    """Charge the expansion of ``doc`` before it starts, so an over-budget one never runs."""
    budget = _current.get()
    if budget is not None:
        cap = budget.remaining // PER_JSON_VALUE + 1
        budget.spend(count_values(doc, cap) * PER_JSON_VALUE, stage)


def spend(units: int, stage: str) -> None:
    """Charge ``units`` to the open budget; raise :class:`WorkBudgetExceeded` past it."""
    budget = _current.get()
    if budget is not None:
        budget.spend(units, stage)


def count_values(doc: Any, cap: int) -> int:
    """JSON values in ``doc``, counting stops past ``cap`` (a cyclic dict ends too)."""
    count = 0
    stack = [doc]
    while stack and count <= cap:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return count
