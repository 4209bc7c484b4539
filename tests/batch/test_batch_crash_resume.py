"""A 500-row batch killed (SIGKILL) at random points, then resumed, is exact (issue #20).

Oracle (properties, checked on what is on disk and in the status database after real
kills): every learner of the roster has exactly one credential file; every allocated
status index is held by exactly one file (no orphan, none shared); no temporary file is
left; every file parses and verifies. Kill points come from fixed seeds, so a failure
replays. On the code before the journal, a resumed run allocated fresh indexes and left
the killed run's in-flight ones orphaned.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from microcred_vc.batch import issue_batch
from microcred_vc.keys import KeyPair, generate_key
from microcred_vc.model import load_course_spec
from microcred_vc.status import StatusRegistry
from tests.batch.rosters import write_roster
from tests.fixture_paths import REPO

ROWS = 500
KILLS = 3
COURSE = REPO / "examples" / "course.json"
SCRIPT = """
import sys
from concurrent.futures import ProcessPoolExecutor
from microcred_vc.batch import issue_batch
from microcred_vc.keys import KeyPair
from microcred_vc.model import load_course_spec
from microcred_vc.status import StatusRegistry

db, out, roster, course, key, workers = sys.argv[1:]
pool = ProcessPoolExecutor(int(workers)) if int(workers) else None
with StatusRegistry(db) as registry:
    issue_batch(load_course_spec(course), roster, KeyPair.load(key), executor=pool,
                out_dir=out, registry=registry)
"""


def _roster(path: Path) -> Path:
    return write_roster(path, ROWS)


def _kill_at(command: list[str], out: Path, written: int, delay: float) -> None:
    """Start a run; SIGKILL it (and its workers) once ``written`` files exist, + ``delay``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])}
    proc = subprocess.Popen(command, env=env, cwd=REPO, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("credential-*.json"))) < written and proc.poll() is None:
            assert time.monotonic() < deadline, "the batch wrote too few files"
            time.sleep(0.01)
        time.sleep(delay)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(60)


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "workers"), [(26, 2)])
def test_killed_batches_resume_exactly(tmp_path: Path, seed: int, workers: int) -> None:
    from microcred_vc.api import verify
    from microcred_vc.keys import Resolver

    rng = random.Random(seed)
    key = generate_key("Ed25519", controller="did:web:micro.tudublin.example.ie")
    key_path = tmp_path / "key.json"
    key.save(key_path)
    db, out = f"sqlite:///{tmp_path / 'status.db'}", tmp_path / "issued"
    roster = _roster(tmp_path / "roster.csv")
    command = [sys.executable, "-c", SCRIPT, db, str(out), str(roster), str(COURSE)]
    command += [str(key_path), str(workers)]
    # Kill points lie in the first half of the roster and the extra delay is short, so
    # the last kill still lands mid-batch however fast issuance gets (a 0.3 s delay near
    # the end let a fast machine finish all 500 rows before the kill).
    marks = sorted(rng.randrange(0, ROWS // 2) for _ in range(KILLS))
    for mark in marks:  # each kill lands later in the roster, at a random moment
        _kill_at(command, out, mark, rng.uniform(0, 0.03))
    killed_with = len(list(out.glob("credential-*.json")))
    assert killed_with < ROWS, "every run finished before its kill: nothing was tested"
    with StatusRegistry(db) as registry:
        final = issue_batch(
            load_course_spec(COURSE), roster, KeyPair.load(key_path), out_dir=out,
            registry=registry,
        )  # fmt: skip
        allocated = registry.allocated("revocation-1")
    assert final.complete and final.skipped == killed_with
    files = sorted(out.glob("credential-*.json"))
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in files]  # each file parses
    emails = [
        next(i["identityHash"] for i in d["credentialSubject"]["identifier"]
             if i["identityType"] == "emailAddress")
        for d in docs
    ]  # fmt: skip
    assert len(set(emails)) == len(docs) == ROWS  # one credential per learner
    held = [int(d["credentialStatus"]["statusListIndex"]) for d in docs]
    assert sorted(held) == allocated  # no orphan, no index held twice
    assert not list(out.glob(".tmp-*"))  # no half-written file
    resolver = Resolver(documents={key.did: key.did_document()})
    with StatusRegistry(db) as registry:  # status checked too (unchecked is not verified)
        for doc in docs:
            assert verify(doc, resolver=resolver, registry=registry).verified
