"""Index allocation half of the status registry (mixed into StatusRegistry).

An index must never be handed out twice, even by issuer processes racing on the
same list or one that crashed half-way. The primary key ``(list_id, idx)``
decides: every claim is an ``INSERT … ON CONFLICT DO NOTHING RETURNING idx``, so
of two issuers racing for one index exactly one gets it back, and the loser
draws again. A claim is committed before the index is returned, so an issuer
that crashes before issuing only wastes it.

Claims are made in blocks: :meth:`AllocationMixin.allocate_many` reserves the
indexes for many credentials in one committed transaction (one fsync on SQLite
with ``synchronous=FULL``) instead of one each — that commit, not the INSERT,
is what a batch waited for (issue 22 item 4). One block is one multi-row INSERT
with its rows in ascending index order, so two PostgreSQL transactions inserting
overlapping blocks wait for each other in the same order and cannot deadlock;
indexes a block lost to a racer are drawn again in a new transaction.

Indexes are drawn at random (``secrets``) by default: sequential indexes would
let anyone who sees two credentials guess when, and in what order, they were
issued.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, func, select

from microcred_vc.errors import StatusError, StatusListFull
from microcred_vc.status import schema
from microcred_vc.status.db import ListInfo, now_utc

Allocation = Literal["random", "sequential"]
#: Random draws (rounds, for a block) before choosing among the remaining free indexes.
RANDOM_ATTEMPTS = 48
#: Rows per INSERT statement: well under SQLite's 32,766 bound parameters (5 per row).
STATEMENT_ROWS = 500

_SYSTEM_RANDOM = secrets.SystemRandom()


class AllocationMixin:
    """``allocate``, ``allocate_many`` and ``allocated``."""

    if TYPE_CHECKING:  # provided by StatusRegistry
        allocation: Allocation
        _dialect: str

        def _insert(self, table: Any) -> Any: ...
        def _write(self) -> AbstractContextManager[Connection]: ...
        def _read(self) -> AbstractContextManager[Connection]: ...
        def _list_for(self, list_id: str, purpose: str) -> ListInfo: ...

    def allocate(self, list_id: str, purpose: str, *, credential_id: str | None = None) -> int:
        """Reserve a fresh index in ``list_id`` (created on first use) and return it.

        The reservation is committed before this returns, so an issuer that
        crashes before issuing only wastes the index; nobody else can get it.
        """
        return self.allocate_many(list_id, purpose, [credential_id])[0]

    def allocate_many(
        self, list_id: str, purpose: str, credential_ids: Sequence[str | None]
    ) -> list[int]:
        """Reserve one fresh index per credential id, in one committed transaction.

        Returns the indexes in the order of ``credential_ids`` (each recorded with
        its id). The allocation policy is the registry's: random draws, or the next
        indexes after the highest (sequential: the same indexes as that many
        :meth:`allocate` calls). A list without room for the whole block raises
        :class:`StatusListFull` and allocates nothing from it. Only indexes a
        concurrent issuer took first are drawn again, in a further transaction.
        """
        info = self._list_for(list_id, purpose)
        wanted = list(range(len(credential_ids)))  # positions still without an index
        got: dict[int, int] = {}
        if self.allocation == "random":
            for _ in range(RANDOM_ATTEMPTS):
                if not wanted:
                    break
                draws = _SYSTEM_RANDOM.sample(range(info.entries), min(len(wanted), info.entries))
                picks = dict(zip(wanted, draws, strict=False))
                with self._write() as conn:
                    won = self._claim_many(conn, list_id, picks, credential_ids)
                got.update(won)
                wanted = [p for p in wanted if p not in got]
        # Sequential, or a crowded list: choose under the list lock instead.
        for _ in range(RANDOM_ATTEMPTS):
            if not wanted:
                return [got[p] for p in range(len(credential_ids))]
            with self._write() as conn:
                self._lock_list(conn, list_id)
                chosen = self._choose_locked(conn, info, len(wanted))
                won = self._claim_many(
                    conn, list_id, dict(zip(wanted, chosen, strict=True)), credential_ids
                )
            got.update(won)
            wanted = [p for p in wanted if p not in got]
        if not wanted:
            return [got[p] for p in range(len(credential_ids))]
        raise StatusError(f"could not allocate in {list_id!r}: too much contention")

    def _lock_list(self, conn: Connection, list_id: str) -> None:
        """Serialise choosers on one list (SQLite's BEGIN IMMEDIATE already does)."""
        if self._dialect == "postgresql":
            conn.execute(
                select(schema.status_lists.c.list_id)
                .where(schema.status_lists.c.list_id == list_id)
                .with_for_update()
            )

    def _claim_many(
        self,
        conn: Connection,
        list_id: str,
        picks: dict[int, int],
        credential_ids: Sequence[str | None],
    ) -> dict[int, int]:
        """INSERT every picked index; returns position -> index for the ones won.

        An index someone else holds is simply not returned (the primary key
        decides). Rows go in ascending index order: see the module docstring.
        """
        by_index = sorted((index, position) for position, index in picks.items())
        moment = now_utc()
        won: dict[int, int] = {}
        # One cached statement with a parameter list: SQLAlchemy's "insertmanyvalues"
        # sends it as multi-row INSERTs (RETURNING the claimed rows) without compiling
        # a new statement per block, which cost ~0.1 ms per row.
        stmt = (
            self._insert(schema.status_entries)
            .on_conflict_do_nothing(index_elements=["list_id", "idx"])
            .returning(schema.status_entries.c.idx)
        )
        for start in range(0, len(by_index), STATEMENT_ROWS):
            part = by_index[start : start + STATEMENT_ROWS]
            rows = [
                {
                    "list_id": list_id,
                    "idx": index,
                    "status": 0,
                    "credential_id": credential_ids[position],
                    "allocated_at": moment,
                }
                for index, position in part
            ]
            claimed = set(
                conn.scalars(stmt, rows) if len(rows) > 1 else conn.scalars(stmt, rows[0])
            )
            won.update((position, index) for index, position in part if index in claimed)
        return won

    def _choose_locked(self, conn: Connection, info: ListInfo, count: int) -> list[int]:
        """``count`` free indexes: next after the highest (sequential), else among free ones.

        Sequential gives what ``count`` single allocations would: the indexes after
        the highest, then the lowest free ones once the end is reached.
        """
        table = schema.status_entries
        chosen: list[int] = []
        if self.allocation == "sequential":
            top = conn.scalar(select(func.max(table.c.idx)).where(table.c.list_id == info.list_id))
            start = 0 if top is None else top + 1
            chosen = list(range(start, min(info.entries, start + count)))
            if len(chosen) == count:
                return chosen
        taken = set(conn.scalars(select(table.c.idx).where(table.c.list_id == info.list_id)))
        taken.update(chosen)
        need = count - len(chosen)
        free = [i for i in range(info.entries) if i not in taken]
        if len(free) < need:
            left = f"only {len(free)} free" if free else "no free index left"
            raise StatusListFull(
                f"status list {info.list_id!r} has {left} ({len(taken) - len(chosen)} "
                f"allocated, {count} wanted); start a new list",
                list_id=info.list_id,
            )
        if self.allocation == "sequential":
            return chosen + free[:need]
        return _SYSTEM_RANDOM.sample(free, need)

    def allocated(self, list_id: str) -> list[int]:
        """Every index handed out in ``list_id``, ascending."""
        with self._read() as conn:
            return list(
                conn.scalars(
                    select(schema.status_entries.c.idx)
                    .where(schema.status_entries.c.list_id == list_id)
                    .order_by(schema.status_entries.c.idx)
                )
            )
