"""The signed Open Badges 3.0 / CLR 2.0 fixtures, and the OB 3.0 spec's signing walkthrough.

Most fixtures name an https verification method whose fragment is the
publicKeyMultibase (``https://example.com/issuers/876543#z6Mk…``). Offline, the
test supplies the controller document that URL would serve -- a Multikey
listed under assertionMethod -- exactly what the 1EdTech validator fetches.
did:key methods need nothing. Files whose contexts are not available offline
would be skipped with the missing URL named; none is (the one draft context that
is published nowhere is an expected CONTEXT_NOT_ALLOWED).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from microcred_vc.keys import KeyPair, Resolver
from microcred_vc.proofs import add_proof, verify_credential, verify_proof
from microcred_vc.proofs.engine import stages
from microcred_vc.proofs.suites import get_suite
from tests.proofs.conftest import OB3, read_json

#: file -> None (must verify) or the stable code it must fail with
EXPECTED: dict[str, str | None] = {
    "spec-examples/impl_linked-data-proof-clr--07-signed-credential.json": None,
    "spec-examples/impl_linked-data-proof-ob--07-signed-credential.json": None,
    "validator-fixtures/clr20/complex.json": None,
    "validator-fixtures/clr20/simple.json": None,
    # The withdrawn draft context https://dc.imsglobal.org/draft/clr/v2p0/context is
    # published nowhere (1EdTech's validator comments it out as "dev legacy"; neither
    # ../shared/fixtures/contexts nor contexts/ holds a copy): it cannot be verified,
    # and saying so is the honest outcome, not a skip.
    "validator-fixtures/clr20/simple_old_safesigned.json": "CONTEXT_NOT_ALLOWED",
    "validator-fixtures/clr20/simple_v1.json": "DID_METHOD_UNSUPPORTED",  # urn:uuid: method
    "validator-fixtures/ob30/bit-string-list/credential-status-revoked-blank-nodes.json": None,
    "validator-fixtures/ob30/bit-string-list/credential-status-revoked.json": None,
    "validator-fixtures/ob30/complete.json": None,
    # '#key-1' names no key: the issuer profile must be fetched (network is off)
    "validator-fixtures/ob30/complete_v1.json": "NETWORK_DISABLED",
    # did:web: the DID document must be fetched (network is off)
    "validator-fixtures/ob30/credential-status-revoked.json": "NETWORK_DISABLED",
    # The signature does not match under the official contexts: plain pyld + cryptography
    # reject it too (test_endorsement_fixture_signature_is_invalid_independently).
    "validator-fixtures/ob30/endorsement-err-schema-status-refresh.json": "PROOF_SIGNATURE_INVALID",
    "validator-fixtures/ob30/endorsement-valid.json": None,
    "validator-fixtures/ob30/sd/derivedcredential.json": "UNKNOWN_CRYPTOSUITE",  # ecdsa-sd-2023
    "validator-fixtures/ob30/simple-context-alias.json": None,
    "validator-fixtures/ob30/simple-context-version.json": None,
    "validator-fixtures/ob30/simple-did-key-method.json": None,
    "validator-fixtures/ob30/simple-did-web-method.json": None,
    "validator-fixtures/ob30/simple-eddsa-2022.json": None,  # pre-standard name, verify-only
    "validator-fixtures/ob30/simple-err-context.json": "UNDEFINED_TERM",
    "validator-fixtures/ob30/simple-err-credential-subject-achievement-result-description-type.json": "UNDEFINED_TERM",
    "validator-fixtures/ob30/simple-err-credential-subject-identifier-type.json": "UNDEFINED_TERM",
    "validator-fixtures/ob30/simple-err-credential-subject-profile-type.json": "UNDEFINED_TERM",
    "validator-fixtures/ob30/simple-err-credential-subject-result-type.json": "UNDEFINED_TERM",
    "validator-fixtures/ob30/simple-err-credential-subject-type.json": "UNDEFINED_TERM",
    "validator-fixtures/ob30/simple-err-evidence-type.json": "UNDEFINED_TERM",
    "validator-fixtures/ob30/simple-err-expired.json": None,  # the proof is fine; expiry fails
    "validator-fixtures/ob30/simple-err-issued.json": None,  # the proof is fine; expiry fails
    "validator-fixtures/ob30/simple-err-issuer-otheridentifier-type.json": "UNDEFINED_TERM",
    "validator-fixtures/ob30/simple-err-issuer-parentorg-type.json": "UNDEFINED_TERM",
    "validator-fixtures/ob30/simple-err-issuer-type.json": "UNDEFINED_TERM",
    "validator-fixtures/ob30/simple-err-issuer.json": None,  # the proof is fine; issuer fails
    "validator-fixtures/ob30/simple-err-proof-method-no-scheme.json": "DID_RESOLUTION_FAILED",
    "validator-fixtures/ob30/simple-err-proof-method-unknown-did-method.json": "DID_METHOD_UNSUPPORTED",
    "validator-fixtures/ob30/simple-err-proof-method-unknown-scheme.json": "DID_METHOD_UNSUPPORTED",
    "validator-fixtures/ob30/simple-err-proof-method.json": "DID_RESOLUTION_FAILED",
    "validator-fixtures/ob30/simple-err-proof-value.json": "PROOF_SIGNATURE_INVALID",
    "validator-fixtures/ob30/simple-err-type.json": "UNDEFINED_TERM",
    "validator-fixtures/ob30/simple-multiple-proofs.json": None,  # unknown 2nd proof ignored
    "validator-fixtures/ob30/simple.json": None,
    "validator-fixtures/ob30/simple_v1.json": None,
}


def _signed_fixtures() -> list[str]:
    found = []
    for path in sorted(OB3.rglob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(doc, dict) and "proof" in doc:
            found.append(str(path.relative_to(OB3)))
    return found


def test_every_signed_fixture_has_an_expectation() -> None:
    assert sorted(EXPECTED) == _signed_fixtures()


def fragment_resolver(doc: dict) -> Resolver:
    """Controller documents for https/urn methods whose fragment is a Multikey."""
    resolver = Resolver()
    proofs = doc["proof"] if isinstance(doc["proof"], list) else [doc["proof"]]
    for proof in proofs:
        vm = proof.get("verificationMethod", "")
        base, _, fragment = vm.partition("#")
        if re.match(r"^https?://", base) and fragment.startswith("z6Mk"):
            resolver.add_document(
                {
                    "id": base,
                    "verificationMethod": [
                        {
                            "id": vm,
                            "type": "Multikey",
                            "controller": base,
                            "publicKeyMultibase": fragment,
                        }
                    ],
                    "assertionMethod": [vm],
                }
            )
    return resolver


def _missing_context(doc: dict, loader) -> str | None:
    contexts = doc.get("@context", [])
    for url in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(url, str):
            try:
                loader(url, None)
            except Exception:
                return url
    return None


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=lambda n: Path(n).name)
def test_signed_fixture(name: str, loader) -> None:
    doc = read_json(OB3 / name)
    expected = EXPECTED[name]
    missing = _missing_context(doc, loader)
    if missing and expected in (None, "UNDEFINED_TERM"):
        pytest.skip(f"context {missing} is not available offline")
    result = verify_proof(doc, loader=loader, resolver=fragment_resolver(doc))
    if expected is None:
        assert result.verified, result.reason
    else:
        assert not result.verified
        assert result.code == expected, result.reason


@pytest.mark.parametrize(
    ("name", "check", "code"),
    [
        ("simple-err-expired.json", "expiry", "EXPIRED"),
        ("simple-err-issued.json", "expiry", "NOT_YET_VALID"),
        ("simple-err-issuer.json", "issuer", "ISSUER_MISSING"),
        ("simple-err-context.json", "context", "CONTEXT_BASE_MISSING"),
    ],
)
def test_err_fixture_fails_the_right_check(name: str, check: str, code: str, loader) -> None:
    doc = read_json(OB3 / "validator-fixtures" / "ob30" / name)
    report = verify_credential(doc, loader=loader, resolver=fragment_resolver(doc))
    assert not report.verified
    assert report.check(check).code == code, report.errors


def test_valid_fixture_passes_every_check(loader) -> None:
    doc = read_json(OB3 / "validator-fixtures" / "ob30" / "simple.json")
    report = verify_credential(doc, loader=loader, resolver=fragment_resolver(doc))
    # the issuer is the https profile and the key is listed by it
    assert report.verified, report.errors


# --- OB 3.0 spec "linked data proof" walkthrough: byte for byte ----------------------
def _walkthrough_key() -> KeyPair:
    text = (OB3 / "spec-examples" / "impl_linked-data-proof-ob--00-multikey.txt").read_text()
    public = re.search(r"publicKeyMultibase: '(z\w+)'", text).group(1)
    secret = re.search(r"secretKeyMultibase: '(z\w+)'", text).group(1)
    return KeyPair.from_multikey({"publicKeyMultibase": public, "secretKeyMultibase": secret})


def test_ob3_spec_walkthrough_reproduced(loader) -> None:
    signed = read_json(
        OB3 / "spec-examples" / "impl_linked-data-proof-ob--07-signed-credential.json"
    )
    proof = signed["proof"][0] if isinstance(signed["proof"], list) else signed["proof"]
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k != "proofValue"} | {
        "@context": signed["@context"]
    }
    got = stages(get_suite("eddsa-rdfc-2022"), unsigned, config, "Ed25519", loader=loader)
    vectors = OB3 / "spec-test-vectors" / "obv3p0"
    assert got.canonical_document == (vectors / "document-canon.txt").read_bytes()
    assert got.canonical_proof_config == (vectors / "proof-canon.txt").read_bytes()
    key = _walkthrough_key()
    key.controller, key.key_id = "https://example.edu/issuers/565049", proof["verificationMethod"]
    resigned = add_proof(
        unsigned, key, cryptosuite="eddsa-rdfc-2022", created=proof["created"], loader=loader
    )
    assert resigned["proof"]["proofValue"] == proof["proofValue"]


def test_endorsement_fixture_signature_is_invalid_independently() -> None:
    """Oracle for the one validator fixture we expect to fail on its signature.

    Ed25519Signature2020 recomputed with plain pyld (URDNA2015 on the *official* context
    files, not ours) and ``cryptography``: sha256(canonical proof options) ||
    sha256(canonical document), checked against the key in the method's fragment. If
    this ever verifies, the expectation above is wrong, not the fixture.
    """
    import hashlib

    import base58
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from pyld import jsonld

    from tests.fixture_paths import FIXTURES

    contexts = FIXTURES / "contexts"
    index = json.loads((contexts / "INDEX.json").read_text("utf-8"))

    def official(url: str, options: object = None) -> dict:
        document = json.loads((contexts / index[url]).read_text("utf-8"))
        return {"contextUrl": None, "documentUrl": url, "document": document}

    doc = read_json(OB3 / "validator-fixtures/ob30/endorsement-err-schema-status-refresh.json")
    proof = doc.pop("proof")[0]
    signature = base58.b58decode(proof.pop("proofValue")[1:])
    proof["@context"] = doc["@context"]
    options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
    options["documentLoader"] = official
    data = b"".join(
        hashlib.sha256(jsonld.normalize(part, options).encode()).digest() for part in (proof, doc)
    )
    public = base58.b58decode(proof["verificationMethod"].split("#z")[1])[2:]
    assert len(signature) == 64  # a well-formed Ed25519 signature value
    with pytest.raises(InvalidSignature):
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
