"""A refused issue consumes no status index (issue #16, lower severity).

Oracle (property): the registry's allocations before and after an issue that
fails are the same set; before this fix, every refused issue left one more
allocated index that no credential holds. SQLite registries on ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from microcred_vc.keys import generate_key
from microcred_vc.status import StatusRegistry

BASE = "https://status.example/lists"


def test_reserved_entry_is_released_when_the_block_fails(tmp_path: Path) -> None:
    with StatusRegistry(f"sqlite:///{tmp_path / 's.db'}") as registry:
        with registry.reserved_entry("R", "revocation", BASE) as kept:
            pass
        with pytest.raises(RuntimeError), registry.reserved_entry("R", "revocation", BASE):
            raise RuntimeError("signing failed")
        assert registry.allocated("R") == [int(kept["statusListIndex"])]


def test_release_never_undoes_a_status_change(tmp_path: Path) -> None:
    with StatusRegistry(f"sqlite:///{tmp_path / 's.db'}") as registry:
        index = registry.allocate("R", "revocation")
        registry.set_status(index, list_id="R", revoked=True)
        assert registry.release("R", index) is False
        assert registry.allocated("R") == [index]


def test_server_refused_issue_allocates_nothing(tmp_path: Path) -> None:
    from microcred_vc.server.run import start_background

    token = "refused-issue-token-0123456789"
    server = start_background(tmp_path, tokens=[token])
    try:
        body = {
            "credential": {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
                "issuer": generate_key("Ed25519").did,
                "credentialSubject": {"id": "did:example:learner"},
                "notATerm": "undefined in every context: safe mode refuses to sign it",
            },
            "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
        }
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.url, timeout=60) as client:
            answer = client.post("/credentials/issue", json=body, headers=auth)
        assert 400 <= answer.status_code < 500, answer.text
        with StatusRegistry(server.config.status_url) as registry:
            lists = registry.lists()
            assert all(registry.allocated(name) == [] for name in lists), lists
    finally:
        server.stop()
