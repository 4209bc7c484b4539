"""Status indexes allocated a block of rows at a time (issue 22 item 4) keep the batch exact.

Oracles (properties, on what is on disk and in the status database after a real
``os._exit`` of the issuing process at the two moments a block opens up):

- killed after a block's ids are journaled but before its indexes exist, or after its
  indexes are committed but before any file is written, a resumed run leaves every
  learner with one file and every allocated index held by exactly one file (no orphan,
  none shared), and no temporary file;
- the attack on that check: the same kill with the journal removed before resuming must
  *not* come out clean — the resumed run refuses the block's learners as
  ``BATCH_ALREADY_ISSUED`` (their indexes exist but this folder has no record of them),
  which is exactly the orphan the journal prevents;
- with sequential allocation the block size and executor do not change which learner gets
  which index: serial (blocks of 16), a pool with the default window and a pool with a
  64-row window write byte-identical folders; and that comparison is not vacuous: a run
  with random allocation differs.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from microcred_vc.batch import issue_batch
from microcred_vc.batch import run as batch_run
from microcred_vc.batch import worker as batch_worker
from microcred_vc.errors import MicrocredError, RosterRowsInvalid
from microcred_vc.keys import KeyPair, generate_key
from microcred_vc.model import load_course_spec
from microcred_vc.status import StatusRegistry
from tests.batch import test_batch_crash_resume as crash_resume
from tests.batch.rosters import write_roster
from tests.fixture_paths import REPO

COURSE = REPO / "examples" / "course.json"
ISSUER = "did:web:micro.tudublin.example.ie"
ROWS = 40
CREATED = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
#: The crash-resume test's batch, first made to die (os._exit, no clean-up) at the
#: moment named by an extra last argument.
SCRIPT = (
    """
import os, sys
from microcred_vc.batch import run
from microcred_vc.status import StatusRegistry

def die(*args, **kwargs):
    os._exit(9)

kill_at = sys.argv.pop()
if kill_at == "after-journal":  # the block's ids are on disk, its indexes not yet
    StatusRegistry.allocate_many = die
else:  # after-allocation: the block's indexes are committed, no file written yet
    run.write_atomic = die
