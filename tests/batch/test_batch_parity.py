"""Serial, process pool and Dask runs give the same files and status indexes (issue #20),
with duplicate learners in the roster rejected the same way by each.

Oracle (property): with a fixed clock and sequential allocation, the three executors
must produce byte-identical output folders (Ed25519 signatures are deterministic) and
the same allocated indexes in each status database — the executor only signs; which
learner gets which index is decided in the caller's process, in roster order.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from microcred_vc.batch import issue_batch
from microcred_vc.keys import generate_key
from microcred_vc.model import load_course_spec
from microcred_vc.status import StatusRegistry
from tests.fixture_paths import REPO

CREATED = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
COURSE = REPO / "examples" / "course.json"


def _roster_with_duplicates(tmp_path: Path) -> Path:
    """The example roster with its first two learners repeated at the end."""
    lines = (REPO / "examples" / "roster.csv").read_text(encoding="utf-8").splitlines()
    roster = tmp_path / "roster-with-duplicates.csv"
    roster.write_text("\n".join([*lines, lines[1], lines[2]]) + "\n", encoding="utf-8")
    return roster


def _run(tmp_path: Path, name: str, key: Any, executor: Any) -> tuple[dict[str, bytes], list]:
    out = tmp_path / name
    db = f"sqlite:///{tmp_path / (name + '.db')}"
    with StatusRegistry(db, allocation="sequential") as registry:
        result = issue_batch(
            load_course_spec(COURSE),
            _roster_with_duplicates(tmp_path),
            key,
            executor=executor,
            out_dir=out,
            registry=registry,
            created=CREATED,
            skip_invalid=True,
        )
        # the two repeated learners are rejected once each, whatever the executor
        assert result.rejected == 2 and result.issued > 10
        allocated = registry.allocated("revocation-1")
    files = {p.name: p.read_bytes() for p in out.glob("credential-*.json")}
    return files, allocated


def test_serial_pool_and_dask_write_the_same_files(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    key = generate_key("Ed25519", controller="did:web:micro.tudublin.example.ie")
    serial = _run(tmp_path, "serial", key, None)
    with ProcessPoolExecutor(2) as pool:
        pooled = _run(tmp_path, "pool", key, pool)
    with (
        LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None)
        as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        dask = _run(tmp_path, "dask", key, client)
    assert serial[1] == pooled[1] == dask[1]
    assert serial[0] == pooled[0] == dask[0]
