"""Legacy suites, verified and never issued: Ed25519Signature2018 and ``eddsa-2022``.

Oracles:
* Ed25519Signature2018 -- an independent implementation: Digital Bazaar's
  ``@digitalbazaar/ed25519-signature-2018`` (with jsonld-signatures, versions
  pinned in ``tests/interop/node/package.json``) signs credentials here and
  verifies nothing the library could not also prove; skipped only when node or
  the packages are missing. No signed Ed25519Signature2018 file exists in
  ``../shared/fixtures`` (grep), so the node signer is the only outside source.
* eddsa-2022 -- the 1EdTech validator's own fixture
  (``ob3/validator-fixtures/ob30/simple-eddsa-2022.json``), and the vc-di-eddsa
  history: eddsa-2022 was the drafts' name of the eddsa-rdfc-2022 algorithm, so a
  proof computed by the eddsa-rdfc-2022 stages with the old label in its options
  must verify, and one merely relabelled must not (the label is signed).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from microcred_vc.errors import ProofCreationError
from microcred_vc.keys import generate_key
from microcred_vc.keys.multikey import multibase_decode, multibase_encode
from microcred_vc.proofs import add_proof, verify_proof
from microcred_vc.proofs.suites import SuiteRegistry, get_suite
from tests.fixture_paths import FIXTURES
from tests.interop.nodejs import missing, needs, run_script
from tests.proofs.conftest import OB3, read_json
from tests.proofs.test_ob3_fixtures import fragment_resolver

PACKAGE = "@digitalbazaar/ed25519-signature-2018"
needs_node = needs(PACKAGE)
CTX_2018 = "https://w3id.org/security/suites/ed25519-2018/v1"
CREATED = "2024-05-01T10:00:00Z"


def _node(request: dict[str, Any]) -> dict[str, Any]:
    return run_script("ed25519_signature_2018.mjs", request)


def _did_key(public_base58: str) -> str:
    """did:key of an Ed25519 key: multibase(0xed01 || raw key)."""
    return "did:key:" + multibase_encode(b"\xed\x01" + multibase_decode("z" + public_base58))


def _keyed(generated: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(signing key, offline documents) for a 2018 key under its did:key."""
    did = _did_key(generated["publicKeyBase58"])
    vm_id = f"{did}#{did.removeprefix('did:key:')}"
    key = {**generated, "id": vm_id, "controller": did, "type": "Ed25519VerificationKey2018"}
    public = {k: v for k, v in key.items() if k != "privateKeyBase58"}
    index = read_json(FIXTURES / "contexts" / "INDEX.json")
    docs: dict[str, Any] = {url: read_json(FIXTURES / "contexts" / f) for url, f in index.items()}
    docs[did] = {
        "@context": ["https://www.w3.org/ns/did/v1", CTX_2018],
        "id": did,
        "verificationMethod": [public],
        "assertionMethod": [vm_id],
    }
    docs[vm_id] = {"@context": CTX_2018, **public}
    return key, docs


def _vc11(did: str) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://www.w3.org/2018/credentials/examples/v1",
        ],
        "id": "urn:uuid:3b1c7f0e-2c44-4e7e-9a57-5d2b0c1d1f01",
        "type": ["VerifiableCredential", "UniversityDegreeCredential"],
        "issuer": did,
        "issuanceDate": "2024-05-01T09:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner",
            "degree": {"type": "BachelorDegree", "name": "Bachelor of Science"},
        },
    }


def _ob3(did: str) -> dict[str, Any]:
    """A JFF-plugfest-shaped OB 3.0 badge (VC 1.1 context, as those badges were)."""
    return {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "JFF x vc-edu PlugFest 2 Interoperability",
        "issuer": {"type": ["Profile"], "id": did, "name": "Jobs for the Future (JFF)"},
        "issuanceDate": "2024-05-01T09:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "id": "did:example:learner",
            "achievement": {
                "id": "urn:uuid:bd6d9316-f7ae-4073-a1e5-2f7f5bd22922",
                "type": ["Achievement"],
                "name": "JFF x vc-edu PlugFest 2 Interoperability",
                "description": "Issued a verifiable credential in the plugfest.",
                "criteria": {"narrative": "Issue and display an OB 3.0 credential."},
            },
        },
    }


