"""Database plumbing for the status registry: engines, and the records it returns.

SQLite is configured for many issuer processes on one machine: WAL so readers
never block the writer, ``synchronous=FULL`` so a commit survives a power cut
(an allocation or a revocation that "happened" must never un-happen), a long
busy timeout, and ``BEGIN IMMEDIATE`` for writes so two writers queue instead
of deadlocking on a read-to-write upgrade. PostgreSQL needs none of that.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url

from microcred_vc.errors import ConfigError, StatusDatabaseUnavailable
from microcred_vc.status.bitstring import StatusMessage

#: how long a SQLite connection waits for another's lock (the driver's timeout, the busy
#: handler, and the WAL switch, which SQLite does not hand to the busy handler)
BUSY_TIMEOUT_S = 60


@dataclass(frozen=True)
class ListInfo:
    """A status list's fixed parameters (they never change once created)."""

    list_id: str
    purpose: str
    entries: int
    status_size: int
    messages: tuple[StatusMessage, ...]
    #: The URL most recently published under (informative; every URL the list
    #: ever had still finds it, see ``StatusRegistry.list_urls``).
    url: str | None


@dataclass(frozen=True)
class StatusRecord:
    """One allocated index and its current status value."""

    list_id: str
    index: int
    purpose: str
    status: int
    reason: str | None
    credential_id: str | None
    allocated_at: datetime
    updated_at: datetime | None


def engine_url(url: str | Path) -> str:
    text_url = str(url)
    if "://" not in text_url:  # a bare file path: the zero-set-up SQLite case
        return f"sqlite:///{Path(text_url).expanduser().resolve()}"
    if text_url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text_url.split("://", 1)[1]
    return text_url


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database
        if not database or database == ":memory:":
            raise ConfigError("the status registry needs a SQLite file, not an in-memory database")
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Take over BEGIN from the driver so writers can use BEGIN IMMEDIATE.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
            _wal(cur)
            cur.execute("PRAGMA synchronous=FULL")  # durable once COMMIT returns
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("microcred_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            raise ConfigError("use postgresql+psycopg://… for the status registry")
        return create_engine(url, pool_pre_ping=True)
    raise ConfigError(f"status registry supports sqlite and postgresql, not {backend!r}")


class SqlDatabase:
    """An engine on the status database and the transactions everything on it uses.

    Shared by the status registry and the server's store (one database, one set of
    rules): ``_write`` takes the SQLite write lock up front (``BEGIN IMMEDIATE``, see
    :func:`make_engine`), ``_read`` a plain transaction, ``_insert`` the dialect's
    INSERT that knows ``ON CONFLICT`` (what makes a claim atomic on both back ends).
    """

    url: str
    _engine: Engine
    _dialect: str

    def _open(self, url: str | Path) -> None:
        self.url = engine_url(url)
        self._engine = make_engine(self.url)
        self._dialect = self._engine.dialect.name

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(microcred_write=True)  # BEGIN IMMEDIATE on SQLite
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    def _insert(self, table: Table) -> Any:
        dialect = pg_dialect if self._dialect == "postgresql" else sqlite_dialect
        return dialect.insert(table)

    def close(self) -> None:
        self._engine.dispose()


def unavailable(url: str, exc: Exception) -> StatusDatabaseUnavailable:
    """A one-line error for a database that cannot be opened, without its password."""
    shown = make_url(url).render_as_string(hide_password=True)
    reason = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
    return StatusDatabaseUnavailable(
        f"cannot open the status database {shown}: {reason[0] if reason else 'unknown error'}",
        url=shown,
    )


def now_utc() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _wal(cur: Any, patience: float = BUSY_TIMEOUT_S) -> None:
    """Switch to WAL, waiting while another connection holds the lock it needs.

    Why: turning a new database file to WAL takes an exclusive lock, and SQLite reports
    SQLITE_BUSY for it at once instead of calling the busy handler; several processes
    opening a fresh registry together (a batch's workers, a test's) then saw "database
    is locked" at start-up. Retried with a growing pause, up to the busy timeout.
    """
    import sqlite3
    import time

    deadline = time.monotonic() + patience
    pause = 0.005
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)
