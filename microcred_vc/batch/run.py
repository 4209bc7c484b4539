"""Signing a checked plan on any executor, and writing what comes back.

The expensive part (canonicalisation and signing) is shipped to the executor — a
thread or process pool, or a Dask ``Client`` — while everything stateful stays in the
caller's process: allocating status indexes in the one registry, the journal, and
writing files. Indexes are allocated in roster order as each credential is submitted,
with a bounded number in flight, so the executor never changes which learner gets
which index (with sequential allocation, serial, pool and Dask runs are identical).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from typing import Any

from microcred_vc.batch.files import Journal, write_atomic
from microcred_vc.batch.plan import BatchItem, Planned
from microcred_vc.errors import MicrocredError
from microcred_vc.status.bitstring import attach_status

Progress = Callable[[int, int], None]


def _sign_one(
    doc: dict[str, Any], key: Any, cryptosuite: str | None, created: str
) -> dict[str, Any]:
    """Runs in the worker: must be a top-level function so it pickles."""
    from microcred_vc.proofs import issue_document

    return issue_document(doc, key, cryptosuite=cryptosuite, created=created)


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
    workers = getattr(pool, "_max_workers", None) or os.cpu_count() or 1
    return 2 * int(workers)  # enough to keep every worker busy while this process writes


@dataclass
class Status:
    """Where each credential's status index comes from (None: no registry)."""

    registry: Any
    list_id: str
    base_url: str

    def held(self, credential_id: str) -> int | None:
        """The index of this list already allocated to ``credential_id``, if any."""
        for list_id, index in self.registry.entries_for_credential(credential_id):
            if list_id == self.list_id:
                return int(index)
        return None

    def allocate(self, doc: dict[str, Any], reuse: int | None = None) -> int:
        """Reserve an index (or take ``reuse``) and put its entry in ``doc``."""
        if reuse is None:
            index = int(
                self.registry.allocate(self.list_id, "revocation", credential_id=doc.get("id"))
            )
        else:
            index = reuse
        try:
            attach_status(
                doc, self.registry.entry_for(self.list_id, index, "revocation", self.base_url)
            )
        except BaseException:
            self.release(index)
            raise
        return index

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
    """Allocate, sign and write each planned row; a failed row gives its index back."""
    pending: dict[Future[Any], tuple[BatchItem, int | None]] = {}
    window = _window(pool, in_flight) if pool is not None else 1

    def collect() -> None:
        """Wait until the pool has signed at least one credential; write what it has."""
        for future in wait(pending, return_when=FIRST_COMPLETED).done:
            item, index = pending.pop(future)
            _complete(item, future.result, finish, status, index)

    for planned in todo:
        item, doc = planned.item, planned.doc
        while len(pending) >= window:  # bound what a kill can leave allocated
            collect()
        index: int | None = None
        if status is not None:
            if journal is not None and planned.reuse is None:
                journal.note(str(doc.get("id")))  # before the index exists: resumable
            index = status.allocate(doc, planned.reuse)
        if pool is None:
            _complete(
                item, lambda d=doc: _sign_one(d, key, cryptosuite, stamp), finish, status, index
            )
            continue
        try:
            pending[pool.submit(_sign_one, doc, key, cryptosuite, stamp)] = (item, index)
        except BaseException:
            if status is not None:
                status.release(index)
            raise
    while pending:
        collect()


def _complete(
    item: BatchItem,
    get: Callable[[], dict[str, Any]],
    finish: Callable[[BatchItem], None],
    status: Status | None = None,
    index: int | None = None,
) -> None:
    """Sign (or take the pool's signature) and write; a failure gives the index back."""
    try:
        item.credential = get()
        if item.path is not None:
            write_atomic(item.path, json.dumps(item.credential, indent=2, ensure_ascii=False))
    except MicrocredError as exc:
        item.status, item.error, item.credential = "failed", str(exc), None
        if status is not None:
            status.release(index)
    finish(item)
