"""Signing a checked plan on any executor, and writing what comes back.

The expensive part (canonicalisation, signing, and serialising the signed JSON) is
shipped to the executor — a thread or process pool, or a Dask ``Client`` — while
everything stateful stays in the caller's process: allocating status indexes in the one
registry, the journal, and writing files. Indexes are allocated in roster order, a block
of rows at a time in one registry transaction (its ids journaled first, with one fsync),
with a bounded number in flight, so the executor never changes which learner gets which
index (with sequential allocation, serial, pool and Dask runs are identical).
"""

from __future__ import annotations

import gc
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from microcred_vc.batch.files import Journal, write_atomic
from microcred_vc.batch.plan import BatchItem, Planned, pool_workers
from microcred_vc.batch.worker import sign_one, sign_task
from microcred_vc.errors import MicrocredError
from microcred_vc.jsontext import loads
from microcred_vc.status.bitstring import attach_status

Progress = Callable[[int, int], None]
#: Rows allocated (and journaled) together when signing in this process: a kill wastes at
#: most these until the run is resumed, which gives them to the same learners.
SERIAL_BLOCK = 16
#: Default credentials in flight per pool worker. Thirty-two lets each worker hold a few
#: multi-row tasks while this process allocates (in blocks of half the window) and
#: writes; measured on 2 workers (2026-12-04, after rows were checked on the pool and the
#: collector kept off signing): a window of 32 gave 600-679/s, 64 gave 640-666/s, 128
#: gave 647-707/s (earlier, with slower signing: 4 → 177/s, 16 → 277/s, 32-128 →
#: 320-328/s). A kill wastes at most the window's indexes.
WINDOW_PER_WORKER = 32


@contextmanager
def long_lived_heap_frozen() -> Iterator[None]:
    """Keep the full garbage collections of a run off the heap that was there before it.

    Why: the run keeps every credential it writes (``BatchItem.credential``) and
    allocates a few thousand objects per row, which sets off full collections over the
    whole heap, loaded contexts and compiled tables included: measured, 0.14 ms per
    credential in this process, in 40 ms pauses. ``gc.freeze`` moves what exists now
    out of their way for the run, and ``gc.unfreeze`` gives it back after (garbage
    among those objects waits until then). A process that froze objects itself (a
    pre-forking server does) is left as it is.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def as_executor(executor: Any) -> Executor | None:
    if executor is None or isinstance(executor, Executor):
        return executor
    if hasattr(executor, "get_executor"):  # dask.distributed.Client
        return executor.get_executor()
    raise MicrocredError(
        "executor must be a concurrent.futures.Executor or a dask.distributed.Client",
        code="BATCH_EXECUTOR_INVALID",
    )


def _window(pool: Executor, in_flight: int | None) -> int:
    """How many credentials may be allocated and in flight at once (at least 1)."""
    if in_flight is not None:
        return max(1, in_flight)
    return WINDOW_PER_WORKER * pool_workers(pool)


def _task_rows(pool: Executor, window: int) -> int:
    """Rows per task: one by default; with a wide window, enough to amortise the
    per-task cost (pickling, and a scheduler round trip on Dask) while still giving
    every worker about two tasks at a time."""
    return max(1, window // (2 * pool_workers(pool)))


@dataclass
class Status:
    """Where each credential's status index comes from (None: no registry)."""

    registry: Any
    list_id: str
    base_url: str
    #: credential id -> index in this list, read for a whole plan by :meth:`preload`
    _held: dict[str, int] | None = field(default=None, repr=False)

    def preload(self, credential_ids: list[str]) -> None:
        """Read which of ``credential_ids`` hold an index of this list, in one go."""
        found = self.registry.entries_for_credentials(credential_ids)
        self._held = {}
        for credential_id, entries in found.items():
            for list_id, index in entries:
                if list_id == self.list_id:
                    self._held[credential_id] = int(index)
                    break

    def held(self, credential_id: str) -> int | None:
        """The index of this list already allocated to ``credential_id``, if any."""
        if self._held is not None:
            return self._held.get(credential_id)
        for list_id, index in self.registry.entries_for_credential(credential_id):
            if list_id == self.list_id:
                return int(index)
        return None

    def allocate_block(self, block: list[Planned]) -> list[int]:
        """An index for each row (reserved in one transaction, or its ``reuse``), attached.

        If the entries cannot be attached, the fresh indexes are given back.
        """
        fresh = [p for p in block if p.reuse is None]
        got = iter(
            self.registry.allocate_many(
                self.list_id, "revocation", [p.doc.get("id") for p in fresh]
            )
            if fresh
            else []
        )
        indexes = [p.reuse if p.reuse is not None else next(got) for p in block]
        try:
            entries = self.registry.entries_for(self.list_id, indexes, "revocation", self.base_url)
            for planned, entry in zip(block, entries, strict=True):
                attach_status(planned.doc, entry)
        except BaseException:
            for planned, index in zip(block, indexes, strict=True):
                if planned.reuse is None:
                    self.release(index)
            raise
        return indexes

    def release(self, index: int | None) -> None:
        if index is not None:
            self.registry.release(self.list_id, index)


