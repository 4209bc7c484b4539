"""The whole roster is checked before anything is issued (issue #20 item 2).

Every row is parsed, built into its MicroCredential and checked against the data model,
against the other rows (a learner is one email or one learner id) and against earlier
runs (a file in the output folder, an index in the status registry). The result is a
plan: what to sign, what is already done, and every problem with its row and column, so
an administrator fixes the spreadsheet once instead of once per bad row.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import uuid
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from microcred_vc.batch.files import Journal, output_name
from microcred_vc.batch.worker import check_rows, check_task
from microcred_vc.errors import IssuerKeyMismatch, MicrocredError, RosterError

#: the columns written for rejected rows given as parsed rows (not read from a file)
ROW_COLUMNS = ("name", "email", "id", "grade", "completion_date")
#: Rows are built on the pool in this many chunks per worker (a few, so a slow chunk
#: does not leave a worker idle) of at least CHECK_CHUNK_MIN rows (the course and the
#: key are sent with each chunk); a roster under two chunks is built in this process.
CHECK_CHUNKS_PER_WORKER = 4
CHECK_CHUNK_MIN = 16


@dataclass(frozen=True)
class RowProblem:
    """One reason a roster row is refused: where (row, column) and why (code, message)."""

    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class BatchItem:
    """One roster row's outcome."""

    row: int
    learner: str
    path: Path | None = None
    credential: dict[str, Any] | None = None
    status: str = "issued"  # issued | skipped | failed | rejected
    error: str | None = None


@dataclass
class Planned:
    """A row that will be signed: its document and, after a crash, the index it holds."""

    item: BatchItem
    doc: dict[str, Any]
    reuse: int | None = None


@dataclass
class Plan:
    todo: list[Planned] = field(default_factory=list)
    skipped: list[BatchItem] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    #: row -> (learner label, original cells) for the rejects file
    rows: dict[int, tuple[str, list[Any]]] = field(default_factory=dict)
    header: tuple[str, ...] = ROW_COLUMNS


def _get(row: Any, *names: str) -> Any:
    for name in names:
        value = row.get(name) if isinstance(row, dict) else getattr(row, name, None)
        if value:
            return value
    return None


def learner_label(row: Any) -> str:
    """The learner's name in file names and credential ids (email first: stable across runs)."""
    value = _get(row, "email", "id", "learner_id", "name", "full_name")
    return str(value) if value else repr(row)


def _identities(row: Any) -> list[tuple[str, str]]:
    """(column, value) pairs that name one learner: an email (any case) or a learner id."""
    out = []
    email = _get(row, "email")
    if email:
        out.append(("email", str(email).strip().casefold()))
    learner_id = _get(row, "learner_id", "id")
    if learner_id:
        out.append(("id", str(learner_id).strip()))
    return out


def _cells(row: Any) -> list[Any]:
    completed = _get(row, "completed_at", "completion_date")
    values = [
        _get(row, "full_name", "name"),
        _get(row, "email"),
        _get(row, "learner_id", "id"),
        _get(row, "grade"),
        completed.isoformat() if isinstance(completed, datetime) else completed,
    ]
    return ["" if v is None else v for v in values]


def course_key(course: Any) -> str:
    if dataclasses.is_dataclass(course) and not isinstance(course, type):
        identity: Any = dataclasses.asdict(course)
    elif hasattr(course, "model_dump"):
        identity = course.model_dump(mode="json")
    else:
        identity = course if isinstance(course, dict) else repr(course)
    return json.dumps(identity, sort_keys=True, default=str)


def _stable_id(ckey: str, label: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ckey + label)}"


def _label_of(record: Any) -> str:
    """The label :func:`make_plan` gives a record (rows that fail to parse have none)."""
    from microcred_vc.model.lms import RosterRecord

    row = record.learner if isinstance(record, RosterRecord) else record
    return "" if isinstance(row, RosterError) else learner_label(row)


