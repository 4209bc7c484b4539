"""Tamper matrix: every suite, 20+ distinct tamperings of a signed OB3 credential.

Each tampering must make ``verify_credential`` fail, and the failed check
must be the one that explains it (proof, issuer, context...), with a message
a person can read. The untampered credential must verify, so each row proves
its own tampering is what broke it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from microcred_vc.keys import KeyPair, generate_key
from microcred_vc.proofs import add_proof, issue_document, verify_credential
from tests.issuing import issued_by
from tests.proofs.conftest import OB3, read_json

SUITES = [
    ("eddsa-rdfc-2022", "Ed25519"),
    ("eddsa-jcs-2022", "Ed25519"),
    ("ecdsa-rdfc-2019", "P-256"),
    ("ecdsa-rdfc-2019", "P-384"),
    ("ecdsa-jcs-2019", "P-256"),
    ("ecdsa-jcs-2019", "P-384"),
    ("Ed25519Signature2020", "Ed25519"),
]
SUITE_IDS = [f"{s}-{k}" for s, k in SUITES]

Doc = dict[str, Any]


def _proof(doc: Doc) -> Doc:
    return doc["proof"]


def _flip_signature(doc: Doc) -> None:
    value = _proof(doc)["proofValue"]
    # change one base58 character in the middle (still valid base58, wrong bytes)
    mid = len(value) // 2
    _proof(doc)["proofValue"] = value[:mid] + ("2" if value[mid] != "2" else "3") + value[mid + 1 :]


def _other_key_vm(doc: Doc) -> None:
    other = generate_key(_KEYS[_proof(doc)["verificationMethod"]].key_type)
    _proof(doc)["verificationMethod"] = other.verification_method


def _resign_with_other_key(doc: Doc) -> Doc:
    """An attacker re-signs the credential with their own key, keeping the issuer."""
    key = generate_key(_KEYS[_proof(doc)["verificationMethod"]].key_type)
    unsigned = {k: v for k, v in doc.items() if k != "proof"}
    suite = _proof(doc).get("cryptosuite") or _proof(doc)["type"]
    return add_proof(unsigned, key, cryptosuite=suite, loader=_LOADER[0])


def _add_bad_second_proof(doc: Doc) -> None:
    bad = copy.deepcopy(_proof(doc))
    bad["created"] = "2001-01-01T00:00:00Z"
    doc["proof"] = [_proof(doc), bad]


def _swap_cryptosuite(doc: Doc) -> None:
    proof = _proof(doc)
    if proof["type"] == "Ed25519Signature2020":
        proof["type"] = "DataIntegrityProof"
        proof["cryptosuite"] = "eddsa-rdfc-2022"
        return
    swap = {
        "eddsa-rdfc-2022": "eddsa-jcs-2022",
        "eddsa-jcs-2022": "eddsa-rdfc-2022",
        "ecdsa-rdfc-2019": "ecdsa-jcs-2019",
        "ecdsa-jcs-2019": "ecdsa-rdfc-2019",
    }
    proof["cryptosuite"] = swap[proof["cryptosuite"]]


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        node = doc
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return apply


def _delete(path: tuple[Any, ...]) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        node = doc
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return apply


# (id, tampering, the check that must fail)
TAMPERINGS: list[tuple[str, Callable[[Doc], Doc | None], str]] = [
    ("credential-name", _set(("name",), "Teamwork Badge!"), "proof"),
    ("credential-name-whitespace", _set(("name",), "Teamwork Badge "), "proof"),
    ("credential-id", _set(("id",), "http://example.com/credentials/3528"), "proof"),
    ("remove-name", _delete(("name",)), "proof"),
    ("add-description", _set(("description",), "added later"), "proof"),
    ("valid-from-changed", _set(("validFrom",), "2009-01-01T00:00:00Z"), "proof"),
    ("valid-from-same-instant", _set(("validFrom",), "2010-01-01T00:00:00.000Z"), "proof"),
    ("add-valid-until", _set(("validUntil",), "2099-01-01T00:00:00Z"), "proof"),
    ("drop-type", _set(("type",), ["VerifiableCredential"]), "proof"),
    ("issuer-name", _set(("issuer", "name"), "Evil Corp"), "proof"),
    ("subject-id", _set(("credentialSubject", "id"), "did:example:someone-else"), "proof"),
    (
        "achievement-name",
        _set(("credentialSubject", "achievement", "name"), "Leadership"),
        "proof",
    ),
    (
        "criteria-narrative",
        _set(("credentialSubject", "achievement", "criteria", "narrative"), "none"),
        "proof",
    ),
    ("undefined-term", _set(("credentialSubject", "grade"), "A+"), "context"),
    ("proof-created", _set(("proof", "created"), "2020-01-01T00:00:00Z"), "proof"),
    ("proof-created-future", _set(("proof", "created"), "2999-01-01T00:00:00Z"), "proof"),
    ("proof-expired", _set(("proof", "expires"), "2001-01-01T00:00:00Z"), "proof"),
    ("proof-purpose", _set(("proof", "proofPurpose"), "authentication"), "proof"),
    ("proof-domain-added", _set(("proof", "domain"), "example.org"), "proof"),
    ("proof-challenge-added", _set(("proof", "challenge"), "abc"), "proof"),
    ("proof-value-flipped", _flip_signature, "proof"),
    (
        "proof-value-truncated",
        lambda d: _set(("proof", "proofValue"), d["proof"]["proofValue"][:-4])(d),
        "proof",
    ),
    (
        "proof-value-not-multibase",
        lambda d: _set(("proof", "proofValue"), d["proof"]["proofValue"][1:])(d),
        "proof",
    ),
    ("proof-value-missing", _delete(("proof", "proofValue")), "proof"),
    ("proof-other-key", _other_key_vm, "proof"),
    (
        "proof-unresolvable-key",
        _set(("proof", "verificationMethod"), "did:example:123#key"),
        "proof",
    ),
    ("proof-type-unknown", _set(("proof", "type"), "RsaSignature2018"), "proof"),
    ("cryptosuite-swapped", _swap_cryptosuite, "proof"),
    ("proof-removed", _delete(("proof",)), "proof"),
    ("previous-proof-missing", _set(("proof", "previousProof"), "urn:uuid:nope"), "proof"),
    ("bad-second-proof", _add_bad_second_proof, "proof"),
    ("resigned-by-attacker", _resign_with_other_key, "issuer"),
    ("context-ob3-dropped", lambda d: d["@context"].pop(1), "context"),
    ("context-unknown", lambda d: d["@context"].append("https://evil.example/ctx"), "context"),
]
TAMPER_IDS = [t[0] for t in TAMPERINGS]

_KEYS: dict[str, KeyPair] = {}
_LOADER: list[Any] = []
_SIGNED: dict[tuple[str, str], Doc] = {}


def _signed(suite: str, key_type: str, loader) -> Doc:
    if (suite, key_type) not in _SIGNED:
        _LOADER[:] = [loader]
        base = read_json(OB3 / "validator-fixtures" / "ob30" / "simple.json")
        base.pop("proof")
        key = generate_key(key_type)
        _KEYS[key.verification_method] = key
        _SIGNED[(suite, key_type)] = issue_document(
            issued_by(base, key), key, cryptosuite=suite, loader=loader
        )
    return copy.deepcopy(_SIGNED[(suite, key_type)])


@pytest.mark.parametrize(("suite", "key_type"), SUITES, ids=SUITE_IDS)
def test_untampered_credential_verifies(suite: str, key_type: str, loader) -> None:
    report = verify_credential(_signed(suite, key_type, loader), loader=loader)
    assert report.verified, report.errors
    assert [c.name for c in report.checks] == [
        "context",
        "datamodel",
        "proof",
        "signed_data",
        "expiry",
        "issuer",
    ]


@pytest.mark.parametrize(("name", "tamper", "check"), TAMPERINGS, ids=TAMPER_IDS)
@pytest.mark.parametrize(("suite", "key_type"), SUITES, ids=SUITE_IDS)
def test_tampering_is_rejected(
    suite: str, key_type: str, name: str, tamper, check: str, loader
) -> None:
    doc = _signed(suite, key_type, loader)
    replaced = tamper(doc)
    if isinstance(replaced, dict):
        doc = replaced
    report = verify_credential(doc, loader=loader)
    assert not report.verified, f"{name} was accepted"
    failed = {c.name: c for c in report.checks if c.failed}
    assert check in failed, f"{name}: expected the {check} check to fail, got {report.errors}"
    message = failed[check].message
    assert len(message) > 15 and failed[check].code, message