#: Threads writing finished credentials: a durable file costs ~0.5 ms, mostly waiting for
#: fsync, which releases the GIL; a few in parallel let the file system commit them
#: together while this process keeps the workers fed.
WRITERS = 4


def sign_all(
    todo: list[Planned],
    key: Any,
    *,
    pool: Executor | None,
    cryptosuite: str | None,
    stamp: str,
    status: Status | None,
    journal: Journal | None,
    finish: Callable[[BatchItem], None],
    in_flight: int | None,
) -> None:
    """Allocate, sign and write each planned row; a failed row gives its index back.

    At most ``window`` rows are allocated but not yet written; rows are allocated a
    block at a time (once half the window is free, so signing goes on while files are
    written), the block's ids journaled before its indexes exist.
    Files are written by a few threads; a row counts as in flight until its file is
    durable, and ``finish`` is called from this thread.
    """
    if pool is None:
        window = max(1, in_flight) if in_flight is not None else SERIAL_BLOCK
    else:
        window = _window(pool, in_flight)
    refill = max(1, window // 2)  # allocate again once half the window is written
    per_task = _task_rows(pool, window) if pool is not None else 1
    key_blob = pickle.dumps(key) if pool is not None else b""
    with ThreadPoolExecutor(WRITERS, thread_name_prefix="batch-writer") as writers:
        run = _Run(writers, finish, status)

        def signed(rows: list[tuple[BatchItem, int | None]], outcomes: list[Any]) -> None:
            for (item, index), outcome in zip(rows, outcomes, strict=True):
                run.write(item, index, outcome)

        position = 0
        while position < len(todo):
            while window - run.flying < min(refill, len(todo) - position):
                run.collect()  # bound what a kill can leave allocated
            block = todo[position : position + window - run.flying]
            position += len(block)
            indexes: list[int | None] = [None] * len(block)
            if status is not None:
                if journal is not None:  # before the indexes exist: resumable
                    journal.note_many(str(p.doc.get("id")) for p in block if p.reuse is None)
                indexes = list(status.allocate_block(block))
            run.flying += len(block)
            if pool is None:
                for planned, index in zip(block, indexes, strict=True):
                    try:
                        outcome: Any = sign_one(planned.doc, key, cryptosuite, stamp)
                    except MicrocredError as exc:
                        outcome = exc
                    signed([(planned.item, index)], [outcome])
                continue
            for start in range(0, len(block), per_task):
                part = block[start : start + per_task]
                try:
                    future = pool.submit(
                        sign_task, [p.doc for p in part], key_blob, cryptosuite, stamp
                    )
                except BaseException:
                    run.flying -= len(block) - start
                    if status is not None:  # the rows of the block not yet sent
                        for unsent in indexes[start:]:
                            status.release(unsent)
                    raise
                rows = [(p.item, i) for p, i in zip(part, indexes[start:], strict=False)]
                run.signing[future] = rows
        while run.signing or run.writing:
            run.collect()


class _Run:
    """The futures of one :func:`sign_all`: tasks being signed, files being written."""

    def __init__(
        self, writers: Executor, finish: Callable[[BatchItem], None], status: Status | None
    ) -> None:
        self.writers, self.finish, self.status = writers, finish, status
        self.signing: dict[Future[Any], list[tuple[BatchItem, int | None]]] = {}
        self.writing: dict[Future[Any], tuple[BatchItem, int | None]] = {}
        self.flying = 0  # rows allocated, not yet written (or failed)

    def write(self, item: BatchItem, index: int | None, outcome: str | MicrocredError) -> None:
        """Hand a signed row to a writer thread; a refused row fails here and now."""
        if isinstance(outcome, MicrocredError):
            self._failed(item, index, outcome)
            return
        self.writing[self.writers.submit(_write, item, outcome)] = (item, index)

    def collect(self) -> None:
        """Wait until a task is signed or a file written; act on what is done."""
        done = wait([*self.signing, *self.writing], return_when=FIRST_COMPLETED).done
        for future in done:
            if future in self.signing:
                rows = self.signing.pop(future)
                try:
                    outcomes: list[Any] = future.result()
                except MicrocredError as exc:  # the whole task was refused
                    outcomes = [exc] * len(rows)
                for (item, index), outcome in zip(rows, outcomes, strict=True):
                    self.write(item, index, outcome)
                continue
            item, index = self.writing.pop(future)
            try:
                future.result()
            except MicrocredError as exc:
                self._failed(item, index, exc)
                continue
            self.flying -= 1
            self.finish(item)

    def _failed(self, item: BatchItem, index: int | None, exc: MicrocredError) -> None:
        item.status, item.error, item.credential = "failed", str(exc), None
        if self.status is not None:
            self.status.release(index)
        self.flying -= 1
        self.finish(item)


def _write(item: BatchItem, text: str) -> None:
    """In a writer thread: keep the credential and make its file durable."""
    item.credential = loads(text)
    if item.path is not None:
        write_atomic(item.path, text)
