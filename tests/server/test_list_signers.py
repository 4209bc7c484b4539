"""The lists the service serves satisfy the default signer policy for every suite (#16 item 2).

Oracle: the library's own ``verify`` with the default ``status_list_signers="issuer"``,
fetching the list over the real socket. The service signs with one key per type, each
its own DID; before, lists carried only the Ed25519 proof, so an ECDSA credential's
list was signed by someone other than its issuer (STATUS_LIST_SIGNER_MISMATCH).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from microcred_vc import verify

from .conftest import TOKEN, server_did


def _issue(server, client: httpx.Client, suite: str) -> dict[str, Any]:
    body = {
        "credential": {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": server_did(server, suite),  # the key of this suite's type signs
            "credentialSubject": {"id": "did:example:learner"},
        },
        "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
    }
    auth = {"Authorization": f"Bearer {TOKEN}"}
    answer = client.post(f"/{suite}/credentials/issue", json=body, headers=auth)
    assert answer.status_code == 201, answer.text
    return answer.json()["verifiableCredential"]


@pytest.mark.parametrize("suite", ["ecdsa-rdfc-2019", "eddsa-rdfc-2022"])
def test_served_list_is_signed_by_the_credentials_issuer(
    server, client: httpx.Client, suite: str
) -> None:
    vc = _issue(server, client, suite)

    def fetch(url: str) -> Any:
        return client.get(urlsplit(url).path).json()  # the list, from this server

    report = verify(vc, fetch=fetch)
    status = report.check("status")
    assert status is not None and status.status == "pass", status
    assert report.verified
