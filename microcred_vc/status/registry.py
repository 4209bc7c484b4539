"""The issuer's status registry: which index each credential holds, and its status.

Two properties matter more than speed. An index must never be handed out
twice, even by issuer processes racing on the same list or one that crashed
half-way — so every allocation is a committed INSERT guarded by the primary
key ``(list_id, idx)``, and a lost race simply draws again (``allocation.py``,
which also allocates in blocks). And a revocation must survive a power cut once
``set_status`` returns — so SQLite runs in WAL mode with ``synchronous=FULL``
(see ``db.py``) and PostgreSQL keeps its default synchronous commit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import OperationalError

from microcred_vc.errors import ConfigError, StatusError, StatusNotFound
from microcred_vc.status import schema
from microcred_vc.status.allocation import (
    RANDOM_ATTEMPTS,
    STATEMENT_ROWS,
    Allocation,
    AllocationMixin,
)
from microcred_vc.status.bitstring import (
    MIN_ENTRIES,
    PURPOSES,
    StatusEntry,
    parse_entry,
    parse_messages,
    status_entries,
)
from microcred_vc.status.db import (
    ListInfo,
    SqlDatabase,
    StatusRecord,
    aware,
    now_utc,
    unavailable,
)
from microcred_vc.status.publication import PublicationMixin

__all__ = ["DEFAULT_URL", "RANDOM_ATTEMPTS", "ListInfo", "StatusRecord", "StatusRegistry"]

DEFAULT_URL = "sqlite:///microcred-status.db"


class StatusRegistry(AllocationMixin, PublicationMixin, SqlDatabase):
    """Allocates status list indexes, records status changes, publishes lists.

    ``StatusRegistry("sqlite:///status.db")`` (or a bare path) needs no set-up;
    ``StatusRegistry("postgresql+psycopg://user@host/db")`` serves several
    issuer machines. The schema is created or upgraded on first use.
    """

    def __init__(self, url: str | Path = DEFAULT_URL, *, allocation: Allocation = "random") -> None:
        if allocation not in ("random", "sequential"):
            raise ConfigError(f"allocation must be 'random' or 'sequential', not {allocation!r}")
        self.allocation: Allocation = allocation
        self._open(url)
        self._lists: dict[str, ListInfo] = {}
        try:
            with self._write() as conn:
                version = schema.migrate(conn)
        except OperationalError as exc:
            raise unavailable(self.url, exc) from None
        if version > schema.SCHEMA_VERSION:
            raise StatusError(
                f"registry schema version {version} is newer than this library "
                f"({schema.SCHEMA_VERSION}); upgrade microcred_vc"
            )

    def __enter__(self) -> StatusRegistry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- lists ------------------------------------------------------------------
    def create_list(
        self,
        list_id: str,
        purpose: str,
        *,
        entries: int = MIN_ENTRIES,
        status_size: int = 1,
        messages: list[Mapping[str, Any]] | None = None,
    ) -> ListInfo:
        """Create a list (idempotent when the parameters match an existing one)."""
        if not isinstance(list_id, str) or not list_id or "/" in list_id or len(list_id) > 200:
            raise StatusError(f"list_id must be 1-200 characters without '/': {list_id!r}")
        if purpose not in PURPOSES:
            raise StatusError(f"unknown status purpose {purpose!r}; use one of {sorted(PURPOSES)}")
        if entries < MIN_ENTRIES:
            raise StatusError(f"a status list needs at least {MIN_ENTRIES} entries, got {entries}")
        if not 1 <= status_size <= 16:
            raise StatusError(f"statusSize must be 1..16, got {status_size}")
        parsed = parse_messages(messages)
        if purpose == "message" and not parsed:
            raise StatusError("a 'message' status list needs statusMessage entries (messages=)")
        if any(m.status >= 1 << status_size for m in parsed):
            raise StatusError(f"a statusMessage value does not fit in statusSize {status_size}")
        stored = json.dumps([m.to_json() for m in parsed]) if parsed else None
        stmt = self._insert(schema.status_lists).values(
            list_id=list_id,
            purpose=purpose,
            entries=entries,
            status_size=status_size,
            messages=stored,
            created_at=now_utc(),
        )
        with self._write() as conn:
            conn.execute(stmt.on_conflict_do_nothing(index_elements=["list_id"]))
        info = self.list_info(list_id)
        wanted = (purpose, entries, status_size, parsed)
        if (info.purpose, info.entries, info.status_size, info.messages) != wanted:
            raise StatusError(f"status list {list_id!r} already exists with other parameters")
        return info

    def list_info(self, list_id: str) -> ListInfo:
        """The list's parameters; :class:`StatusNotFound` when it does not exist."""
        cached = self._lists.get(list_id)
        if cached is not None:
            return cached
        with self._read() as conn:
            row = conn.execute(
                select(schema.status_lists).where(schema.status_lists.c.list_id == list_id)
            ).first()
        if row is None:
            raise StatusNotFound(f"no status list {list_id!r}", list_id=list_id)
        info = ListInfo(
            row.list_id,
            row.purpose,
            row.entries,
            row.status_size,
            parse_messages(json.loads(row.messages)) if row.messages else (),
            row.url,
        )
        self._lists[list_id] = info
        return info

    def lists(self) -> list[str]:
        with self._read() as conn:
            return list(conn.scalars(select(schema.status_lists.c.list_id).order_by("list_id")))

    def _list_for(self, list_id: str, purpose: str) -> ListInfo:
        try:
            info = self.list_info(list_id)
        except StatusNotFound:
            if purpose == "message":
                raise StatusNotFound(
                    f"create message list {list_id!r} first (create_list with messages=)",
                    list_id=list_id,
                ) from None
            info = self.create_list(list_id, purpose)
        if info.purpose != purpose:
            raise StatusError(
                f"status list {list_id!r} is for {info.purpose!r}, not {purpose!r}",
                list_id=list_id,
            )
        return info

    # -- allocation (see allocation.py) --------------------------------------------
    def entries_for_credential(self, credential_id: str) -> list[tuple[str, int]]:
        """``(list_id, index)`` allocated to ``credential_id`` (the VC API names credentials
        by id when their status changes; the id was recorded at allocation)."""
        table = schema.status_entries
        with self._read() as conn:
            rows = conn.execute(
                select(table.c.list_id, table.c.idx)
                .where(table.c.credential_id == credential_id)
                .order_by(table.c.list_id, table.c.idx)
            )
            return [(row.list_id, row.idx) for row in rows]

    def entries_for_credentials(
        self, credential_ids: Iterable[str]
    ) -> dict[str, list[tuple[str, int]]]:
        """:meth:`entries_for_credential` for many ids in a few queries (a batch plan
        asks for every row of a roster; one query per row was a tenth of its time)."""
        table = schema.status_entries
        ids = sorted(set(credential_ids))
        found: dict[str, list[tuple[str, int]]] = {}
        with self._read() as conn:
            for start in range(0, len(ids), STATEMENT_ROWS):
                rows = conn.execute(
                    select(table.c.credential_id, table.c.list_id, table.c.idx)
                    .where(table.c.credential_id.in_(ids[start : start + STATEMENT_ROWS]))
                    .order_by(table.c.list_id, table.c.idx)
                )
                for row in rows:
                    found.setdefault(row.credential_id, []).append((row.list_id, row.idx))
        return found

    # -- status -------------------------------------------------------------------
    def get_status(self, list_id: str, index: int) -> StatusRecord:
        info = self.list_info(list_id)
        with self._read() as conn:
            row = conn.execute(
                select(schema.status_entries).where(
                    schema.status_entries.c.list_id == list_id,
                    schema.status_entries.c.idx == index,
                )
            ).first()
        if row is None:
            raise StatusNotFound(
                f"index {index} was never allocated in {list_id!r}", list_id=list_id, index=index
            )
        return StatusRecord(
            list_id,
            row.idx,
            info.purpose,
            row.status,
            row.reason,
            row.credential_id,
            aware(row.allocated_at),  # type: ignore[arg-type]
            aware(row.updated_at),
        )

    def set_status(
        self,
        target: Mapping[str, Any] | int,
        *,
        list_id: str | None = None,
        revoked: bool | None = None,
        suspended: bool | None = None,
        status: int | None = None,
        reason: str | None = None,
    ) -> list[StatusRecord]:
        """Change status for a credential (all its entries here) or one ``index``.

        ``revoked=True`` sets revocation entries, ``suspended=True/False`` sets or
        lifts suspension, ``status=n`` sets a message list's value. All changes
        commit together, and are durable once this returns. Revocation is final
        (the Recommendation says so), so ``revoked=False`` on a revoked entry fails.
        """
        wanted = {"revocation": revoked, "suspension": suspended}
        if all(v is None for v in (revoked, suspended, status)):
            raise StatusError("set_status needs revoked=, suspended= or status=")
        targets: list[tuple[ListInfo, int]] = []
        if isinstance(target, Mapping):
            for raw in status_entries(target):
                try:
                    entry = parse_entry(raw)
                except StatusError:
                    continue
                info = self.list_for_url(entry.list_url)
                if info is not None and info.purpose == entry.purpose:
                    targets.append((info, entry.index))
        elif isinstance(target, int) and not isinstance(target, bool):
            if list_id is None:
                raise StatusError("set_status with an index needs list_id=")
            targets.append((self.list_info(list_id), target))
        else:
            raise StatusError("set_status takes a credential (dict) or an index (int)")
        changes: list[tuple[ListInfo, int, int]] = []
        for info, index in targets:
            flag = wanted.get(info.purpose)
            value = int(flag) if flag is not None else status
            if value is None:
                continue
            if value >= 1 << info.status_size or value < 0:
                raise StatusError(f"status {value} does not fit list {info.list_id!r}")
            changes.append((info, index, value))
        if not changes:
            raise StatusNotFound("no status entry of this registry matches the requested change")
        with self._write() as conn:
            for info, index, value in changes:
                self._apply(conn, info, index, value, reason)
        return [self.get_status(info.list_id, index) for info, index, _ in changes]

    def _apply(
        self, conn: Connection, info: ListInfo, index: int, value: int, reason: str | None
    ) -> None:
        table = schema.status_entries
        where = (table.c.list_id == info.list_id, table.c.idx == index)
        query = select(table.c.status).where(*where)
        if self._dialect == "postgresql":
            query = query.with_for_update()
        current = conn.scalar(query)
        if current is None:
            raise StatusNotFound(
                f"index {index} was never allocated in {info.list_id!r}",
                list_id=info.list_id,
                index=index,
            )
        if info.purpose == "revocation" and current and not value:
            raise StatusError(
                f"index {index} in {info.list_id!r} is revoked; revocation cannot be undone",
                list_id=info.list_id,
                index=index,
            )
        if current == value and reason is None:
            return  # idempotent: re-revoking keeps the first revocation's reason and time
        conn.execute(
            table.update().where(*where).values(status=value, reason=reason, updated_at=now_utc())
        )

    def lookup(self, entry: StatusEntry) -> StatusRecord | None:
        """The registry's own record for a credential's entry, if the list is ours."""
        info = self.list_for_url(entry.list_url)
        if info is None:
            return None
        return self.get_status(info.list_id, entry.index)