@pytest.fixture(scope="module")
def node_key() -> tuple[dict[str, Any], dict[str, Any]]:
    reason = missing(PACKAGE)
    if reason is not None:
        pytest.skip(reason)
    return _keyed(_node({"action": "generate"})["key"])


def _signed_by_node(doc: dict[str, Any], key: dict[str, Any], docs: dict[str, Any]) -> dict:
    return _node(
        {"action": "sign", "document": doc, "documents": docs, "key": key, "created": CREATED}
    )["document"]


@needs_node
@pytest.mark.parametrize("make", [_vc11, _ob3], ids=["vc11", "ob3-jff"])
def test_digitalbazaar_2018_credentials_verify_here(node_key, make, loader) -> None:
    key, docs = node_key
    signed = _signed_by_node(make(key["controller"]), key, docs)
    proof = signed["proof"]
    assert proof["type"] == "Ed25519Signature2018" and "jws" in proof, proof
    assert _node({"action": "verify", "document": signed, "documents": docs})["verified"]

    result = verify_proof(signed, loader=loader)  # did:key resolves offline
    assert result.verified, result.reason
    # the library's own authored contexts suffice (no fixture copies)
    assert verify_proof(signed).verified
    assert result.proofs[0].suite == "Ed25519Signature2018"
    # and the whole credential verifies on the public API (facts read from the signed graph)
    from microcred_vc import verify

    report = verify(signed, loader=loader)
    assert report.verified, [(c.name, c.status, c.message) for c in report.checks]

    # the oracle and the library agree that a changed value breaks it
    signed["credentialSubject"]["id"] = "did:example:mallory"
    assert not _node({"action": "verify", "document": signed, "documents": docs})["verified"]
    bad = verify_proof(signed, loader=loader)
    assert not bad.verified and bad.code == "PROOF_SIGNATURE_INVALID", bad.reason


@needs_node
def test_2018_signed_options_are_covered(node_key, loader) -> None:
    """Property: every proof option is signed (created, purpose), and the jws header is fixed."""
    key, docs = node_key
    signed = _signed_by_node(_vc11(key["controller"]), key, docs)
    assert verify_proof(signed, loader=loader).verified

    later = json.loads(json.dumps(signed))
    later["proof"]["created"] = "2024-05-02T10:00:00Z"
    assert verify_proof(later, loader=loader).code == "PROOF_SIGNATURE_INVALID"

    signature = signed["proof"]["jws"].split(".")[2]
    encoded = json.loads(json.dumps(signed))
    # an attacker's "b64: true" header (a different signing input) is refused, not tried
    encoded["proof"]["jws"] = "eyJhbGciOiJFZERTQSJ9.." + signature
    got = verify_proof(encoded, loader=loader)
    assert got.code == "PROOF_VALUE_INVALID" and "jws" in got.reason, got.reason

    missing = json.loads(json.dumps(signed))
    del missing["proof"]["jws"]
    assert verify_proof(missing, loader=loader).code == "PROOF_VALUE_MISSING"


@needs_node
def test_2018_key_with_public_key_base58_in_a_did_web_document(loader) -> None:
    """Ed25519VerificationKey2018 / publicKeyBase58 in a controller document, as
    plugfest issuers published them (did:web, served offline here)."""
    from microcred_vc.keys import Resolver

    generated = _node({"action": "generate"})["key"]
    did = "did:web:plugfest.example"
    key, docs = _keyed(generated)
    for stale in (key["controller"], key["id"]):
        docs.pop(stale)
    vm_id = f"{did}#key-1"
    key = {**key, "id": vm_id, "controller": did}
    public = {k: v for k, v in key.items() if k != "privateKeyBase58"}
    controller = {
        "@context": ["https://www.w3.org/ns/did/v1", CTX_2018],
        "id": did,
        "verificationMethod": [public],
        "assertionMethod": [vm_id],
    }
    docs[did] = controller
    docs[vm_id] = {"@context": CTX_2018, **public}
    signed = _signed_by_node(_ob3(did), key, docs)
    resolver = Resolver(documents={did: controller})
    result = verify_proof(signed, loader=loader, resolver=resolver)
    assert result.verified, result.reason
    assert result.proofs[0].controller == did
    # a document listing the key only for authentication does not let it sign credentials
    login_only = {**controller, "authentication": [vm_id]}
    del login_only["assertionMethod"]
    refused = verify_proof(signed, loader=loader, resolver=Resolver(documents={did: login_only}))
    assert refused.code == "PROOF_PURPOSE_INVALID", refused.reason


