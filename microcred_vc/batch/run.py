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

import json
import os
import pickle
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from typing import Any

from microcred_vc.batch.files import Journal, write_atomic
from microcred_vc.batch.plan import BatchItem, Planned
from microcred_vc.errors import MicrocredError
from microcred_vc.status.bitstring import attach_status

Progress = Callable[[int, int], None]
#: Rows allocated (and journaled) together when signing in this process: a kill wastes at
#: most these until the run is resumed, which gives them to the same learners.
SERIAL_BLOCK = 16

#: Keys this worker process has imported, by their pickled form: a batch sends the same
#: key with every task, and importing it (Multikey decoding, public key derivation) once
#: per worker instead of once per credential is what "one engine per worker" means here.
_WORKER_KEYS: dict[bytes, Any] = {}


def _worker_key(blob: bytes) -> Any:
    key = _WORKER_KEYS.get(blob)
    if key is None:
        if len(_WORKER_KEYS) >= 4:  # a long-lived worker serving many issuers: keep a few
            _WORKER_KEYS.clear()
        key = _WORKER_KEYS.setdefault(blob, pickle.loads(blob))  # our own pickle (see sign_all)
    return key


def _sign_one(doc: dict[str, Any], key: Any, cryptosuite: str | None, created: str) -> str:
    """Sign and serialise (the indented JSON encoder is pure Python: do it in the worker)."""
    from microcred_vc.proofs import issue_document

    signed = issue_document(doc, key, cryptosuite=cryptosuite, created=created)
    return json.dumps(signed, indent=2, ensure_ascii=False)


def _sign_task(
    docs: list[dict[str, Any]], key_blob: bytes, cryptosuite: str | None, created: str
) -> list[str | MicrocredError]:
    """Runs in the worker (top-level, so it pickles): sign a few rows, each on its own.

    A refused row comes back as its error, so it fails alone, as in a serial run.
    """
    key = _worker_key(key_blob)
    out: list[str | MicrocredError] = []
    for doc in docs:
        try:
            out.append(_sign_one(doc, key, cryptosuite, created))
        except MicrocredError as exc:
            out.append(exc)
    return out


def as_executor(executor: Any) -> Executor | None:
    if executor is None or isinstance(executor, Executor):
        return executor
    if hasattr(executor, "get_executor"):  # dask.distributed.Client
        return executor.get_executor()
    raise MicrocredError(
        "executor must be a concurrent.futures.Executor or a dask.distributed.Client",
        code="BATCH_EXECUTOR_INVALID",
    )


def _workers(pool: Executor) -> int:
    """The pool's parallelism: its ``max_workers``, or a Dask cluster's threads."""
    workers = getattr(pool, "_max_workers", None)
    client = getattr(pool, "_client", None)  # dask.distributed's ClientExecutor
    if workers is None and client is not None and hasattr(client, "nthreads"):
        workers = sum(client.nthreads().values())
    return int(workers or os.cpu_count() or 1)


def _window(pool: Executor, in_flight: int | None) -> int:
    """How many credentials may be allocated and in flight at once (at least 1)."""
    if in_flight is not None:
        return max(1, in_flight)
    return 2 * _workers(pool)  # enough to keep every worker busy while this process writes


def _task_rows(pool: Executor, window: int) -> int:
    """Rows per task: one by default; with a wide window, enough to amortise the
    per-task cost (pickling, and a scheduler round trip on Dask) while still giving
    every worker about two tasks at a time."""
    return max(1, window // (2 * _workers(pool)))


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
    block at a time (with a pool: once half the window is free, so the workers stay
    busy while this process writes), the block's ids journaled before its indexes exist.
    """
    pending: dict[Future[Any], list[tuple[BatchItem, int | None]]] = {}
    if pool is None:
        window = max(1, in_flight) if in_flight is not None else SERIAL_BLOCK
    else:
        window = _window(pool, in_flight)
    refill = max(1, window // 2) if pool is not None else window
    per_task = _task_rows(pool, window) if pool is not None else 1
    key_blob = pickle.dumps(key) if pool is not None else b""
    flying = 0  # rows allocated and sent, not yet written

    def collect() -> None:
        """Wait until the pool has signed at least one task; write what it has."""
        nonlocal flying
        for future in wait(pending, return_when=FIRST_COMPLETED).done:
            rows = pending.pop(future)
            flying -= len(rows)
            try:
                signed: list[Any] = future.result()
            except MicrocredError as exc:  # the whole task was refused
                signed = [exc] * len(rows)
            for (item, index), outcome in zip(rows, signed, strict=True):
                _complete(item, lambda o=outcome: _unwrap(o), finish, status, index)

    position = 0
    while position < len(todo):
        while window - flying < min(refill, len(todo) - position):
            collect()  # bound what a kill can leave allocated
        block = todo[position : position + window - flying]
        position += len(block)
        indexes: list[int | None] = [None] * len(block)
        if status is not None:
            if journal is not None:  # before the indexes exist: resumable
                journal.note_many(str(p.doc.get("id")) for p in block if p.reuse is None)
            indexes = list(status.allocate_block(block))
        if pool is None:
            for planned, index in zip(block, indexes, strict=True):
                doc = planned.doc
                _complete(
                    planned.item,
                    lambda d=doc: _sign_one(d, key, cryptosuite, stamp),
                    finish,
                    status,
                    index,
                )
            continue
        for start in range(0, len(block), per_task):
            part = block[start : start + per_task]
            try:
                future = pool.submit(
                    _sign_task, [p.doc for p in part], key_blob, cryptosuite, stamp
                )
            except BaseException:
                if status is not None:  # the rows of the block not yet sent
                    for unsent in indexes[start:]:
                        status.release(unsent)
                raise
            pending[future] = [(p.item, i) for p, i in zip(part, indexes[start:], strict=False)]
            flying += len(part)
    while pending:
        collect()


def _unwrap(outcome: str | MicrocredError) -> str:
    if isinstance(outcome, MicrocredError):
        raise outcome
    return outcome


def _complete(
    item: BatchItem,
    get: Callable[[], str],
    finish: Callable[[BatchItem], None],
    status: Status | None = None,
    index: int | None = None,
) -> None:
    """Sign (or take the pool's signed JSON) and write; a failure gives the index back."""
    try:
        text = get()
        item.credential = json.loads(text)
        if item.path is not None:
            write_atomic(item.path, text)
    except MicrocredError as exc:
        item.status, item.error, item.credential = "failed", str(exc), None
        if status is not None:
            status.release(index)
    finish(item)
