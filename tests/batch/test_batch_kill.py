"""kill -9 during a pool batch wastes only the indexes in flight (issue #16, lower severity).

Oracle (property, from a real kill): every allocated index a written file does not
hold is wasted; with allocation as each credential is sent to be signed, at most
``in_flight`` (``WINDOW_PER_WORKER`` times the workers) plus the one being written can be. Before, the
pool batch allocated the whole roster first, so a kill wasted nearly all of it
(224 of 524 in the attack run). A resumed run wastes nothing more, and no index is
held by two files.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from microcred_vc.batch import issue_batch
from microcred_vc.batch.run import WINDOW_PER_WORKER
from microcred_vc.keys import generate_key
from microcred_vc.model import load_course_spec, load_roster
from microcred_vc.status import StatusRegistry
from tests.fixture_paths import REPO

#: the example course's issuer: the batch signs as it (issuer is never rewritten)
COURSE_ISSUER = "did:web:micro.tudublin.example.ie"


WORKERS = 2
ROWS = 120
SCRIPT = """
import sys
from concurrent.futures import ProcessPoolExecutor
from microcred_vc.batch import issue_batch
from microcred_vc.keys import generate_key
COURSE_ISSUER = "did:web:micro.tudublin.example.ie"
from microcred_vc.model import load_course_spec, load_roster
from microcred_vc.status import StatusRegistry

db, out, roster, course, workers = sys.argv[1:]
with ProcessPoolExecutor(int(workers)) as pool, StatusRegistry(db) as registry:
    issue_batch(load_course_spec(course), list(load_roster(roster)), generate_key("Ed25519", controller=COURSE_ISSUER),
                executor=pool, out_dir=out, registry=registry)
"""


def _roster(path: Path) -> Path:
    lines = ["name,email,id,grade,completion_date"]
    lines += [
        f"Learner {i},learner{i}@learners.example.eu,S{i:07},A,2026-06-15" for i in range(ROWS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _held(out: Path) -> list[int]:
    return [
        int(json.loads(p.read_text())["credentialStatus"]["statusListIndex"])
        for p in out.glob("credential-*.json")
    ]


def test_kill_during_a_pool_batch_wastes_at_most_the_in_flight(tmp_path: Path) -> None:
    db, out = f"sqlite:///{tmp_path / 'status.db'}", tmp_path / "issued"
    roster, course = _roster(tmp_path / "roster.csv"), REPO / "examples" / "course.json"
    args = [db, str(out), str(roster), str(course), str(WORKERS)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])}
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, *args], env=env, start_new_session=True, cwd=REPO
    )
    try:
        deadline = time.monotonic() + 240
        while len(list(out.glob("credential-*.json"))) < 15:
            assert proc.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "the batch wrote too few files"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, mid-run
        proc.wait(60)
    held = _held(out)
    assert len(held) < ROWS, "killed too late to measure anything"
    with StatusRegistry(db) as registry:
        allocated = registry.allocated("revocation-1")
        wasted = len(allocated) - len(held)
        assert len(set(held)) == len(held) and set(held) <= set(allocated)
        assert wasted <= WINDOW_PER_WORKER * WORKERS + 2, (wasted, len(held))
        # resume in this process: finishes the roster without wasting more
        rows = list(load_roster(roster))
        again = issue_batch(
            load_course_spec(course),
            rows,
            generate_key("Ed25519", controller=COURSE_ISSUER),
            out_dir=out,
            registry=registry,
        )
        assert again.failed == 0 and again.skipped == len(held)
        final = _held(out)
        assert len(final) == ROWS and len(set(final)) == ROWS
        assert len(registry.allocated("revocation-1")) == ROWS  # the journal gave them back
