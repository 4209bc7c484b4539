"""Processes opening a new registry file at the same moment all get it.

Oracle: each process's own outcome. Switching a new SQLite file to WAL takes an
exclusive lock, and SQLite answers SQLITE_BUSY for it at once rather than waiting;
before ``status.db._wal`` retried, about one trial in eight of six processes opening a
fresh file together failed with "database is locked" (reproduced, 3 of 25 trials).
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tests.status import workers

PROCESSES = 6
TRIALS = 20


def test_processes_opening_a_new_registry_together_all_succeed(tmp_path: Path) -> None:
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager, ProcessPoolExecutor(PROCESSES, mp_context=ctx) as pool:
        for trial in range(TRIALS):
            url = f"sqlite:///{tmp_path / f'status-{trial}.db'}"
            barrier = manager.Barrier(PROCESSES)
            outcomes = list(pool.map(workers.open_fresh, [url] * PROCESSES, [barrier] * PROCESSES))
            assert outcomes == ["ok"] * PROCESSES, (trial, outcomes)
