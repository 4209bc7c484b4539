"""Allocation stays atomic across processes and threads, and survives crashes.

Each back end gets the same treatment: 8 spawned processes × 500 allocations
on one list, issuers killed at random moments, and threads sharing one
registry. The invariant is always the same — every index handed out is
recorded exactly once, and no index is ever handed out twice.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from microcred_vc.status import StatusRegistry
from tests.status import workers

WORKERS = 8
PER_WORKER = 500


@pytest.mark.parametrize(
    ("allocation", "per_worker"), [("random", PER_WORKER), ("sequential", 100)]
)
def test_processes_never_share_an_index(
    concurrent_url: str, allocation: str, per_worker: int
) -> None:
    registry_url = concurrent_url  # empty database: the workers also race to create the schema
    # ProcessPoolExecutor (not Pool) so a worker that dies fails the test, not hangs it.
    with ProcessPoolExecutor(WORKERS, mp_context=mp.get_context("spawn")) as pool:
        futures = [
            pool.submit(workers.allocate_many, registry_url, "shared", per_worker, allocation)
            for _ in range(WORKERS)
        ]
        results = [f.result(timeout=240) for f in futures]
    handed_out = [i for chunk in results for i in chunk]
    assert len(handed_out) == WORKERS * per_worker
    assert len(set(handed_out)) == len(handed_out), "an index was handed out twice"
    with StatusRegistry(registry_url) as registry:
        assert registry.allocated("shared") == sorted(handed_out)
    if allocation == "sequential":
        assert sorted(handed_out) == list(range(WORKERS * per_worker))


def test_crash_after_allocation_burns_the_index(registry_url: str) -> None:
    ctx = mp.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=workers.allocate_then_crash, args=(registry_url, "crashy", sender))
    proc.start()
    assert receiver.poll(120), "the issuer process never allocated"
    crashed_index = receiver.recv()
    proc.join(60)
    assert proc.exitcode == 3
    with StatusRegistry(registry_url, allocation="sequential") as registry:
        assert registry.allocated("crashy") == [crashed_index]
        record = registry.get_status("crashy", crashed_index)
        assert record.credential_id == "urn:uuid:never-issued"
        later = [registry.allocate("crashy", "revocation") for _ in range(20)]
        assert crashed_index not in later
        assert later == list(range(crashed_index + 1, crashed_index + 21))


def test_killed_issuer_leaves_no_double_assignment(registry_url: str) -> None:
    ctx = mp.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=workers.allocate_forever, args=(registry_url, "killed", sender))
    proc.start()
    seen = []
    while len(seen) < 25:  # let it get busy allocating
        assert receiver.poll(120), "the issuer process stopped allocating"
        seen.append(receiver.recv())
    time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(60)
    while receiver.poll(0.5):
        try:
            seen.append(receiver.recv())
        except EOFError:
            break
    with StatusRegistry(registry_url) as registry:
        before = registry.allocated("killed")
        assert set(seen) <= set(before)  # everything reported was recorded
        more = [registry.allocate("killed", "revocation") for _ in range(200)]
        assert not set(more) & set(before)
        assert len(set(more)) == len(more)
        assert registry.allocated("killed") == sorted(before + more)


def test_threads_share_one_registry(registry: StatusRegistry) -> None:
    with ThreadPoolExecutor(8) as pool:
        chunks = list(
            pool.map(
                lambda _: [registry.allocate("threads", "suspension") for _ in range(50)], range(8)
            )
        )
    handed_out = [i for chunk in chunks for i in chunk]
    assert len(set(handed_out)) == 400
    assert registry.allocated("threads") == sorted(handed_out)
