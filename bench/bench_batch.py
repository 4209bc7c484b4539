"""Benchmark: batch issuance throughput, serial vs process pool vs Dask LocalCluster.

The example roster (examples/roster.csv) signed with eddsa-rdfc-2022, in this
process one after the other. On the 2-core CI machine two workers is the
ceiling; the figures show the overhead each engine adds, and that the same
code path scales out with ``--scheduler tcp://…`` on real machines.

    .venv/bin/python bench/bench_batch.py [--out docs/performance.md] [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import write_section  # noqa: E402
from microcred_vc.batch import issue_batch  # noqa: E402
from microcred_vc.keys import generate_key  # noqa: E402
from microcred_vc.model import load_course_spec, load_roster  # noqa: E402


def timed(course: Any, learners: list[Any], key: Any, executor: Any) -> float:
    start = time.perf_counter()
    result = issue_batch(course, learners, key, executor=executor)
    elapsed = time.perf_counter() - start
    assert result.issued == len(learners), result.items
    return len(learners) / elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    course = load_course_spec(REPO / "examples" / "course.json")
    learners = list(load_roster(REPO / "examples" / "roster.csv"))
    if not args.quick:
        learners = learners * 4
    key = generate_key("Ed25519")
    timed(course, learners[:3], key, None)  # warm the context cache
    rows = [("serial (this process)", timed(course, learners, key, None))]
    with ProcessPoolExecutor(2) as pool:
        timed(course, learners[:4], key, pool)
        rows.append(("process pool, 2 workers", timed(course, learners, key, pool)))
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        timed(course, learners[:4], key, client)
        rows.append(("Dask LocalCluster, 2 workers", timed(course, learners, key, client)))
    serial = rows[0][1]
    body = [
        "## Batch issuance throughput",
        "",
        f"{len(learners)} OB3 credentials (eddsa-rdfc-2022), warm workers, same process run.",
        "",
        "| engine | credentials/s | vs serial |",
        "|---|---:|---:|",
        *(f"| {name} | {rate:.1f} | {rate / serial:.2f}× |" for name, rate in rows),
        "",
    ]
    text = "\n".join(body)
    print(text)
    if args.out:
        write_section(args.out, "bench_batch", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
