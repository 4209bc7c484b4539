"""Durable server records: registered courses, credentials issued per learner, idempotency
keys and bulk jobs, in the same database as the status registry.

One database (the server's ``status_db``: SQLite by default, PostgreSQL by URL)
so a backup of it holds everything, and so the guarantees come from the
database rather than from one process's memory: the primary key
``(course_id, learner_key)`` lets exactly one of many racing requests (threads,
workers, machines) claim a learner, and an idempotency key is claimed the same
way. The tables are created on first use, beside the registry's own.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    select,
    text,
)
from sqlalchemy.exc import OperationalError

from microcred_vc.status.db import SqlDatabase, unavailable

metadata = MetaData()

courses = Table(
    "microcred_courses",
    metadata,
    Column("course_id", String(200), primary_key=True),
    Column("spec", Text, nullable=False),  # the course spec JSON exactly as sent
    Column("revision", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One row per (course, learner): the claim that makes issuing idempotent.
learner_credentials = Table(
    "microcred_course_credentials",
    metadata,
    Column("course_id", String(200), nullable=False),
    Column("learner_key", String(500), nullable=False),
    Column("credential_uuid", String(36), nullable=False, unique=True),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(10), nullable=False),  # pending | issued
    Column("credential", Text, nullable=True),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("course_id", "learner_key", name="pk_microcred_course_credentials"),
)

idempotency_keys = Table(
    "microcred_idempotency_keys",
    metadata,
    Column("scope", String(400), primary_key=True),  # client + key
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(10), nullable=False),  # pending | done
    Column("status_code", Integer, nullable=True),
    Column("body", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

jobs = Table(
    "microcred_jobs",
    metadata,
    Column("job_id", String(36), primary_key=True),
    Column("course_id", String(200), nullable=False),
    Column("state", String(10), nullable=False),  # queued | running | done | failed
    Column("options", Text, nullable=False),
    Column("rows", Text, nullable=False),  # the learner records still to issue
    Column("total", Integer, nullable=False),
    Column("done", Integer, nullable=False),
    Column("rejects", Text, nullable=False),
    Column("results", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

#: A claim older than this belongs to a request that died; another may take it over.
STALE_CLAIM = timedelta(minutes=2)
_PG_LOCK_KEY = 0x6D637372  # "mcsr": advisory lock for creating the server tables


def now_utc() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class ServerStore(SqlDatabase):
    """The server's own tables (courses, learner claims, idempotency keys, jobs)."""

    def __init__(self, url: str) -> None:
        self._open(url)
        try:
            with self._write() as conn:
                if self._dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
                metadata.create_all(conn, checkfirst=True)
        except OperationalError as exc:
            raise unavailable(self.url, exc) from None

    # -- courses ----------------------------------------------------------------
    def put_course(self, course_id: str, spec: dict[str, Any]) -> tuple[int, bool]:
        """Store (or replace) a course; returns its revision and whether it is new."""
        now = now_utc()
        stored = json.dumps(spec, ensure_ascii=False, sort_keys=True)
        with self._write() as conn:
            current = conn.scalar(
                select(courses.c.revision).where(courses.c.course_id == course_id)
            )
            if current is None:
                conn.execute(
                    courses.insert().values(
                        course_id=course_id, spec=stored, revision=1, created_at=now, updated_at=now
                    )
                )
                return 1, True
            same = conn.scalar(select(courses.c.spec).where(courses.c.course_id == course_id))
            if same == stored:  # PUT is idempotent: the same spec is not a new revision
                return int(current), False
            conn.execute(
                courses.update()
                .where(courses.c.course_id == course_id)
                .values(spec=stored, revision=current + 1, updated_at=now)
            )
            return int(current) + 1, False

    def get_course(self, course_id: str) -> dict[str, Any] | None:
        with self._read() as conn:
            row = conn.execute(select(courses).where(courses.c.course_id == course_id)).first()
        return None if row is None else self._course(row)

    def list_courses(self) -> list[dict[str, Any]]:
        with self._read() as conn:
            rows = conn.execute(select(courses).order_by(courses.c.course_id)).all()
        return [self._course(row) for row in rows]

    @staticmethod
    def _course(row: Any) -> dict[str, Any]:
        return {
            "id": row.course_id,
            "course": json.loads(row.spec),
            "revision": row.revision,
            "updated": _aware(row.updated_at).isoformat().replace("+00:00", "Z"),
        }

    # -- learner claims -----------------------------------------------------------
    def claim_learner(
        self, course_id: str, learner_key: str, fingerprint: str, credential_uuid: str
    ) -> tuple[str, Any]:
        """Claim a learner for one issuing request.

        Returns ``("claimed", uuid)`` when this caller must issue (under ``uuid``),
        ``("issued", row)`` when the learner already has a credential, or
        ``("pending", row)`` while another request is issuing it.
        """
        table = learner_credentials
        now = now_utc()
        stmt = (
            self._insert(table)
            .values(
                course_id=course_id,
                learner_key=learner_key,
                credential_uuid=credential_uuid,
                fingerprint=fingerprint,
                state="pending",
                claimed_at=now,
            )
            .on_conflict_do_nothing(index_elements=["course_id", "learner_key"])
            .returning(table.c.credential_uuid)
        )
        where = (table.c.course_id == course_id, table.c.learner_key == learner_key)
        with self._write() as conn:
            if conn.execute(stmt).first() is not None:
                return "claimed", credential_uuid
            row = conn.execute(select(table).where(*where)).first()
            if row.state == "issued":
                return "issued", row
            if _aware(row.claimed_at) < now - STALE_CLAIM:
                # the request holding it died: take it over, keeping its credential id
                conn.execute(
                    table.update().where(*where).values(fingerprint=fingerprint, claimed_at=now)
                )
                return "claimed", row.credential_uuid
            return "pending", row

    def finish_learner(self, course_id: str, learner_key: str, credential: dict[str, Any]) -> None:
        table = learner_credentials
        with self._write() as conn:
            conn.execute(
                table.update()
                .where(table.c.course_id == course_id, table.c.learner_key == learner_key)
                .values(state="issued", credential=json.dumps(credential, ensure_ascii=False))
            )

    def drop_claim(self, course_id: str, learner_key: str) -> None:
        """A failed issue: the learner is free again (nothing was handed out)."""
        table = learner_credentials
        with self._write() as conn:
            conn.execute(
                table.delete().where(
                    table.c.course_id == course_id,
                    table.c.learner_key == learner_key,
                    table.c.state == "pending",
                )
            )

    def issued_credential(self, credential_uuid: str) -> dict[str, Any] | None:
        table = learner_credentials
        with self._read() as conn:
            stored = conn.scalar(
                select(table.c.credential).where(
                    table.c.credential_uuid == credential_uuid, table.c.state == "issued"
                )
            )
        return None if stored is None else json.loads(stored)

    # -- idempotency keys ---------------------------------------------------------
    def claim_key(self, scope: str, fingerprint: str) -> tuple[str, Any]:
        """``("claimed", None)``, or the stored row (``"done"``, ``"pending"``)."""
        table = idempotency_keys
        stmt = (
            self._insert(table)
            .values(scope=scope, fingerprint=fingerprint, state="pending", created_at=now_utc())
            .on_conflict_do_nothing(index_elements=["scope"])
            .returning(table.c.scope)
        )
        with self._write() as conn:
            if conn.execute(stmt).first() is not None:
                return "claimed", None
            row = conn.execute(select(table).where(table.c.scope == scope)).first()
            stale = _aware(row.created_at) < now_utc() - STALE_CLAIM
            if row.state == "pending" and stale and row.fingerprint == fingerprint:
                # the request holding the key died before answering: this one answers
                conn.execute(
                    table.update().where(table.c.scope == scope).values(created_at=now_utc())
                )
                return "claimed", None
            return str(row.state), row

    def finish_key(self, scope: str, status_code: int, body: Any) -> None:
        table = idempotency_keys
        with self._write() as conn:
            conn.execute(
                table.update()
                .where(table.c.scope == scope)
                .values(state="done", status_code=status_code, body=json.dumps(body))
            )

    def release_key(self, scope: str) -> None:
        table = idempotency_keys
        with self._write() as conn:
            conn.execute(table.delete().where(table.c.scope == scope, table.c.state == "pending"))

    # -- jobs -----------------------------------------------------------------------
    def create_job(
        self,
        job_id: str,
        course_id: str,
        options: dict[str, Any],
        rows: list[dict[str, Any]],
        rejects: list[dict[str, Any]],
    ) -> None:
        now = now_utc()
        with self._write() as conn:
            conn.execute(
                jobs.insert().values(
                    job_id=job_id,
                    course_id=course_id,
                    state="queued",
                    options=json.dumps(options),
                    rows=json.dumps(rows, ensure_ascii=False),
                    total=len(rows) + len(rejects),
                    done=len(rejects),
                    rejects=json.dumps(rejects, ensure_ascii=False),
                    results="[]",
                    created_at=now,
                    updated_at=now,
                )
            )

    def update_job(self, job_id: str, **values: Any) -> None:
        for name in ("rejects", "results"):
            if name in values:
                values[name] = json.dumps(values[name], ensure_ascii=False)
        with self._write() as conn:
            conn.execute(
                jobs.update().where(jobs.c.job_id == job_id).values(updated_at=now_utc(), **values)
            )

    def get_job(self, job_id: str) -> dict[str, Any] | None:
        with self._read() as conn:
            row = conn.execute(select(jobs).where(jobs.c.job_id == job_id)).first()
        if row is None:
            return None
        return {
            "id": row.job_id,
            "course": row.course_id,
            "state": row.state,
            "options": json.loads(row.options),
            "rows": json.loads(row.rows),
            "total": row.total,
            "done": row.done,
            "rejects": json.loads(row.rejects),
            "results": json.loads(row.results),
        }

    def unfinished_jobs(self) -> list[str]:
        """Jobs a previous server process queued or was running (resumed on start)."""
        with self._read() as conn:
            return list(
                conn.scalars(
                    select(jobs.c.job_id)
                    .where(jobs.c.state.in_(("queued", "running")))
                    .order_by(jobs.c.created_at)
                )
            )