"""
    + crash_resume.SCRIPT
)


def _roster(path: Path) -> Path:
    return write_roster(path, ROWS)


def _end_group(pgid: int) -> None:
    """SIGKILL a process group and wait until none of it is left (signals are async)."""
    deadline = time.monotonic() + 60
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
        while time.monotonic() < deadline:
            os.killpg(pgid, 0)  # raises once the group is gone
            time.sleep(0.02)


def _killed_run(tmp_path: Path, workers: int, kill_at: str) -> tuple[str, Path, Path, Path]:
    key = generate_key("Ed25519", controller=ISSUER)
    key_path = tmp_path / "key.json"
    key.save(key_path)
    db, out = f"sqlite:///{tmp_path / 'status.db'}", tmp_path / "issued"
    roster = _roster(tmp_path / "roster.csv")
    command = [sys.executable, "-c", SCRIPT, db, str(out), str(roster), str(COURSE)]
    command += [str(key_path), str(workers), kill_at]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])}
    proc = subprocess.Popen(command, env=env, cwd=REPO, start_new_session=True)
    try:
        returncode = proc.wait(240)
    finally:  # pool workers forked by the dead batch share its folder lock: end them too
        _end_group(proc.pid)
    assert returncode == 9, "the batch was not killed where the test says"
    return db, out, roster, key_path


@pytest.mark.parametrize("workers", [0, 2], ids=["serial", "pool"])
@pytest.mark.parametrize("kill_at", ["after-journal", "after-allocation"])
def test_a_kill_as_a_block_opens_leaves_no_orphan_after_resume(
    tmp_path: Path, workers: int, kill_at: str
) -> None:
    db, out, roster, key_path = _killed_run(tmp_path, workers, kill_at)
    assert not list(out.glob("credential-*.json"))  # killed before the first file
    journal = (out / ".microcred-batch.journal").read_text(encoding="utf-8").split()
    with StatusRegistry(db) as registry:
        before = registry.allocated("revocation-1") if registry.lists() else []
        assert len(journal) >= 1
        assert len(before) == (0 if kill_at == "after-journal" else len(journal))
        final = issue_batch(
            load_course_spec(COURSE), roster, KeyPair.load(key_path), out_dir=out,
            registry=registry,
        )  # fmt: skip
        allocated = registry.allocated("revocation-1")
    assert final.complete and final.issued == ROWS
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("credential-*.json")]
    assert len({d["id"] for d in docs}) == len(docs) == ROWS  # one file per learner
    held = sorted(int(d["credentialStatus"]["statusListIndex"]) for d in docs)
    assert held == allocated  # every allocated index held by exactly one file
    assert set(before) <= set(held)  # the killed run's block went to its learners
    assert not list(out.glob(".tmp-*"))


def test_without_the_journal_the_killed_block_is_an_orphan(tmp_path: Path) -> None:
    """The attack: what the journal protects against, made visible by removing it."""
    db, out, roster, key_path = _killed_run(tmp_path, 0, "after-allocation")
    noted = (out / ".microcred-batch.journal").read_text(encoding="utf-8").split()
    (out / ".microcred-batch.journal").unlink()
    with StatusRegistry(db) as registry, pytest.raises(RosterRowsInvalid) as refused:
        issue_batch(
            load_course_spec(COURSE), roster, KeyPair.load(key_path), out_dir=out,
            registry=registry,
        )  # fmt: skip
    codes = {p.code for p in refused.value.problems}
    assert codes == {"BATCH_ALREADY_ISSUED"}
    assert len(refused.value.problems) == len(noted) == batch_run.SERIAL_BLOCK


def _folder(tmp_path: Path, name: str, key: Any, executor: Any, **options: Any) -> tuple:
    out = tmp_path / name
    allocation = options.pop("allocation", "sequential")
    with StatusRegistry(f"sqlite:///{tmp_path / name}.db", allocation=allocation) as registry:
        result = issue_batch(
            load_course_spec(COURSE), _roster(tmp_path / f"{name}.csv"), key, executor=executor,
            out_dir=out, registry=registry, created=CREATED, **options,
        )  # fmt: skip
        assert result.issued == ROWS
        allocated = registry.allocated("revocation-1")
    return {p.name: p.read_bytes() for p in out.glob("credential-*.json")}, allocated


def test_block_size_and_executor_do_not_change_the_files(tmp_path: Path) -> None:
    key = generate_key("Ed25519", controller=ISSUER)
    serial = _folder(tmp_path, "serial", key, None)
    with ProcessPoolExecutor(2) as pool:
        narrow = _folder(tmp_path, "narrow", key, pool)
        wide = _folder(tmp_path, "wide", key, pool, in_flight=64)
    assert serial == narrow == wide
    assert serial[1] == list(range(ROWS))
    shuffled = _folder(tmp_path, "random", key, None, allocation="random")
    assert shuffled[0] != serial[0]  # the comparison sees a different assignment


def test_a_worker_imports_each_key_once_and_never_mixes_keys() -> None:
    """Property: the per-worker key cache returns the one imported key per pickled key,
    and two keys signing in one worker each sign as themselves (checked by verifying
    each proof with only that key's DID document); a refused row in a task fails alone."""
    from microcred_vc.api import verify
    from microcred_vc.keys import Resolver

    first, second = generate_key("Ed25519"), generate_key("Ed25519")
    blobs = [pickle.dumps(first), pickle.dumps(second)]
    assert batch_worker.worker_key(blobs[0]) is batch_worker.worker_key(pickle.dumps(first))
    assert batch_worker.worker_key(blobs[1]) is not batch_worker.worker_key(blobs[0])
    stamp = "2026-07-01T12:00:00Z"
    for key, blob in zip((first, second), blobs, strict=True):
        doc = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": key.did,
            "credentialSubject": {"id": "did:example:learner"},
        }
        bad = {**doc, "issuer": "did:example:someone-else"}  # not this key's controller
        good, refused, again = batch_worker.sign_task([doc, bad, doc], blob, None, stamp)
        assert isinstance(refused, MicrocredError) and good == again
        signed = json.loads(str(good))
        resolver = Resolver(documents={key.did: key.did_document()})
        assert verify(signed, resolver=resolver).verified
