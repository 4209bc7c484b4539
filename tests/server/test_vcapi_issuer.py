"""VC API issuer completeness on a real socket (issue #17, item 7).

Oracles: the W3C VC API (an issuer per cryptosuite and curve; a credential must
be an object — a string is a client parsing error; options the issuer does not
implement are refused, not replaced; ``/credentials/status`` takes
``credentialId`` + ``credentialStatus: [{type, status}]``), the did:key method
(P-384 keys are multicodec 0x1201, so their DIDs start ``did:key:z82L``), and the
library's own ``verify`` for the round trips.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest

from microcred_vc import verify

UNSIGNED = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "credentialSubject": {"id": "did:example:learner"},
}
P384_DID_PREFIX = "did:key:z82L"


def _issuers(client) -> list[dict[str, Any]]:
    answer = client.get("/issuers")
    assert answer.status_code == 200
    return answer.json()["issuers"]


def _issuer_for(client, suite: str, key_type: str) -> dict[str, Any]:
    return next(
        i for i in _issuers(client) if (i["cryptosuite"], i["keyType"]) == (suite, key_type)
    )


def test_every_suite_and_curve_has_a_published_issuer(client) -> None:
    pairs = {(i["cryptosuite"], i["keyType"]) for i in _issuers(client)}
    assert {
        ("eddsa-rdfc-2022", "Ed25519"),
        ("eddsa-jcs-2022", "Ed25519"),
        ("ecdsa-rdfc-2019", "P-256"),
        ("ecdsa-rdfc-2019", "P-384"),
        ("ecdsa-jcs-2019", "P-256"),
        ("ecdsa-jcs-2019", "P-384"),
    } <= pairs


@pytest.mark.parametrize("suite", ["ecdsa-rdfc-2019", "ecdsa-jcs-2019"])
def test_p384_issuer_signs_with_p384_and_verifies(client, auth, suite: str) -> None:
    issuer = _issuer_for(client, suite, "P-384")
    assert issuer["issuer"].startswith(P384_DID_PREFIX)
    body = {"credential": {**UNSIGNED, "issuer": issuer["issuer"]}}
    answer = client.post(issuer["url"], json=body, headers=auth)
    assert answer.status_code == 201, answer.text
    vc = answer.json()["verifiableCredential"]
    assert vc["proof"]["cryptosuite"] == suite
    assert vc["proof"]["verificationMethod"].startswith(P384_DID_PREFIX)
    checked = client.post("/credentials/verify", json={"verifiableCredential": vc})
    assert checked.status_code == 200, checked.text


def test_a_suite_on_a_key_type_it_does_not_take_is_refused(client, auth) -> None:
    answer = client.post(
        "/eddsa-rdfc-2022/P-384/credentials/issue", json={"credential": UNSIGNED}, headers=auth
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "UNKNOWN_CRYPTOSUITE"


@pytest.mark.parametrize(
    "credential", ['{"@context": ["https://www.w3.org/ns/credentials/v2"]}', "eyJhbGciOi.x.y"]
)
def test_credential_as_a_string_is_a_parsing_error(client, auth, credential: str) -> None:
    answer = client.post("/credentials/issue", json={"credential": credential}, headers=auth)
    assert answer.status_code == 400
    assert answer.json()["code"] == "PARSING_ERROR"


@pytest.mark.parametrize(
    "options",
    [
        {"mandatoryPointers": ["/issuer"]},
        {"credentialStatus": {"type": "StatusList2021Entry"}},
        {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "message"}},
        {"credentialStatus": {"type": "BitstringStatusListEntry", "statusSize": 2}},
    ],
    ids=["unknown-option", "sl2021", "message-without-messages", "status-size-on-revocation"],
)
def test_unsupported_options_are_refused_not_replaced(
    server, client, auth, options: dict[str, Any]
) -> None:
    from microcred_vc.status import StatusRegistry

    issuer = _issuer_for(client, "eddsa-rdfc-2022", "Ed25519")["issuer"]
    with StatusRegistry(server.config.status_url) as registry:
        before = {name: registry.allocated(name) for name in registry.lists()}
    body = {"credential": {**UNSIGNED, "issuer": issuer}, "options": options}
    answer = client.post("/credentials/issue", json=body, headers=auth)
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "OPTION_UNSUPPORTED"
    with StatusRegistry(server.config.status_url) as registry:
        assert {name: registry.allocated(name) for name in registry.lists()} == before


def test_vc_api_status_update_by_credential_id(client, auth) -> None:
    issuer = _issuer_for(client, "eddsa-rdfc-2022", "Ed25519")["issuer"]
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    body = {
        "credential": {**UNSIGNED, "id": credential_id, "issuer": issuer},
        "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
    }
    vc = client.post("/credentials/issue", json=body, headers=auth).json()["verifiableCredential"]

    def fetch(url: str) -> Any:
        return client.get(urlsplit(url).path).json()

    assert verify(vc, fetch=fetch).verified
    change = {
        "credentialId": credential_id,
        "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "revoked"}],
    }
    answer = client.post("/credentials/status", json=change, headers=auth)
    assert answer.status_code == 200, answer.text
    assert [u["purpose"] for u in answer.json()["updated"]] == ["revocation"]
    report = verify(vc, fetch=fetch)
    assert [c.code for c in report.checks if c.name == "status"] == ["STATUS_REVOKED"]


def test_vc_api_status_update_for_an_unknown_id(client, auth) -> None:
    change = {
        "credentialId": f"urn:uuid:{uuid.uuid4()}",
        "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "suspended"}],
    }
    answer = client.post("/credentials/status", json=change, headers=auth)
    assert answer.status_code == 400
    assert answer.json()["code"] == "STATUS_NOT_FOUND"


def test_a_p384_credentials_list_is_signed_by_its_issuer(client, auth) -> None:
    """Oracle: the default status_list_signers="issuer" policy of the library's verify."""
    issuer = _issuer_for(client, "ecdsa-rdfc-2019", "P-384")
    body = {
        "credential": {**UNSIGNED, "issuer": issuer["issuer"]},
        "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
    }
    vc = client.post(issuer["url"], json=body, headers=auth).json()["verifiableCredential"]
    report = verify(vc, fetch=lambda url: client.get(urlsplit(url).path).json())
    assert report.check("status").status == "pass", report.check("status")
    assert report.verified


