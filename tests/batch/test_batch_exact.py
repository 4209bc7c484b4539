"""Batches that are exact (issue #20 bullet 2, #16): no double issue, no orphaned index.

Oracles (properties): every allocated index is held by exactly one written file;
a learner is issued at most once per folder, whatever the executor and however
many runs write to it at the same time. Each test fails on the code before.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from microcred_vc.batch import issue_batch
from microcred_vc.errors import MicrocredError
from microcred_vc.keys import generate_key
from microcred_vc.model import load_course_spec, load_roster
from microcred_vc.status import StatusRegistry
from tests.fixture_paths import REPO

#: the example course's issuer: the batch signs as it (issuer is never rewritten)
COURSE_ISSUER = "did:web:micro.tudublin.example.ie"


COURSE = REPO / "examples" / "course.json"


def _held(out: Path) -> list[int]:
    return [
        int(json.loads(p.read_text())["credentialStatus"]["statusListIndex"])
        for p in out.glob("credential-*.json")
    ]


@pytest.mark.parametrize("workers", [0, 2], ids=["serial", "pool"])
def test_a_duplicate_learner_is_issued_once(tmp_path: Path, workers: int) -> None:
    """A duplicate refuses the whole batch (nothing allocated); skipped, it is issued once."""
    from microcred_vc.errors import RosterRowsInvalid

    rows = list(load_roster(REPO / "examples" / "roster.csv"))[:3]
    rows.append(dataclasses.replace(rows[1], row=99))  # the same learner twice
    out = tmp_path / "issued"
    with StatusRegistry(f"sqlite:///{tmp_path / 's.db'}") as registry:
        key = generate_key("Ed25519", controller=COURSE_ISSUER)
        with pytest.raises(RosterRowsInvalid) as refused:
            issue_batch(load_course_spec(COURSE), rows, key, out_dir=out, registry=registry)
        assert [(p.row, p.code) for p in refused.value.problems] == [
            (99, "BATCH_DUPLICATE_LEARNER")
        ]
        assert registry.lists() == [] or registry.allocated("revocation-1") == []
        pool = ProcessPoolExecutor(workers) if workers else None
        try:
            result = issue_batch(
                load_course_spec(COURSE),
                rows,
                key,
                executor=pool,
                out_dir=out,
                registry=registry,
                skip_invalid=True,
            )
        finally:
            if pool is not None:
                pool.shutdown()
        allocated = registry.allocated("revocation-1")
    assert (result.issued, result.rejected) == (3, 1)
    duplicate = next(i for i in result.items if i.status == "rejected")
    assert duplicate.row == 99 and "row 3" in (duplicate.error or "")
    assert sorted(_held(out)) == allocated and len(allocated) == 3  # no orphan


def test_a_failed_signature_gives_its_index_back(tmp_path: Path) -> None:
    rows = list(load_roster(REPO / "examples" / "roster.csv"))[:3]
    with StatusRegistry(f"sqlite:///{tmp_path / 's.db'}") as registry:
        with ProcessPoolExecutor(2) as pool:
            result = issue_batch(
                load_course_spec(COURSE),
                rows,
                generate_key("Ed25519", controller=COURSE_ISSUER),
                executor=pool,
                cryptosuite="ecdsa-rdfc-2019",  # not a suite for this key: every row fails
                registry=registry,
            )
        assert result.failed == 3
        assert registry.allocated("revocation-1") == []


def test_a_locked_folder_is_refused_before_anything_is_allocated(tmp_path: Path) -> None:
    out = tmp_path / "issued"
    out.mkdir()
    rows = list(load_roster(REPO / "examples" / "roster.csv"))[:2]
    with open(out / ".microcred-batch.lock", "a") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # another run is writing here
        with StatusRegistry(f"sqlite:///{tmp_path / 's.db'}") as registry:
            with pytest.raises(MicrocredError) as caught:
                issue_batch(
                    load_course_spec(COURSE),
                    rows,
                    generate_key("Ed25519", controller=COURSE_ISSUER),
                    out_dir=out,
                    registry=registry,
                )
            assert caught.value.code == "BATCH_LOCKED"
            assert registry.lists() == [] or registry.allocated("revocation-1") == []


SCRIPT = """
import sys
from microcred_vc.batch import issue_batch
from microcred_vc.errors import MicrocredError
from microcred_vc.keys import generate_key
COURSE_ISSUER = "did:web:micro.tudublin.example.ie"
from microcred_vc.model import load_course_spec, load_roster
from microcred_vc.status import StatusRegistry

db, out, roster, course = sys.argv[1:]
with StatusRegistry(db) as registry:
    try:
        r = issue_batch(load_course_spec(course), list(load_roster(roster)),
                        generate_key("Ed25519", controller=COURSE_ISSUER), out_dir=out, registry=registry)
    except MicrocredError as exc:
        print(exc.code)
    else:
        print("issued", r.issued)
"""


def test_two_concurrent_runs_issue_each_learner_once(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    lines = ["name,email,id,grade,completion_date"]
    lines += [f"Learner {i},l{i}@learners.example.eu,S{i:07},A,2026-06-15" for i in range(40)]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db, out = f"sqlite:///{tmp_path / 'status.db'}", tmp_path / "issued"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])}
    command = [sys.executable, "-c", SCRIPT, db, str(out), str(roster), str(COURSE)]
    runs = [subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE) for _ in "ab"]
    said = [run.communicate(timeout=300)[0].decode().strip() for run in runs]
    issued = sum(int(s.split()[1]) for s in said if s.startswith("issued"))
    assert issued == 40, said
    with StatusRegistry(db) as registry:
        assert len(registry.allocated("revocation-1")) == 40
    assert len(set(_held(out))) == 40
