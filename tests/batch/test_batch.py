"""Batch issuance gives the same credentials on every executor, and resumes."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from microcred_vc.batch import issue_batch, output_name, write_atomic
from microcred_vc.errors import MicrocredError
from microcred_vc.keys import generate_key
from microcred_vc.model import load_course_spec, load_roster
from tests.fixture_paths import REPO

CREATED = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def course():
    return load_course_spec(REPO / "examples" / "course.json")


@pytest.fixture(scope="module")
def learners():
    return list(load_roster(REPO / "examples" / "roster.csv"))[:8]


@pytest.fixture(scope="module")
def key(course):
    """The course's own issuer key: the batch names the institution, never the key's did:key."""
    return generate_key("Ed25519", controller=course.data["issuer"]["id"])


@pytest.fixture(scope="module")
def serial(course, learners, key):
    result = issue_batch(course, learners, key, created=CREATED)
    assert result.issued == len(learners) and result.failed == 0
    return [item.credential for item in result.items]


def test_thread_pool_matches_serial(course, learners, key, serial) -> None:
    with ThreadPoolExecutor(2) as pool:
        result = issue_batch(course, learners, key, executor=pool, created=CREATED)
    assert [i.credential for i in result.items] == serial


def test_process_pool_matches_serial(course, learners, key, serial) -> None:
    with ProcessPoolExecutor(2) as pool:
        result = issue_batch(course, learners, key, executor=pool, created=CREATED)
    assert [i.credential for i in result.items] == serial


def test_dask_local_cluster_matches_serial(course, learners, key, serial) -> None:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        result = issue_batch(course, learners, key, executor=client, created=CREATED)
    assert [i.credential for i in result.items] == serial


def test_every_credential_verifies(serial, key) -> None:
    from microcred_vc.api import verify
    from microcred_vc.keys import Resolver

    resolver = Resolver(documents={key.did: key.did_document()})  # the published did.json
    for doc in serial:
        report = verify(doc, resolver=resolver)
        assert report.verified, report.errors


def test_resume_skips_done_and_progress_counts(course, learners, key, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    first = issue_batch(
        course,
        learners[:4],
        key,
        out_dir=tmp_path,
        created=CREATED,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert first.issued == 4 and seen[-1] == (4, 4)
    second = issue_batch(course, learners, key, out_dir=tmp_path, created=CREATED)
    assert (second.skipped, second.issued) == (4, len(learners) - 4)
    assert len(list(tmp_path.glob("credential-*.json"))) == len(learners)


def test_status_entries_are_distinct(course, learners, key, tmp_path: Path) -> None:
    from microcred_vc.status import StatusRegistry

    with StatusRegistry(f"sqlite:///{tmp_path / 's.db'}") as registry:
        result = issue_batch(course, learners, key, registry=registry, created=CREATED)
    indexes = [int(i.credential["credentialStatus"]["statusListIndex"]) for i in result.items]
    assert len(set(indexes)) == len(learners)


def test_bad_executor_is_refused(course, learners, key) -> None:
    with pytest.raises(MicrocredError, match="executor"):
        issue_batch(course, learners, key, executor=object())


def test_a_key_of_another_controller_stops_the_batch(course, learners) -> None:
    """Regression (issue 17): the batch used to relabel every credential with the key's did:key."""
    from microcred_vc.errors import IssuerKeyMismatch

    with pytest.raises(IssuerKeyMismatch, match=course.data["issuer"]["id"]):
        issue_batch(course, learners, generate_key("Ed25519"), created=CREATED)


def test_write_atomic_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "x.json"

    with pytest.raises(TypeError):
        write_atomic(target, 12345)  # type: ignore[arg-type]
    assert not target.exists() and not list(tmp_path.iterdir())
    write_atomic(target, json.dumps({"a": 1}))
    assert json.loads(target.read_text()) == {"a": 1}


def test_output_name_is_stable() -> None:
    assert output_name("c", "a@b") == output_name("c", "a@b") != output_name("c", "b@b")


def test_written_credentials_are_world_readable(tmp_path) -> None:
    """#20: credentials are public documents; only keys are written 0600.

    Oracle: the file mode the OS reports.
    """
    import stat

    from microcred_vc.batch import write_atomic

    target = tmp_path / "out" / "credential.json"
    write_atomic(target, "{}")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_text() == "{}"
    assert [p.name for p in target.parent.iterdir()] == ["credential.json"]  # no temp left


def test_write_atomic_steps_past_a_leftover_temporary_name(tmp_path: Path, monkeypatch) -> None:
    """Attack: a killed process with this pid left a temporary file of the very name the
    next write would pick; the write must take another name, never write into it.
    Oracle: the files on disk."""
    import itertools
    import os
    import threading

    from microcred_vc.batch import files

    monkeypatch.setattr(files, "_TEMP_NUMBERS", itertools.count())
    target = tmp_path / "credential.json"
    leftover = tmp_path / (
        f"{files.TEMP_PREFIX}credential-{os.getpid()}-{threading.get_ident()}-0.json"
    )
    leftover.write_text("half a credential")
    write_atomic(target, '{"complete": true}')
    assert json.loads(target.read_text()) == {"complete": True}
    assert leftover.read_text() == "half a credential"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, leftover.name])


def test_write_atomic_from_many_threads_at_once(tmp_path: Path) -> None:
    """Property: writer threads (the batch runs four) never share a temporary file."""
    from concurrent.futures import ThreadPoolExecutor

    texts = {tmp_path / f"c{i}.json": json.dumps({"n": i, "pad": "x" * 5000}) for i in range(64)}
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda item: write_atomic(*item), texts.items()))
    assert {p: p.read_text() for p in tmp_path.iterdir()} == texts
