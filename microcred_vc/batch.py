"""Batch issuance on any executor: a course and a roster in, signed files out.

The expensive part (canonicalisation and signing) is shipped to the executor
— a thread or process pool, or a Dask ``Client`` so many machines can sign —
while everything stateful stays here in the caller's process: building and
validating each learner's MicroCredential, allocating status indexes in the
one registry, and writing files. So workers need no database access and a
crash never leaves an index assigned twice. Indexes are allocated as each
credential is submitted, with a bounded number in flight, so a crash wastes
only those (issue #16); a failed signature gives its index back.

Runs are resumable: each learner's output file name is derived from the
course and the learner, written to a temporary file and renamed into place,
so an interrupted batch continues where it stopped without re-issuing, and a
file is either complete or absent. All credentials of a run share one
``created`` time, so a run on any executor gives the same documents as the
serial run (byte for byte with the deterministic EdDSA suites).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from microcred_vc.errors import IssuerKeyMismatch, MicrocredError
from microcred_vc.validate.datamodel import require_datamodel

Progress = Callable[[int, int], None]


@dataclass
class BatchItem:
    """One roster row's outcome."""

    row: int
    learner: str
    path: Path | None = None
    credential: dict[str, Any] | None = None
    status: str = "issued"  # issued | skipped | failed
    error: str | None = None


@dataclass
class BatchResult:
    items: list[BatchItem] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def issued(self) -> int:
        return self._count("issued")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def failed(self) -> int:
        return self._count("failed")


def _sign_one(
    doc: dict[str, Any], key: Any, cryptosuite: str | None, created: str
) -> dict[str, Any]:
    """Runs in the worker: must be a top-level function so it pickles."""
    from microcred_vc.proofs import issue_document

    return issue_document(doc, key, cryptosuite=cryptosuite, created=created)


def _learner_label(row: Any) -> str:
    for name in ("email", "id", "learner_id", "name", "full_name"):
        value = row.get(name) if isinstance(row, dict) else getattr(row, name, None)
        if value:
            return str(value)
    return repr(row)


def _row_number(row: Any, fallback: int) -> int:
    value = row.get("row") if isinstance(row, dict) else getattr(row, "row", None)
    return int(value) if isinstance(value, int) else fallback


def output_name(course_key: str, learner: str) -> str:
    """Stable file name per (course, learner): the resumption key."""
    digest = hashlib.sha256(f"{course_key}\x00{learner}".encode()).hexdigest()[:20]
    return f"credential-{digest}.json"


PUBLIC_FILE_MODE = 0o644


def write_atomic(path: Path, data: str, *, mode: int = PUBLIC_FILE_MODE) -> None:
    """Write to a temporary file in the same folder, then rename: all or nothing.

    Credentials and rendered pages are public documents (the learner shares them), so
    they get ``mode`` (0644), not the 0600 that ``mkstemp`` gives; only keys are secret,
    and the key file writer sets its own mode.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _as_executor(executor: Any) -> Executor | None:
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
class _Status:
    """Where each credential's status index comes from (None: no registry)."""

    registry: Any
    list_id: str
    base_url: str

    def allocate(self, doc: dict[str, Any]) -> int:
        """Reserve an index and put its entry in ``doc``; the caller releases on failure."""
        index = int(self.registry.allocate(self.list_id, "revocation", credential_id=doc.get("id")))
        try:
            doc["credentialStatus"] = self.registry.entry_for(
                self.list_id, index, "revocation", self.base_url
            )
        except BaseException:
            self.release(index)
            raise
        return index

    def release(self, index: int | None) -> None:
        if index is not None:
            self.registry.release(self.list_id, index)


def _lock_folder(out: Path) -> Any:
    """An exclusive lock on ``out`` for the whole run: two runs must not issue twice.

    Returns the open lock file (closing it releases the lock); raises
    ``BATCH_LOCKED`` when another run holds it.
    """
    import fcntl

    out.mkdir(parents=True, exist_ok=True)
    handle = open(out / ".microcred-batch.lock", "a")  # noqa: SIM115 - held for the run
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise MicrocredError(
            f"another issue-batch run is writing to {out}; wait for it to finish "
            "(then re-run: finished learners are skipped)",
            code="BATCH_LOCKED",
        ) from None
    return handle


