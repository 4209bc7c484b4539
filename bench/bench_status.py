"""Benchmark: status-list index allocation throughput per back end.

Run from the repository root::

    .venv/bin/python bench/bench_status.py [--count 2000] [--workers 1 4] \
        [--postgres postgresql+psycopg://user@host/db] [--no-postgres] [--out FILE]

Each row is one back end × allocation mode × number of issuer processes, all
allocating on one shared list, each allocation its own durable transaction
(that is the cost that matters: an issuer commits the index before it issues).
SQLite runs on a fresh file in a temporary directory. PostgreSQL uses
``--postgres`` if given, otherwise a throwaway server started from the Debian
``postgresql`` binaries (as the ``postgres`` user when run as root, through the
same wrapper the tests use). After each run the index set is checked: no
duplicates, all recorded; the script exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import glob
import multiprocessing as mp
import os
import shlex
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from microcred_vc.status import StatusRegistry  # noqa: E402


def _worker(url: str, list_id: str, count: int, allocation: str) -> tuple[list[int], float]:
    registry = StatusRegistry(url, allocation=allocation)  # type: ignore[arg-type]
    try:
        registry.allocate(list_id, "revocation")  # warm the connection and list cache
        start = time.perf_counter()
        got = [registry.allocate(list_id, "revocation") for _ in range(count)]
        return got, time.perf_counter() - start
    finally:
        registry.close()


def run(url: str, allocation: str, workers: int, count: int) -> tuple[float, float, bool]:
    """Total allocations per second, mean ms per allocation, and the integrity verdict."""
    list_id = f"bench-{uuid.uuid4().hex[:8]}"
    StatusRegistry(url).close()
    per_worker = max(1, count // workers)
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers) as pool:
        wall = time.perf_counter()
        results = pool.starmap(_worker, [(url, list_id, per_worker, allocation)] * workers)
        wall = time.perf_counter() - wall
    handed_out = [i for got, _ in results for i in got]
    busy = max(elapsed for _, elapsed in results)
    with StatusRegistry(url) as registry:
        recorded = registry.allocated(list_id)
    ok = len(set(handed_out)) == len(handed_out) and set(handed_out) <= set(recorded)
    total = per_worker * workers
    return total / busy, 1000 * busy / per_worker, ok and wall >= busy


@contextmanager
def temporary_postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server; yields its URL and removes it afterwards."""
    from pytest_postgresql.executors import PostgreSQLExecutor

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise SystemExit(
            "no /usr/lib/postgresql/*/bin/pg_ctl: install postgresql or pass --postgres"
        )
    pg_ctl = found[-1]
    with tempfile.TemporaryDirectory(prefix="bench-status-") as private:  # 0700, ours
        executable = pg_ctl
        if os.geteuid() == 0:  # PostgreSQL refuses root: run it as the postgres user
            shim = Path(private) / "pg_ctl.sh"
            wrapper = REPO / "tests" / "status" / "pg_as_postgres.py"
            shim.write_text(
                f"#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(wrapper))} "
                f'{shlex.quote(pg_ctl)} "$@"\n'
            )
            shim.chmod(0o700)
            executable = str(shim)
        import port_for

        port = port_for.select_random()
        server = PostgreSQLExecutor(
            executable=executable,
            host="127.0.0.1",
            port=port,
            datadir=str(Path(private) / "data"),
            unixsocketdir="/tmp",
            logfile=str(Path(private) / "server.log"),
            startparams="-w",
            dbname="bench",
            user="postgres",
        )
        server.start()
        try:
            import psycopg

            with psycopg.connect(
                host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
            ) as conn:
                conn.execute('CREATE DATABASE "bench"')
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/bench"
        finally:
            server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="allocations per row")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--postgres", help="use this PostgreSQL URL instead of a throwaway one")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    args = parser.parse_args()

    rows = [
        "| back end | allocation | processes | allocations/s | ms per allocation | integrity |",
        "|---|---|---:|---:|---:|---|",
    ]
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-status-sqlite-") as folder:
        backends: list[tuple[str, object]] = [("sqlite", nullcontext(f"sqlite:///{folder}/s.db"))]
        if args.postgres:
            backends.append(("postgresql", nullcontext(args.postgres)))
        elif not args.no_postgres:
            backends.append(("postgresql", temporary_postgres()))
        for name, source in backends:
            with source as url:  # type: ignore[attr-defined]
                for allocation in ("random", "sequential"):
                    for workers in args.workers:
                        rate, ms, ok = run(url, allocation, workers, args.count)
                        failed |= not ok
                        verdict = "ok" if ok else "**DUPLICATE OR LOST**"
                        rows.append(
                            f"| {name} | {allocation} | {workers} | {rate:,.0f} | {ms:.2f} "
                            f"| {verdict} |"
                        )
                        print(rows[-1], file=sys.stderr, flush=True)
    table = "\n".join(rows)
    pg_note = (
        "PostgreSQL from --postgres, its own settings"
        if args.postgres
        else "throwaway PostgreSQL started like pytest-postgresql does, i.e. with fsync off (-F)"
    )
    header = (
        f"Status index allocation, {args.count} allocations per row, one transaction "
        f"each (SQLite WAL + synchronous=FULL; {pg_note}); {os.cpu_count()} CPUs, "
        "shared machine: compare rows of one run, not runs.\n\n"
    )
    print(header + table)
    if args.out:
        from bench.common import write_section

        write_section(
            args.out,
            "bench_status",
            "## Status index allocation throughput\n\n" + header + table + "\n",
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
