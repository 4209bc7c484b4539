"""A refused issue consumes no status index (issue #16, lower severity).

Oracle (property): the registry's allocations before and after an issue that
fails are the same set; before this fix, every refused issue left one more
allocated index that no credential holds. SQLite registries on ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred_vc.status import StatusRegistry
from tests.cli.test_cli import issue_args


@pytest.mark.parametrize(
    "extra", [["--format", "pdf"], ["--cryptosuite", "ecdsa-rdfc-2019"]], ids=["format", "suite"]
)
def test_cli_refused_issue_allocates_nothing(
    run, workdir: Path, key: Path, extra: list[str]
) -> None:
    # the example course's own did:web key, so only the refusal under test can stop the issue
    db = f"sqlite:///{workdir / 'status.db'}"
    args = issue_args(workdir, key, "--status-db", db)
    assert run(*args, "--out", str(workdir / "ok.json")).code == 0
    with StatusRegistry(db) as registry:
        before = registry.allocated("revocation-1")
    refused = run(*args, *extra, "--out", str(workdir / "no.json"))
    assert refused.code != 0
    assert not (workdir / "no.json").exists()
    with StatusRegistry(db) as registry:
        assert registry.allocated("revocation-1") == before
    assert len(before) == 1
