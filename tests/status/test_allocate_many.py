"""Block allocation (``allocate_many``): many indexes in one transaction, same guarantees.

Oracles (properties, on SQLite and PostgreSQL): no index is handed out twice — across
processes allocating blocks at the same moment and against a random source rigged to
collide —, each index is recorded with the credential id it was returned for (read back
through the registry's own per-credential query), the sequential policy hands out
exactly ``0..n-1`` in call order, and a list without room for a whole block raises the
typed ``StatusListFull`` and allocates nothing. The attacks: two registries whose random
draws are identical (every first draw collides), and a list crowded so that every random
round fails and the locked chooser must take over.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest

from microcred_vc.errors import StatusListFull
from microcred_vc.status import StatusRegistry
from microcred_vc.status import allocation as allocation_module
from microcred_vc.status.bitstring import MIN_ENTRIES
from tests.status import workers
from tests.status.prefill import fill_all_but

PROCESSES = 4
BLOCKS = 25
SIZE = 20


@pytest.mark.parametrize("allocation", ["random", "sequential"])
def test_processes_allocating_blocks_never_share_an_index(
    concurrent_url: str, allocation: str
) -> None:
    """4 processes × 25 blocks × 20 at once: 2,000 distinct indexes, each recorded once."""
    with ProcessPoolExecutor(PROCESSES, mp_context=mp.get_context("spawn")) as pool:
        futures = [
            pool.submit(workers.allocate_blocks, concurrent_url, "blocks", BLOCKS, SIZE, allocation)
            for _ in range(PROCESSES)
        ]
        results = [f.result(timeout=240) for f in futures]
    handed_out = [i for chunk in results for i in chunk]
    assert len(handed_out) == PROCESSES * BLOCKS * SIZE
    assert len(set(handed_out)) == len(handed_out), "an index was handed out twice"
    with StatusRegistry(concurrent_url) as registry:
        assert registry.allocated("blocks") == sorted(handed_out)
    if allocation == "sequential":
        assert sorted(handed_out) == list(range(len(handed_out)))


def test_each_index_is_recorded_with_its_credential(registry: StatusRegistry) -> None:
    ids = [f"urn:uuid:learner-{i}" for i in range(40)]
    got = registry.allocate_many("L", "revocation", ids)
    assert len(set(got)) == 40 and all(0 <= i < MIN_ENTRIES for i in got)
    assert got != sorted(got)  # random policy: returned in the callers' order, not sorted
    for credential_id, index in zip(ids, got, strict=True):
        assert registry.entries_for_credential(credential_id) == [("L", index)]
    bulk = registry.entries_for_credentials([*ids, "urn:uuid:nobody"])
    assert bulk == {c: [("L", i)] for c, i in zip(ids, got, strict=True)}
    assert registry.allocate_many("L", "revocation", []) == []


def test_sequential_blocks_count_up_like_single_allocations(registry_url: str) -> None:
    with StatusRegistry(registry_url, allocation="sequential") as registry:
        got: list[int] = []
        for size in (3, 5, 1, 7):
            got += registry.allocate_many("S", "suspension", [None] * size)
        got.append(registry.allocate("S", "suspension"))
    assert got == list(range(17))


@pytest.fixture
def rigged_random(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[int]]]:
    """The first two random draws are both ``0..k-1``, so two registries draw exactly
    the same block (every index of the second's first draw collides); later draws
    come from the end of the list."""
    calls: list[list[int]] = []

    def sample(population: range | list[int], k: int) -> list[int]:
        pool = list(population)
        drawn = pool[:k] if len(calls) < 2 else pool[-k:]  # later draws land elsewhere
        calls.append(drawn)
        return drawn

    monkeypatch.setattr(allocation_module._SYSTEM_RANDOM, "sample", sample)
    yield calls


def test_colliding_draws_are_drawn_again_not_shared(
    registry_url: str, rigged_random: list[list[int]]
) -> None:
    with StatusRegistry(registry_url) as first, StatusRegistry(registry_url) as second:
        a = first.allocate_many("C", "revocation", [f"urn:a:{i}" for i in range(10)])
        b = second.allocate_many("C", "revocation", [f"urn:b:{i}" for i in range(10)])
        assert a == list(range(10))
        assert rigged_random[1] == a and len(rigged_random) == 3  # b drew a's block, then again
        assert not set(a) & set(b) and len(set(b)) == 10
        assert first.allocated("C") == sorted(a + b)
        assert all(second.entries_for_credential(f"urn:b:{i}") == [("C", b[i])] for i in range(10))


@pytest.mark.parametrize("statement_rows", [500, 3], ids=["one-statement", "chunked"])
def test_a_partly_colliding_draw_keeps_the_won_indexes(
    registry_url: str,
    rigged_random: list[list[int]],
    monkeypatch: pytest.MonkeyPatch,
    statement_rows: int,
) -> None:
    """Half of the second block's first draw is taken: the claim's RETURNING (one
    parameter list, sent as multi-row INSERTs, chunked or not) must report exactly
    the won half, and only the lost half is drawn again."""
    monkeypatch.setattr(allocation_module, "STATEMENT_ROWS", statement_rows)
    with StatusRegistry(registry_url) as first, StatusRegistry(registry_url) as second:
        a = first.allocate_many("H", "revocation", [f"urn:a:{i}" for i in range(5)])
        b = second.allocate_many("H", "revocation", [f"urn:b:{i}" for i in range(10)])
        assert a == list(range(5)) and rigged_random[1] == list(range(10))
        assert b[5:] == list(range(5, 10))  # the positions whose draw was free
        assert b[:5] == rigged_random[2] and len(rigged_random) == 3  # the rest drawn again
        assert first.allocated("H") == sorted(a + b)
        assert all(second.entries_for_credential(f"urn:b:{i}") == [("H", b[i])] for i in range(10))


def test_crowded_list_falls_back_to_the_locked_chooser(
    registry: StatusRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.allocate_many("K", "revocation", [None] * 5)
    taken = registry.allocated("K")
    # every random round draws only indexes already held: the lock must take over
    draws: list[int] = []

    def sample(population: range | list[int], k: int) -> list[int]:
        if isinstance(population, range):
            draws.append(k)
            return (taken * k)[:k] if k <= len(taken) else taken
        return list(population)[:k]  # the locked chooser picking among free indexes

    monkeypatch.setattr(allocation_module._SYSTEM_RANDOM, "sample", sample)
    got = registry.allocate_many("K", "revocation", [None] * 3)
    assert len(draws) == allocation_module.RANDOM_ATTEMPTS
    assert len(set(got)) == 3 and not set(got) & set(taken)
    assert registry.allocated("K") == sorted(taken + got)


def test_a_block_larger_than_the_room_left_allocates_nothing(registry: StatusRegistry) -> None:
    free = {17, 65_000, MIN_ENTRIES - 1}
    fill_all_but(registry, "F", free)  # 131,069 allocations the fast way
    with pytest.raises(StatusListFull) as caught:
        registry.allocate_many("F", "revocation", [None] * 4)
    assert caught.value.code == "STATUS_LIST_FULL" and "only 3 free" in caught.value.message
    assert len(registry.allocated("F")) == MIN_ENTRIES - 3  # nothing of the block was kept
    assert set(registry.allocate_many("F", "revocation", [None] * 3)) == free
    with pytest.raises(StatusListFull, match="no free index left"):
        registry.allocate_many("F", "revocation", [None])
