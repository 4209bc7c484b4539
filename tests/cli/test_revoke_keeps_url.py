"""``status revoke`` without ``--status-base-url`` keeps the list's URL (issue #20, bullet 1).

Oracle: the issue's own sequence. Issue with a custom status base URL, revoke with
the key but no base URL, twice; the republished list must carry the URL the
credential names (so a verifier finds it), the registry must know no other URL,
and verifying the credential against the republished list must say STATUS_REVOKED.
"""

from __future__ import annotations

import json
from pathlib import Path

from microcred_vc import verify
from microcred_vc.keys import Resolver
from microcred_vc.status import StatusRegistry
from tests.cli.test_cli import issue_args

BASE = "https://ects.example.edu.pl/status"


def test_revoke_without_base_url_keeps_the_list_url(run, workdir: Path, key: Path) -> None:
    # the example course's own did:web key: the CLI signs as the institution it names
    cred, db = workdir / "cred.json", f"sqlite:///{workdir / 's.db'}"
    did_json = workdir / "did.json"
    issued = run(
        *issue_args(workdir, key, "--status-db", db, "--status-base-url", BASE, "--out", str(cred))
    )
    assert issued.code == 0, issued.err
    credential = json.loads(cred.read_text())
    url = credential["credentialStatus"]["statusListCredential"]
    assert url.startswith(BASE + "/")
    listed = workdir / "list.json"
    for _ in range(2):  # re-revoking is idempotent
        revoked = run(
            "status",
            "revoke",
            str(cred),
            "--status-db",
            db,
            "--key",
            str(key),
            "--out",
            str(listed),
        )
        assert revoked.code == 0, revoked.err
        published = json.loads(listed.read_text())
        assert published["id"] == url
    with StatusRegistry(db) as registry:
        assert registry.list_urls("revocation-1") == [url]
    did_document = json.loads(did_json.read_text())
    resolver = Resolver(documents={did_document["id"]: did_document})
    report = verify(credential, fetch={url: published}.__getitem__, resolver=resolver)
    assert [c.code for c in report.checks if c.name == "status"] == ["STATUS_REVOKED"]
    assert not report.verified