def make_plan(
    course: Any,
    records: list[Any],
    key: Any,
    *,
    format: str,
    moment: datetime,
    out: Path | None,
    journal: Journal | None,
    status: Any,
    pool: Executor | None = None,
) -> Plan:
    """Check every row; see the module docstring. Nothing is allocated or written here.

    Rows are first sorted out in order (unreadable, duplicate, already in the folder);
    the rest are built and checked, on ``pool`` when there is one (building is most of
    the work and each row is independent), and then read in roster order again. A key
    of another controller than the course's issuer raises ``IssuerKeyMismatch`` at
    once: every row would carry the same mismatch.
    """
    from microcred_vc.model.lms import RosterRecord

    ckey = course_key(course)
    plan = Plan()
    seen: dict[tuple[str, str], int] = {}
    if status is not None:  # one registry query for the roster, not one per row
        status.preload([_stable_id(ckey, lab) for lab in map(_label_of, records) if lab])
    #: per record, in order: its problem, its skipped item, or a row to build
    slots: list[RowProblem | BatchItem | _Candidate] = []
    for position, record in enumerate(records, start=1):
        row: Any = record.learner if isinstance(record, RosterRecord) else record
        if isinstance(record, RosterRecord):
            plan.header = record.header
            cells = [record.cells.get(c, "") for c in record.header]
            cells += list(record.cells.get(None) or [])  # cells beyond the header
            number = record.row
        else:
            cells = _cells(row)
            value = _get(row, "row")
            number = value if isinstance(value, int) else position
        label = learner_label(row) if not isinstance(row, RosterError) else f"row {number}"
        plan.rows[number] = (label, cells)
        if isinstance(row, RosterError):
            column = str(row.details.get("column", ""))
            slots.append(RowProblem(number, column, row.code, row.message))
            continue
        duplicate = next(((c, v) for c, v in _identities(row) if (c, v) in seen), None)
        for identity in _identities(row):
            seen.setdefault(identity, number)
        if duplicate is not None:
            column, value = duplicate
            slots.append(
                RowProblem(
                    number,
                    column,
                    "BATCH_DUPLICATE_LEARNER",
                    f"Roster row {number}: the same learner as row {seen[duplicate]} "
                    f"({column} {value!r}); a learner is issued once",
                )
            )
            continue
        item = BatchItem(row=number, learner=label)
        if out is not None:
            item.path = out / output_name(ckey, label)
            if item.path.exists():
                item.status = "skipped"
                slots.append(item)
                continue
        # id and issue time are fixed per run, so reruns and executors agree
        slots.append(_Candidate(number, row, item, _stable_id(ckey, label)))
    candidates = [s for s in slots if isinstance(s, _Candidate)]
    built = iter(_check_rows(course, candidates, key, format, moment, pool))
    for slot in slots:
        if isinstance(slot, RowProblem):
            plan.problems.append(slot)
        elif isinstance(slot, BatchItem):
            plan.skipped.append(slot)
        else:
            _take(plan, slot, next(built), status, journal)
    return plan


@dataclass
class _Candidate:
    """A row that passed the roster checks, to be built into its document."""

    number: int
    row: Any
    item: BatchItem
    stable_id: str


def _check_rows(
    course: Any,
    candidates: list[_Candidate],
    key: Any,
    format: str,
    moment: datetime,
    pool: Executor | None,
) -> list[dict[str, Any] | MicrocredError]:
    """Each candidate's document or error, in order; on ``pool``, in a few chunks per
    worker (each chunk sends the course and key once)."""
    rows = [(c.row, c.stable_id) for c in candidates]
    if pool is None or len(rows) < 2 * CHECK_CHUNK_MIN:
        return check_rows(course, rows, key, format, moment)
    size = max(CHECK_CHUNK_MIN, -(-len(rows) // (CHECK_CHUNKS_PER_WORKER * pool_workers(pool))))
    blob = pickle.dumps(key)
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
    futures = [pool.submit(check_task, course, chunk, blob, format, moment) for chunk in chunks]
    out: list[dict[str, Any] | MicrocredError] = []
    for chunk, future in zip(chunks, futures, strict=True):
        try:
            out.extend(future.result())
        except Exception:  # e.g. a row that does not pickle
            # the pool only saves time: what it could not do is done here, where a
            # genuine error is raised as a serial run raises it
            out.extend(check_rows(course, chunk, key, format, moment))
    return out


def pool_workers(pool: Executor) -> int:
    """The pool's parallelism: its ``max_workers``, or a Dask cluster's threads."""
    workers = getattr(pool, "_max_workers", None)
    client = getattr(pool, "_client", None)  # dask.distributed's ClientExecutor
    if workers is None and client is not None and hasattr(client, "nthreads"):
        workers = sum(client.nthreads().values())
    return int(workers or os.cpu_count() or 1)


def _take(
    plan: Plan,
    slot: _Candidate,
    outcome: dict[str, Any] | MicrocredError,
    status: Any,
    journal: Journal | None,
) -> None:
    """Add a built row to the plan: its document to sign, or the problem refusing it."""
    number, row, label = slot.number, slot.row, slot.item.learner
    if isinstance(outcome, IssuerKeyMismatch):
        raise outcome
    if isinstance(outcome, MicrocredError):
        column = str(outcome.details.get("column", ""))
        plan.problems.append(RowProblem(number, column, outcome.code, outcome.message))
        return
    planned = Planned(slot.item, outcome)
    if status is not None:
        held = status.held(slot.stable_id)
        if held is not None and journal is not None and slot.stable_id in journal.ids:
            planned.reuse = held  # a crashed run of this folder allocated it: no orphan
        elif held is not None:
            plan.problems.append(
                RowProblem(
                    number,
                    "email" if _get(row, "email") else "id",
                    "BATCH_ALREADY_ISSUED",
                    f"Roster row {number}: {label} was already issued this course's "
                    f"credential by an earlier run (status list {status.list_id!r} "
                    f"index {held}), whose file is not in this output folder",
                )
            )
            return
    plan.todo.append(planned)
