"""Back ends for the status tests: a SQLite file and a real PostgreSQL server.

PostgreSQL comes from the Debian ``postgresql`` package, started by
pytest-postgresql's ``postgresql_proc`` factory. ``pg_ctl`` is found by glob
(the major version differs between machines). When the tests run as root, the
server is started through ``pg_as_postgres.py`` as the ``postgres`` user,
because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shlex
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pytest_postgresql import factories

HERE = Path(__file__).resolve().parent


def _find_pg_ctl() -> str | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return found[-1] if found else None


PG_CTL = _find_pg_ctl()
AS_ROOT = os.geteuid() == 0
# A per-user cache dir (never a shared /tmp path): root will execute this shim.
_SHIM = (
    Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    / "microcred_vc"
    / "pg_ctl-as-postgres.sh"
)

status_pg_proc = factories.postgresql_proc(
    executable=str(_SHIM) if AS_ROOT else PG_CTL,
    host="127.0.0.1",
    port=None,
    user="postgres",
    unixsocketdir="/tmp",
)


def _write_shim() -> None:
    """(Re)write the root shim: this interpreter runs pg_as_postgres.py on the real pg_ctl."""
    script = HERE / "pg_as_postgres.py"
    body = (
        "#!/bin/sh\n"
        f"exec {shlex.quote(sys.executable)} {shlex.quote(str(script))} "
        f'{shlex.quote(str(PG_CTL))} "$@"\n'
    )
    _SHIM.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not _SHIM.exists() or _SHIM.read_text() != body:
        tmp = _SHIM.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(body)
        tmp.chmod(0o755)
        os.replace(tmp, _SHIM)


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest):
    """The running PostgreSQL executor (session-wide; one server for all tests)."""
    if PG_CTL is None:
        message = (
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/pg_ctl); "
            "install them with `apt-get install -y postgresql` (make test does this)"
        )
        if os.environ.get("CI") or os.environ.get("MICROCRED_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    if AS_ROOT:
        _write_shim()
    return request.getfixturevalue("status_pg_proc")


@pytest.fixture
def pg_url(pg_server) -> Iterator[str]:
    """A fresh, empty database on the shared server, dropped afterwards."""
    dbname = f"status_{uuid.uuid4().hex[:16]}"
    params = {"host": pg_server.host, "port": pg_server.port, "user": pg_server.user}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    yield f"postgresql+psycopg://{pg_server.user}@{pg_server.host}:{pg_server.port}/{dbname}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def registry_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each registry test runs once per back end."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'status.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def concurrent_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Like ``registry_url``, but the SQLite file lives on tmpfs when there is one.

    The stampede tests are about locking and uniqueness, not the disk: with
    ``synchronous=FULL`` every allocation waits for an fsync, and 4,000 of them
    on a shared CI disk would measure the disk. (Durability has its own test,
    on a real disk.) The test PostgreSQL runs with fsync off (-F) already.
    """
    if request.param == "postgresql":
        yield request.getfixturevalue("pg_url")
        return
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        with tempfile.TemporaryDirectory(dir=shm, prefix="microcred-status-") as folder:
            yield f"sqlite:///{folder}/status.db"
    else:
        yield f"sqlite:///{tmp_path / 'status.db'}"


@pytest.fixture
def registry(registry_url: str):
    from microcred_vc.status import StatusRegistry

    reg = StatusRegistry(registry_url)
    yield reg
    reg.close()
