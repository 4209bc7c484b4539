"""A refused issue consumes no status index (issue #16, lower severity).

Oracle (property): the registry's allocations before and after an issue that
fails are the same set; before this fix, every refused issue left one more
allocated index that no credential holds. SQLite registries on ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred_vc.status import StatusRegistry
from tests.fixture_paths import REPO


@pytest.mark.parametrize(
    "extra", [["--format", "pdf"], ["--cryptosuite", "ecdsa-rdfc-2019"]], ids=["format", "suite"]
)
def test_cli_refused_issue_allocates_nothing(run, tmp_path: Path, extra: list[str]) -> None:
    key = tmp_path / "key.json"
    # the example course's own did:web, so only the refusal under test can stop the issue
    made = run("keys", "new", "--type", "Ed25519", "--out", str(key),
               "--did-web", "micro.tudublin.example.ie")  # fmt: skip
    assert made.code == 0, made.err
    db = f"sqlite:///{tmp_path / 'status.db'}"
    args = [
        "issue",
        "--course",
        str(REPO / "examples" / "course.json"),
        "--roster",
        str(REPO / "examples" / "roster.csv"),
        "--learner",
        "aoife.byrne@learners.example.eu",
        "--key",
        str(key),
        "--status-db",
        db,
    ]
    assert run(*args, "--out", str(tmp_path / "ok.json")).code == 0
    with StatusRegistry(db) as registry:
        before = registry.allocated("revocation-1")
    refused = run(*args, *extra, "--out", str(tmp_path / "no.json"))
    assert refused.code != 0
    assert not (tmp_path / "no.json").exists()
    with StatusRegistry(db) as registry:
        assert registry.allocated("revocation-1") == before
    assert len(before) == 1
