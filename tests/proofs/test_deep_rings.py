"""Credentials holding a ring of 1,200 / 5,000 indistinguishable blank nodes.

Issue #17: such a ring raised a bare ``RecursionError`` in RDFC-1.0 and
``POST /credentials/issue`` answered 500. Oracle (property): every entry point
ends in the typed ``CANON_BUDGET_EXCEEDED`` -- ``add_proof`` and ``issue`` raise
it, ``verify_proof`` and ``verify`` report it as a failed proof, and the server
answers a 4xx problem naming a code, never 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from microcred_vc import api
from microcred_vc.errors import MicrocredError
from microcred_vc.keys import generate_key
from microcred_vc.proofs import add_proof, verify_proof

TOKEN = "deep-rings-token-0123456789abcdef"
SIZES = [1_200, 5_000]


def ring_credential(n: int, issuer: str = "did:example:issuer") -> dict[str, Any]:
    """A VC 2.0 credential whose subject includes an n-cycle of blank nodes.

    ``@included`` keeps the ring nodes unlinked from the subject, so the only way
    to tell them apart is to walk the ring (Hash N-Degree Quads, n levels deep).
    """
    nodes = [
        {"id": f"_:r{i}", "https://example.org/next": {"id": f"_:r{(i + 1) % n}"}} for i in range(n)
    ]
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "id": "urn:uuid:0f3c4c2e-6b77-4bb5-9d1a-3a0f8f1e9d10",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:subject", "@included": nodes},
    }


def _signed_then_ringed(n: int, loader: Any) -> dict[str, Any]:
    """A real proof on a small ring, then the big ring swapped in (what an attacker sends)."""
    key = generate_key("Ed25519")
    signed = add_proof(ring_credential(3, key.did), key, loader=loader)
    signed["credentialSubject"] = ring_credential(n)["credentialSubject"]
    return signed


@pytest.mark.parametrize("n", SIZES)
def test_add_proof_and_issue_raise_the_typed_error(n: int, loader) -> None:
    key = generate_key("P-384")
    with pytest.raises(MicrocredError) as info:
        add_proof(ring_credential(n, key.did), key, loader=loader)
    assert info.value.code == "CANON_BUDGET_EXCEEDED"
    with pytest.raises(MicrocredError) as info:
        api.issue(ring_credential(n, key.did), key, format="vc", loader=loader)
    assert info.value.code == "CANON_BUDGET_EXCEEDED"


@pytest.mark.parametrize("n", SIZES)
def test_verify_reports_the_typed_error(n: int, loader) -> None:
    doc = _signed_then_ringed(n, loader)
    result = verify_proof(doc, loader=loader)
    assert not result.verified and result.code == "CANON_BUDGET_EXCEEDED", result.reason
    report = api.verify(doc, loader=loader, status=False)
    assert not report.verified
    assert "CANON_BUDGET_EXCEEDED" in str(report.to_dict())


def test_a_small_ring_still_signs_and_verifies(loader) -> None:
    """Guard: the ring itself is legitimate data; only its size makes it too costly."""
    key = generate_key("P-384")
    signed = add_proof(ring_credential(5, key.did), key, loader=loader)
    assert verify_proof(signed, loader=loader).verified


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    from microcred_vc.server.run import start_background

    running = start_background(
        tmp_path_factory.mktemp("deep-rings"), tokens=[TOKEN], max_body_bytes=2_000_000
    )
    try:
        with httpx.Client(base_url=running.url, timeout=120) as c:
            yield c
    finally:
        running.stop()


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("path", ["/credentials/issue", "/ecdsa-rdfc-2019/credentials/issue"])
def test_server_issue_answers_a_typed_4xx(client: httpx.Client, path: str, n: int) -> None:
    suite = path.split("/")[1] if path.count("/") > 2 else "eddsa-rdfc-2022"
    issuers = client.get("/issuers").json()["issuers"]
    # the server's own DID for this suite, so only the ring can stop the issue
    issuer = next(i["issuer"] for i in issuers if i["cryptosuite"] == suite)
    response = client.post(
        path,
        json={"credential": ring_credential(n, issuer)},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert 400 <= response.status_code < 500, response.text[:500]
    assert response.json()["code"] == "CANON_BUDGET_EXCEEDED", response.text[:500]


@pytest.mark.parametrize("n", SIZES)
def test_server_verify_answers_a_typed_4xx(client: httpx.Client, n: int, loader) -> None:
    doc = _signed_then_ringed(n, loader)
    response = client.post("/credentials/verify", json={"verifiableCredential": doc})
    assert response.status_code == 400, response.text[:500]
    assert "CANON_BUDGET_EXCEEDED" in response.text
