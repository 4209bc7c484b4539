"""Tables of the status registry and their versioned migrations.

A deliberate, tiny migration scheme instead of Alembic: the schema is four
tables, it ships inside the library, and an issuer upgrading the package must
get the new schema the first time a registry opens, with no separate command.
Migrations run inside one transaction under a lock (``BEGIN IMMEDIATE`` on
SQLite, an advisory lock on PostgreSQL), so several issuer processes that start
together apply each step exactly once.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    select,
    text,
)

metadata = MetaData()

schema_version = Table(
    "microcred_schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
)

status_lists = Table(
    "microcred_status_lists",
    metadata,
    Column("list_id", String(200), primary_key=True),
    Column("purpose", String(20), nullable=False),
    Column("entries", Integer, nullable=False),
    Column("status_size", Integer, nullable=False, default=1),
    # JSON array of {"status": "0x1", "message": ...}; NULL when not used.
    Column("messages", Text, nullable=True),
    # The URL the list was most recently published under (informative only: every
    # URL it was ever published under is in ``status_list_urls``).
    Column("url", String(2000), nullable=True, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The primary key (list_id, idx) is what makes an index impossible to hand out
# twice: two issuers racing for the same random index cannot both insert it.
status_entries = Table(
    "microcred_status_entries",
    metadata,
    Column("list_id", String(200), ForeignKey(status_lists.c.list_id), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("status", Integer, nullable=False, default=0),
    Column("credential_id", String(2000), nullable=True),
    Column("reason", Text, nullable=True),
    Column("allocated_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=True),
    PrimaryKeyConstraint("list_id", "idx", name="pk_microcred_status_entries"),
)

# Every URL a list was ever published under. A credential carries the URL its
# list had when it was issued, so a list keeps all of them: changing the public
# URL (or the CLI's --status-base-url) must never orphan earlier credentials.
# The primary key is the URL alone because one URL names exactly one list.
status_list_urls = Table(
    "microcred_status_list_urls",
    metadata,
    Column("url", String(2000), primary_key=True),
    Column(
        "list_id",
        String(200),
        ForeignKey(status_lists.c.list_id),
        nullable=False,
        index=True,
    ),
    Column("first_published_at", DateTime(timezone=True), nullable=False),
)


# Every explicit move of a list (``StatusRegistry.relocate``): an audit trail, since
# a list's URL is otherwise fixed when it is first used.
status_list_moves = Table(
    "microcred_status_list_moves",
    metadata,
    Column("move_id", Integer, primary_key=True, autoincrement=True),
    Column("list_id", String(200), ForeignKey(status_lists.c.list_id), nullable=False),
    Column("old_url", String(2000), nullable=False),
    Column("new_url", String(2000), nullable=False),
    Column("moved_at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=True),
)


# Who has signed each list when it was published: answers the registry gives for a
# credential are held to the same list-signer policy as fetched lists.
status_list_signers = Table(
    "microcred_status_list_signers",
    metadata,
    Column("list_id", String(200), ForeignKey(status_lists.c.list_id), nullable=False),
    Column("signer", String(2000), nullable=False),
    Column("first_signed_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("list_id", "signer", name="pk_microcred_status_list_signers"),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[status_lists, status_entries])


def _v2(conn: Connection) -> None:
    """Keep every published URL: the one URL a v1 list remembered becomes its first."""
    metadata.create_all(conn, tables=[status_list_urls])
    conn.execute(
        status_list_urls.insert().from_select(
            ["url", "list_id", "first_published_at"],
            select(status_lists.c.url, status_lists.c.list_id, status_lists.c.created_at).where(
                status_lists.c.url.is_not(None)
            ),
        )
    )


def _v3(conn: Connection) -> None:
    """Record explicit relocations (a list's URL is fixed otherwise) and list signers."""
    metadata.create_all(conn, tables=[status_list_moves, status_list_signers])


#: (version, step). Append new steps; never edit a released one.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [(1, _v1), (2, _v2), (3, _v3)]
SCHEMA_VERSION = MIGRATIONS[-1][0]
_PG_LOCK_KEY = 0x6D637663  # "mcvc": advisory lock id for migrations


def current_version(conn: Connection) -> int:
    row = conn.execute(select(schema_version.c.version)).first()
    return int(row[0]) if row else 0


def migrate(conn: Connection) -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION` inside the caller's transaction."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    schema_version.create(conn, checkfirst=True)
    version = current_version(conn)
    for target, step in MIGRATIONS:
        if target > version:
            step(conn)
            if version == 0:
                conn.execute(schema_version.insert().values(version=target))
            else:
                conn.execute(schema_version.update().values(version=target))
            version = target
    return version
