"""EDCs issued with a status entry, by ``issue`` and ``issue-batch``.

An EDC is a VC 1.1 document: its contexts (VC 1.1, EDC-AP) define no
``statusListCredential``, so safe mode refused the entry (``UNDEFINED_TERM``)
and the CLI could not issue a revocable EDC at all. Oracle: the W3C Bitstring
Status List spec, which defines the entry for VC 1.1 documents in
``https://www.w3.org/ns/credentials/status/v1``; each credential must verify
against the registry, and after revocation must say ``STATUS_REVOKED``.
"""

from __future__ import annotations

import json
from pathlib import Path

from microcred_vc import verify
from microcred_vc.keys import Resolver
from microcred_vc.status import StatusRegistry
from tests.cli.test_cli import issue_args

STATUS_V1 = "https://www.w3.org/ns/credentials/status/v1"


def _resolver(workdir: Path) -> Resolver:
    did_document = json.loads((workdir / "did.json").read_text())
    return Resolver(documents={did_document["id"]: did_document})


def test_issue_edc_with_status_verifies_then_revokes(run, workdir: Path, key: Path) -> None:
    cred, db = workdir / "edc.json", f"sqlite:///{workdir / 's.db'}"
    issued = run(
        *issue_args(workdir, key, "--format", "edc", "--status-db", db, "--out", str(cred))
    )
    assert issued.code == 0, issued.err
    credential = json.loads(cred.read_text())
    assert STATUS_V1 in credential["@context"]
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"
    with StatusRegistry(db) as registry:
        report = verify(credential, resolver=_resolver(workdir), registry=registry)
    assert report.verified, report.errors
    assert report.check("status").status == "pass"
    listed = workdir / "revocation-1.json"  # without --out the list is written to the cwd
    revoked = run(
        "status", "revoke", str(cred), "--status-db", db, "--key", str(key), "--out", str(listed)
    )
    assert revoked.code == 0, revoked.err
    with StatusRegistry(db) as registry:
        after = verify(credential, resolver=_resolver(workdir), registry=registry)
    assert after.check("status").code == "STATUS_REVOKED"
    assert not after.verified


def test_issue_batch_edc_with_status(run, workdir: Path, key: Path) -> None:
    out, db = workdir / "batch", f"sqlite:///{workdir / 's.db'}"
    args = ["issue-batch", "--course", str(workdir / "course.json")]
    args += ["--roster", str(workdir / "roster.csv"), "--key", str(key), "--format", "edc"]
    result = run(*args, "--status-db", db, "--out", str(out))
    assert result.code == 0, result.out + result.err
    files = sorted(out.glob("*.json"))
    assert len(files) == 5
    indexes = set()
    with StatusRegistry(db) as registry:
        for path in files:
            credential = json.loads(path.read_text())
            assert STATUS_V1 in credential["@context"]
            indexes.add(credential["credentialStatus"]["statusListIndex"])
            report = verify(credential, resolver=_resolver(workdir), registry=registry)
            assert report.verified, (path.name, report.errors)
    assert len(indexes) == 5
