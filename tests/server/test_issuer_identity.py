"""The VC API service and issuer identity (issue 17 items 2 and 3).

Oracles: the W3C vc-di-eddsa / vc-di-ecdsa test vectors (an https issuer signed
by a did:key: the proof holds, nothing links the key to the issuer, so the VC
API verifier must answer 200 and report the issuer separately); DID Core 1.0 for
the served DID document; DESIGN.md "Never change what the caller gave".
"""

from __future__ import annotations

import json

import httpx
import pytest

from microcred_vc.server.run import start_background
from tests.fixture_paths import FIXTURES
from tests.server.conftest import TOKEN, as_issuer, server_did

VECTORS = FIXTURES / "di-vectors"
SIGNED_VECTORS = [
    VECTORS / "vc-di-eddsa" / "eddsa-rdfc-2022" / "signedDataInt.json",
    VECTORS / "vc-di-eddsa" / "eddsa-jcs-2022" / "signedJCS.json",
    VECTORS / "vc-di-ecdsa" / "ecdsa-rdfc-2019-p256" / "signedECDSAP256.json",
    VECTORS / "vc-di-ecdsa" / "ecdsa-jcs-2019-p256" / "signedJCSECDSAP256.json",
]
UNSIGNED = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "type": ["VerifiableCredential", "ExampleAlumniCredential"],
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}


@pytest.mark.parametrize(
    ("issuer", "code"),
    [
        # not a URL at all: the data-model check names the rule before any key is compared
        ("fake-issuer", "DATAMODEL_INVALID"),
        ("did:web:micro.tudublin.example.ie", "ISSUER_KEY_MISMATCH"),
        ({"id": "https://vc.example/issuers/1"}, "ISSUER_KEY_MISMATCH"),
    ],
)
def test_issue_refuses_an_issuer_that_is_not_the_server(client, auth, issuer, code) -> None:
    """Regression: the old server answered 201 with the issuer replaced by its did:key."""
    body = {"credential": {**UNSIGNED, "issuer": issuer}}
    response = client.post("/credentials/issue", json=body, headers=auth)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == code


def test_issue_without_an_issuer_is_refused(client, auth) -> None:
    """Oracle: VC Data Model 2.0 §4.7 — a credential MUST have an issuer (rule issuer.required)."""
    response = client.post("/credentials/issue", json={"credential": UNSIGNED}, headers=auth)
    assert response.status_code == 400
    assert response.json()["code"] == "DATAMODEL_INVALID"
    assert [v["rule"] for v in response.json()["violations"]] == ["issuer.required"]


def test_issue_keeps_the_issuer_object(server, client, auth) -> None:
    unsigned = {**UNSIGNED, "issuer": {"id": server_did(server), "name": "Example University"}}
    response = client.post("/credentials/issue", json={"credential": unsigned}, headers=auth)
    assert response.status_code == 201, response.text
    assert response.json()["verifiableCredential"]["issuer"] == unsigned["issuer"]


@pytest.mark.parametrize("path", SIGNED_VECTORS, ids=lambda p: p.parent.name)
def test_w3c_vectors_verify_with_the_issuer_reported(client, path) -> None:
    vector = json.loads(path.read_text(encoding="utf-8"))
    assert vector["issuer"] == "https://vc.example/issuers/5678"
    response = client.post("/credentials/verify", json={"verifiableCredential": vector})
    assert response.status_code == 200, response.text
    report = response.json()
    issuer = next(c for c in report["checks"] if c["name"] == "issuer")
    assert issuer["status"] == "warn" and issuer["code"] == "ISSUER_NOT_LINKED"
    assert "not shown to belong to https://vc.example/issuers/5678" in issuer["message"]
    assert report["verified"] is True and report["warnings"]


def test_options_checks_are_honoured(server, client, auth) -> None:
    unsigned = as_issuer(server, UNSIGNED)
    vc = client.post("/credentials/issue", json={"credential": unsigned}, headers=auth).json()[
        "verifiableCredential"
    ]
    asked = {"verifiableCredential": vc, "options": {"checks": ["proof", "expiry"]}}
    assert client.post("/credentials/verify", json=asked).status_code == 200
    unknown = {"verifiableCredential": vc, "options": {"checks": ["proof", "telepathy"]}}
    response = client.post("/credentials/verify", json=unknown)
    assert response.status_code == 400 and response.json()["code"] == "CHECK_UNSUPPORTED"
    # status was asked for but the credential has none: not performed is not passed
    status = {"verifiableCredential": vc, "options": {"checks": ["status"]}}
    response = client.post("/credentials/verify", json=status)
    assert response.status_code == 400 and response.json()["verified"] is False


def test_server_with_a_did_web_identity(tmp_path) -> None:
    """did_web in the settings: keys are the institution's, did.json is served to publish."""
    running = start_background(tmp_path, tokens=[TOKEN], did_web="example.edu")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    try:
        with httpx.Client(base_url=running.url, timeout=60) as client:
            doc = client.get("/.well-known/did.json").json()
            assert doc["@context"][0] == "https://www.w3.org/ns/did/v1"
            assert doc["id"] == "did:web:example.edu"
            vms = [vm["id"] for vm in doc["verificationMethod"]]
            assert len(vms) == 2 and doc["assertionMethod"] == vms
            assert all(
                vm["controller"] == "did:web:example.edu" for vm in doc["verificationMethod"]
            )
            for suite in ("eddsa-rdfc-2022", "ecdsa-rdfc-2019"):
                unsigned = {**UNSIGNED, "issuer": "did:web:example.edu"}
                issued = client.post(
                    f"/{suite}/credentials/issue", json={"credential": unsigned}, headers=auth
                )
                assert issued.status_code == 201, issued.text
                vc = issued.json()["verifiableCredential"]
                assert vc["issuer"] == "did:web:example.edu"
                assert vc["proof"]["verificationMethod"] in vms
                verified = client.post("/credentials/verify", json={"verifiableCredential": vc})
                assert verified.status_code == 200, verified.text
    finally:
        running.stop()


def test_did_json_is_404_without_a_did_web(client) -> None:
    assert client.get("/.well-known/did.json").status_code == 404