def test_issuing_legacy_suites_is_refused(loader) -> None:
    """Emit strictly: the library never signs with a legacy suite (typed error, no work done)."""
    key = generate_key("Ed25519")
    for name in ("Ed25519Signature2018", "eddsa-2022"):
        with pytest.raises(ProofCreationError) as caught:
            add_proof(_vc11(key.did), key, cryptosuite=name, loader=loader)
        assert caught.value.code == "SUITE_VERIFY_ONLY"
        assert "eddsa-rdfc-2022" in caught.value.message


def test_issue_api_refuses_legacy_suites(loader) -> None:
    from microcred_vc.proofs import issue_document

    key = generate_key("Ed25519")
    with pytest.raises(ProofCreationError) as caught:
        issue_document(_vc11(key.did), key, cryptosuite="Ed25519Signature2018", loader=loader)
    assert caught.value.code == "SUITE_VERIFY_ONLY"


def test_validator_eddsa_2022_fixture_verifies(loader) -> None:
    """Oracle: the 1EdTech validator's own eddsa-2022 credential."""
    doc = read_json(OB3 / "validator-fixtures" / "ob30" / "simple-eddsa-2022.json")
    result = verify_proof(doc, loader=loader, resolver=fragment_resolver(doc))
    assert result.verified, result.reason
    assert result.proofs[0].suite == "eddsa-2022"
    # the label is signed: calling it by its current name breaks the signature
    doc["proof"][0]["cryptosuite"] = "eddsa-rdfc-2022"
    renamed = verify_proof(doc, loader=loader, resolver=fragment_resolver(doc))
    assert renamed.code == "PROOF_SIGNATURE_INVALID"


def test_eddsa_2022_is_the_eddsa_rdfc_2022_algorithm(loader) -> None:
    """Oracle: vc-di-eddsa history -- same stages, only the name changed.

    A test-only registry signs with the eddsa-rdfc-2022 declaration under the
    old label (the label sits inside the signed options); the default registry
    verifies it as eddsa-2022. A proof signed as eddsa-rdfc-2022 and only
    relabelled fails.
    """
    current = get_suite("eddsa-rdfc-2022")
    old_label = dataclasses.replace(current, name="eddsa-2022", cryptosuite="eddsa-2022")
    signer = SuiteRegistry([old_label])
    key = generate_key("Ed25519")
    doc = {**_vc11(key.did), "@context": [*_vc11(key.did)["@context"], CTX_DI1]}
    signed = add_proof(doc, key, cryptosuite="eddsa-2022", suites=signer, loader=loader)
    result = verify_proof(signed, loader=loader)
    assert result.verified, result.reason
    assert result.proofs[0].suite == "eddsa-2022"

    relabelled = add_proof(doc, key, cryptosuite="eddsa-rdfc-2022", loader=loader)
    assert verify_proof(relabelled, loader=loader).verified
    relabelled["proof"]["cryptosuite"] = "eddsa-2022"
    assert verify_proof(relabelled, loader=loader).code == "PROOF_SIGNATURE_INVALID"


def test_a_verifier_may_refuse_legacy_suites(loader) -> None:
    """A registry narrowed to the current suites adds no trust for the legacy ones."""
    doc = read_json(OB3 / "validator-fixtures" / "ob30" / "simple-eddsa-2022.json")
    strict = SuiteRegistry(allowed=["eddsa-rdfc-2022"])
    result = verify_proof(doc, loader=loader, resolver=fragment_resolver(doc), suites=strict)
    assert not result.verified and result.code == "CRYPTOSUITE_NOT_ALLOWED"


CTX_DI1 = "https://w3id.org/security/data-integrity/v1"
