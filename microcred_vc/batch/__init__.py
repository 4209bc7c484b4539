"""Batch issuance on any executor: a course and a roster in, signed files out.

What a batch guarantees (issue #20 item 2):

- **Checked first.** Every row is parsed, built and checked before anything is signed or
  any status index allocated; all bad rows are reported together
  (:class:`~microcred_vc.errors.RosterRowsInvalid`, ``ROSTER_ROWS_INVALID``, one
  :class:`RowProblem` per row: row, column, code, message). With ``skip_invalid`` the good
  rows are issued and the bad ones written to a rejects CSV.
- **Once per learner.** A learner is one email (any case) or one learner id: a second row
  for them is ``BATCH_DUPLICATE_LEARNER`` (at its own row, naming the first); a learner
  whose file is in the output folder is skipped; one who holds an index for this course
  in the status registry from a run elsewhere is ``BATCH_ALREADY_ISSUED``. The output
  folder is locked for the run (``BATCH_LOCKED``).
- **The same on every executor.** Status indexes are allocated in roster order in this
  process, ids are derived from the course and the learner and all credentials of a run
  share one ``created`` time, so serial, process pool and Dask runs give the same files
  (byte for byte with the deterministic EdDSA suites and sequential allocation).
- **Exact after a crash.** Files are written to a temporary file and renamed (complete
  or absent; leftovers are removed by the next run). Indexes are allocated a block of
  rows at a time, and a block's credential ids are journaled in the folder before its
  indexes are allocated, so a resumed run gives a crashed run's indexes to the same
  learners: after resuming, every allocated index is held by one file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from microcred_vc.batch.files import (
    PUBLIC_FILE_MODE,
    REJECTS_NAME,
    Journal,
    lock_folder,
    output_name,
    write_atomic,
    write_rejects,
)
from microcred_vc.batch.plan import BatchItem, RowProblem, make_plan
from microcred_vc.batch.run import (
    Progress,
    Status,
    as_executor,
    long_lived_heap_frozen,
    sign_all,
)
from microcred_vc.errors import RosterRowsInvalid

__all__ = [
    "PUBLIC_FILE_MODE",
    "BatchItem",
    "BatchResult",
    "RowProblem",
    "issue_batch",
    "output_name",
    "write_atomic",
]


@dataclass
class BatchResult:
    items: list[BatchItem] = field(default_factory=list)
    #: every refused row (empty unless ``skip_invalid``: otherwise they raise)
    problems: list[RowProblem] = field(default_factory=list)
    #: where the rejected rows were written (``skip_invalid`` with an output folder)
    rejects_path: Path | None = None

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

    @property
    def rejected(self) -> int:
        return self._count("rejected")

    @property
    def complete(self) -> bool:
        """Every row is issued or was already done (else: a partial success)."""
        return self.failed == 0 and self.rejected == 0


def issue_batch(
    course: Any,
    learners: Iterable[Any] | str | Path,
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
    skip_invalid: bool = False,
    rejects: str | Path | None = None,
) -> BatchResult:
    """Issue one credential per learner; see the module docstring for the guarantees.

    ``learners`` is a roster CSV path (rows are read with their cells, so rejects keep
    them), :func:`~microcred_vc.model.lms.roster_records`, or parsed rows. Without
    ``skip_invalid`` a bad row raises ``RosterRowsInvalid`` before anything is issued;
    with it, bad rows become ``rejected`` items and go to ``rejects`` (default
    ``rejects.csv`` in ``out_dir``). At most ``in_flight`` (default: 32 times the pool's
    workers, or 16 without a pool) credentials are allocated but not yet written at any
    time; they are allocated in blocks (one registry transaction each), so a wider
    window is faster, and a kill leaves at most that many for the resumed run.
    """
    from microcred_vc.model.lms import roster_records

    records = list(roster_records(learners) if isinstance(learners, str | Path) else learners)
    out = Path(out_dir) if out_dir is not None else None
    moment = (created or datetime.now(UTC)).replace(microsecond=0)
    stamp = moment.isoformat().replace("+00:00", "Z")
    status = Status(registry, status_list, status_base_url) if registry is not None else None
    pool = as_executor(executor)  # before the lock: a wrong executor locks nothing
    lock = lock_folder(out) if out is not None else None
    journal = Journal(out) if out is not None else None
    try:
        with long_lived_heap_frozen():  # see its docstring: the run's collections
            plan = make_plan(
                course, records, key, format=format, moment=moment, out=out, journal=journal,
                status=status, pool=pool,
            )  # fmt: skip
            if plan.problems and not skip_invalid:
                count = len({p.row for p in plan.problems})
                raise RosterRowsInvalid(
                    f"{count} roster row{'s are' if count > 1 else ' is'} not valid; nothing was "
                    "issued (fix them, or skip them with skip_invalid / --skip-invalid)",
                    problems=plan.problems,
                    rows=count,
                )
            result = BatchResult(problems=plan.problems)
            if skip_invalid:
                result.rejects_path = _reject(plan, result, out, rejects)
            total = len(plan.todo) + len(plan.skipped) + result.rejected
            result.items.extend(plan.skipped)

            def finish(item: BatchItem) -> None:
                result.items.append(item)
                if progress is not None:
                    progress(len(result.items), total)

            if progress is not None and result.items:
                progress(len(result.items), total)
            sign_all(
                plan.todo, key, pool=pool, cryptosuite=cryptosuite, stamp=stamp,
                status=status, journal=journal, finish=finish, in_flight=in_flight,
            )  # fmt: skip
            result.items.sort(key=lambda i: i.row)
            return result
    finally:
        if journal is not None:
            journal.close()
        if lock is not None:
            lock.close()


def _reject(plan: Any, result: BatchResult, out: Path | None, rejects: Any) -> Path | None:
    """Rejected rows become items and, with somewhere to put it, the rejects CSV."""
    reasons: dict[int, list[str]] = {}
    for problem in plan.problems:
        where = f" ({problem.column})" if problem.column else ""
        reasons.setdefault(problem.row, []).append(f"[{problem.code}]{where} {problem.message}")
    for row, why in reasons.items():
        label = plan.rows[row][0]
        result.items.append(BatchItem(row, label, status="rejected", error="; ".join(why)))
    path = Path(rejects) if rejects is not None else (out / REJECTS_NAME if out else None)
    if path is not None:
        write_rejects(
            path,
            plan.header,
            ((r, "; ".join(w), plan.rows[r][1]) for r, w in sorted(reasons.items())),
        )
    return path