def issue_batch(
    course: Any,
    learners: Iterable[Any],
    key: Any,
    *,
    executor: Any = None,
    format: str = "ob3",
    cryptosuite: str | None = None,
    out_dir: str | Path | None = None,
    registry: Any = None,
    status_list: str = "revocation-1",
    status_base_url: str = "https://status.example/lists",
    created: datetime | None = None,
    progress: Progress | None = None,
    in_flight: int | None = None,
) -> BatchResult:
    """Issue one credential per learner; see the module docstring for the guarantees.

    Status indexes are allocated one credential at a time, as each is sent to be
    signed, with at most ``in_flight`` (default: twice the pool's workers) signed
    but not yet written; so a killed run wastes at most that many indexes, and a
    credential whose signing fails gives its index back. A learner who appears
    twice in the roster is issued once; the second row fails as a duplicate.
    With ``out_dir``, the folder is locked for the run (``BATCH_LOCKED``).
    """
    out = Path(out_dir) if out_dir is not None else None
    lock = _lock_folder(out) if out is not None else None
    try:
        return _run(
            course, list(learners), key, _as_executor(executor), format, cryptosuite, out,
            _Status(registry, status_list, status_base_url) if registry is not None else None,
            created, progress, in_flight,
        )  # fmt: skip
    finally:
        if lock is not None:
            lock.close()


def _run(
    course: Any,
    rows: list[Any],
    key: Any,
    pool: Executor | None,
    format: str,
    cryptosuite: str | None,
    out: Path | None,
    status: _Status | None,
    created: datetime | None,
    progress: Progress | None,
    in_flight: int | None,
) -> BatchResult:
    """Issue the rows; the course's issuer must be the key's controller (``key.did``).

    Otherwise :class:`~microcred_vc.errors.IssuerKeyMismatch` is raised before any
    row is signed, since every row would carry the same mismatch.
    """
    from microcred_vc.formats.builtin import dump_document
    from microcred_vc.model import build_micro_credential
    from microcred_vc.proofs.issue import check_issuer

    moment = (created or datetime.now(UTC)).replace(microsecond=0)
    stamp = moment.isoformat().replace("+00:00", "Z")
    course_key = json.dumps(_course_identity(course), sort_keys=True, default=str)
    result = BatchResult()
    pending: dict[Future[Any], tuple[BatchItem, int | None]] = {}
    window = _window(pool, in_flight) if pool is not None else 1
    seen: dict[str, int] = {}  # learner -> the row that issues for them
    total = len(rows)
    done = 0

    def finish(item: BatchItem) -> None:
        nonlocal done
        result.items.append(item)
        done += 1
        if progress is not None:
            progress(done, total)

    def collect() -> None:
        """Wait until the pool has signed at least one credential; write what it has."""
        for future in wait(pending, return_when=FIRST_COMPLETED).done:
            item, index = pending.pop(future)
            _complete(item, future.result, finish, status, index)

    for position, row in enumerate(rows, start=1):
        label = _learner_label(row)
        item = BatchItem(row=_row_number(row, position), learner=label)
        if label in seen:
            item.status = "failed"
            item.error = f"duplicate learner {label!r}: already issued by row {seen[label]}"
            finish(item)
            continue
        seen[label] = item.row
        if out is not None:
            item.path = out / output_name(course_key, label)
            if item.path.exists():
                item.status = "skipped"
                finish(item)
                continue
        index: int | None = None
        try:
            # id and issue time are fixed per run, so reruns and executors agree
            stable_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, course_key + label)}"
            built = build_micro_credential(course, row, issued_at=moment, credential_id=stable_id)
            doc = dump_document(built, format)
            # the same issuer for every row: a key of another controller stops the run
            check_issuer(doc, key)
            # a credential the signer would refuse must not take a status index first
            require_datamodel(doc, require_issuance_date=False)
            while len(pending) >= window:  # bound what a kill can waste
                collect()
            if status is not None:
                index = status.allocate(doc)
        except IssuerKeyMismatch:
            raise
        except MicrocredError as exc:
            item.status, item.error = "failed", str(exc)
            finish(item)
            continue
        if pool is None:
            _complete(
                item, lambda d=doc: _sign_one(d, key, cryptosuite, stamp), finish, status, index
            )
        else:
            try:
                pending[pool.submit(_sign_one, doc, key, cryptosuite, stamp)] = (item, index)
            except BaseException:
                if status is not None:
                    status.release(index)
                raise
    while pending:
        collect()
    result.items.sort(key=lambda i: i.row)
    return result


def _complete(
    item: BatchItem,
    get: Callable[[], dict[str, Any]],
    finish: Callable[[BatchItem], None],
    status: _Status | None = None,
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


def _course_identity(course: Any) -> Any:
    if dataclasses.is_dataclass(course) and not isinstance(course, type):
        return dataclasses.asdict(course)
    if hasattr(course, "model_dump"):
        return course.model_dump(mode="json")
    if isinstance(course, dict):
        return course
    return repr(course)