MESSAGES = [
    {"status": "0x0", "message": "pending"},
    {"status": "0x1", "message": "accepted"},
    {"status": "0x2", "message": "rejected"},
    {"status": "0x3", "message": "undefined"},
]


def test_message_status_entry_when_asked(client, auth) -> None:
    """Oracle: Bitstring Status List v1.0 §2.1 — a ``message`` entry with statusSize 2
    carries statusMessage with one item per value (4), and the list verifies."""
    issuer = _issuer_for(client, "eddsa-rdfc-2022", "Ed25519")["issuer"]
    wanted = {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "message",
        "statusSize": 2,
        "statusMessage": MESSAGES,
    }
    body = {"credential": {**UNSIGNED, "issuer": issuer}, "options": {"credentialStatus": wanted}}
    answer = client.post("/credentials/issue", json=body, headers=auth)
    assert answer.status_code == 201, answer.text
    entry = answer.json()["verifiableCredential"]["credentialStatus"]
    assert entry["statusPurpose"] == "message"
    assert int(entry["statusSize"]) == 2
    assert [m["message"] for m in entry["statusMessage"]] == [m["message"] for m in MESSAGES]
    vc = answer.json()["verifiableCredential"]
    report = verify(vc, fetch=lambda url: client.get(urlsplit(url).path).json())
    assert report.check("status").status == "pass", report.check("status")
    assert "pending" in report.check("status").message


@pytest.mark.parametrize(
    "wanted",
    [
        {"statusPurpose": "message", "statusSize": 2, "statusMessage": MESSAGES[:3]},
        {"statusPurpose": "message", "statusSize": 0, "statusMessage": []},
        {"statusPurpose": "message", "statusSize": 1, "statusMessage": [{"message": "x"}] * 2},
    ],
    ids=["too-few-messages", "size-zero", "message-without-status"],
)
def test_malformed_message_entries_are_refused(client, auth, wanted: dict[str, Any]) -> None:
    issuer = _issuer_for(client, "eddsa-rdfc-2022", "Ed25519")["issuer"]
    options = {"credentialStatus": {"type": "BitstringStatusListEntry", **wanted}}
    body = {"credential": {**UNSIGNED, "issuer": issuer}, "options": options}
    answer = client.post("/credentials/issue", json=body, headers=auth)
    assert answer.status_code == 400
    assert answer.json()["code"] == "OPTION_UNSUPPORTED"
