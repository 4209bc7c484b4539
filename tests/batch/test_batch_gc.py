"""The batch's garbage-collector handling leaves the caller's process as it found it.

Oracle: properties read from the interpreter itself (``gc.isenabled``,
``gc.get_freeze_count``): a worker process pauses and freezes, the caller's process
is only frozen for the run and unfrozen after, and a process that froze objects itself
(a pre-forking server) keeps its own freeze.
"""

from __future__ import annotations

import gc
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from microcred_vc.batch.run import long_lived_heap_frozen
from microcred_vc.batch.worker import collector_paused


def _inside_a_task() -> tuple[bool, bool, int]:
    with collector_paused():
        during = gc.isenabled()
    return during, gc.isenabled(), gc.get_freeze_count()


def test_a_worker_process_pauses_the_collector_and_freezes_its_heap_once() -> None:
    with ProcessPoolExecutor(1) as pool:
        during, after, frozen = pool.submit(_inside_a_task).result()
    assert during is False and after is True and frozen > 0


def test_the_callers_process_is_never_paused_or_frozen_by_a_task() -> None:
    before = gc.get_freeze_count()
    during, after, frozen = _inside_a_task()  # a thread pool runs tasks here
    assert during is True and after is True and frozen == before


def test_a_run_unfreezes_what_it_froze() -> None:
    assert gc.get_freeze_count() == 0
    with long_lived_heap_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_objects_itself_keeps_them_frozen() -> None:
    keep: list[Any] = [object() for _ in range(10)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with long_lived_heap_frozen():
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen  # not unfrozen by the run
    finally:
        gc.unfreeze()
    assert keep
