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
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

import pytest

from microcred_vc.status import StatusRegistry

WORKERS = 8
PER_WORKER = 500


def _allocate_many(url: str, list_id: str, count: int, allocation: str) -> list[int]:
    registry = StatusRegistry(url, allocation=allocation)  # type: ignore[arg-type]
    try:
        return [registry.allocate(list_id, "revocation") for _ in range(count)]
    finally:
        registry.close()


def _allocate_then_crash(url: str, list_id: str, report: Connection) -> None:
    """Reserve an index, tell the parent, then die before 'issuing' anything."""
    registry = StatusRegistry(url, allocation="sequential")
    index = registry.allocate(list_id, "revocation", credential_id="urn:uuid:never-issued")
    report.send(index)  # a Pipe send is synchronous, unlike a Queue's feeder thread
    os._exit(3)  # no clean-up, no close(): like a killed issuer


def _allocate_forever(url: str, list_id: str, report: Connection) -> None:
    registry = StatusRegistry(url)
    while True:
        report.send(registry.allocate(list_id, "revocation"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("allocation", "per_worker"), [("random", PER_WORKER), ("sequential", 100)]
)
def test_processes_never_share_an_index(
    registry_url: str, allocation: str, per_worker: int
) -> None:
    StatusRegistry(registry_url).close()  # schema in place before the stampede
    ctx = mp.get_context("spawn")
    with ctx.Pool(WORKERS) as pool:
        results = pool.starmap(
            _allocate_many,
            [(registry_url, "shared", per_worker, allocation)] * WORKERS,
        )
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
    proc = ctx.Process(target=_allocate_then_crash, args=(registry_url, "crashy", sender))
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
    proc = ctx.Process(target=_allocate_forever, args=(registry_url, "killed", sender))
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
