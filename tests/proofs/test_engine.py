"""Engine behaviour beyond the vectors: purposes, proof sets, misuse, registry, dates."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from microcred_vc.errors import (
    ProofCreationError,
    ProofVerificationError,
    RegistryConflict,
    UnknownCryptosuite,
)
from microcred_vc.keys import Resolver, generate_key
from microcred_vc.proofs import (
    SuiteRegistry,
    add_proof,
    available_suites,
    get_suite,
    register_suite,
    verify_proof,
)
from tests.proofs.conftest import EDDSA, read_json

UNSIGNED = EDDSA / "unsigned.json"


def test_builtin_suites_registered() -> None:
    assert set(available_suites()) >= {
        "eddsa-rdfc-2022",
        "eddsa-jcs-2022",
        "ecdsa-rdfc-2019",
        "ecdsa-jcs-2019",
        "Ed25519Signature2020",
    }
    with pytest.raises(UnknownCryptosuite):
        get_suite("ecdsa-sd-2023")  # selective disclosure is out of scope


def test_new_suite_plugs_in_without_engine_changes(loader) -> None:
    """A suite is a declaration: register one and the engine signs and verifies with it."""
    import hashlib

    base = get_suite("eddsa-jcs-2022")
    custom = replace(
        base,
        name="test-sha512-jcs",
        cryptosuite="test-sha512-jcs",
        hash=lambda data, ctx: hashlib.sha512(data).digest()[:32],
    )
    suites = SuiteRegistry()  # the built-ins plus what this test adds, default untouched
    suites.register(custom)
    key = generate_key()
    signed = add_proof(
        read_json(UNSIGNED), key, cryptosuite="test-sha512-jcs", loader=loader, suites=suites
    )
    assert signed["proof"]["cryptosuite"] == "test-sha512-jcs"
    assert verify_proof(signed, loader=loader, suites=suites).verified
    assert not verify_proof(signed, loader=loader).verified  # unknown to the default registry
    signed["proof"]["cryptosuite"] = "eddsa-jcs-2022"
    assert not verify_proof(signed, loader=loader, suites=suites).verified
    with pytest.raises(RegistryConflict):
        suites.register(custom)
    with pytest.raises(RegistryConflict):
        register_suite(base)  # a built-in name is never replaced


def test_suite_key_type_mismatch_is_an_error(loader) -> None:
    with pytest.raises(ProofCreationError) as err:
        add_proof(read_json(UNSIGNED), generate_key("P-256"), cryptosuite="eddsa-rdfc-2022")
    assert "Ed25519" in err.value.message
    with pytest.raises(UnknownCryptosuite):
        add_proof(read_json(UNSIGNED), generate_key(), cryptosuite="nope")


def test_default_suite_follows_key_type(loader) -> None:
    for kind, suite in (("Ed25519", "eddsa-rdfc-2022"), ("P-384", "ecdsa-rdfc-2019")):
        signed = add_proof(read_json(UNSIGNED), generate_key(kind), loader=loader)
        assert signed["proof"]["cryptosuite"] == suite
        assert verify_proof(signed, loader=loader).verified


def test_input_document_is_not_modified(loader) -> None:
    doc = read_json(UNSIGNED)
    before = copy.deepcopy(doc)
    add_proof(doc, generate_key(), cryptosuite="Ed25519Signature2020", loader=loader)
    assert doc == before


def test_ed25519_2020_adds_its_context(loader) -> None:
    signed = add_proof(
        read_json(UNSIGNED), generate_key(), cryptosuite="Ed25519Signature2020", loader=loader
    )
    assert signed["@context"][-1] == "https://w3id.org/security/suites/ed25519-2020/v1"
    assert "cryptosuite" not in signed["proof"]
    assert verify_proof(signed, loader=loader).verified


def test_misuse_raises_but_bad_documents_do_not(loader) -> None:
    with pytest.raises(ProofVerificationError):
        verify_proof("not a dict")  # type: ignore[arg-type]
    with pytest.raises(ProofVerificationError):
        verify_proof({}, purpose="signing")
    with pytest.raises(ProofVerificationError):
        verify_proof({}, resolver="nope")  # type: ignore[arg-type]
    signed = add_proof(read_json(UNSIGNED), generate_key(), loader=loader)
    with pytest.raises(ProofVerificationError):
        verify_proof(signed, resolver=lambda url: "a string", loader=loader)
    # a resolver may hand back the controller document itself
    from microcred_vc.keys.did import did_key_document

    by_document = verify_proof(
        signed, resolver=lambda url: did_key_document(url.split("#")[0]), loader=loader
    )
    assert by_document.verified, by_document.reason
    no_key = verify_proof(signed, resolver=lambda url: {"id": url.split("#")[0]}, loader=loader)
    assert not no_key.verified and no_key.code == "DID_RESOLUTION_FAILED"
    for bad in (
        {},
        {"proof": None},
        {"proof": "x"},
        {"proof": [1, 2]},
        {"proof": {"type": "DataIntegrityProof"}},
        {"proof": {"type": "DataIntegrityProof", "cryptosuite": 5}},
        {
            "@context": 5,
            "proof": {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "proofValue": "z1",
                "proofPurpose": "assertionMethod",
                "verificationMethod": generate_key().verification_method,
            },
        },
    ):
        result = verify_proof(bad, loader=loader)
        assert not result.verified and result.reason


def test_purpose_must_be_allowed_by_controller(loader) -> None:
    key = generate_key(controller="did:example:uni", key_id="did:example:uni#k")
    signed = add_proof(read_json(UNSIGNED), key, loader=loader)
    doc = {
        "id": "did:example:uni",
        "verificationMethod": [
            {
                "id": "#k",
                "type": "Multikey",
                "controller": "did:example:uni",
                "publicKeyMultibase": key.public.multibase,
            }
        ],
        "authentication": ["#k"],
    }
    result = verify_proof(signed, loader=loader, resolver=Resolver(documents={doc["id"]: doc}))
    assert not result.verified and result.code == "PROOF_PURPOSE_INVALID"
    assert "not listed under assertionMethod" in result.reason
    doc["assertionMethod"] = ["#k"]
    assert verify_proof(signed, loader=loader, resolver=Resolver(documents={doc["id"]: doc}))


def test_authentication_challenge_and_domain(loader) -> None:
    key = generate_key()
    signed = add_proof(
        read_json(UNSIGNED),
        key,
        purpose="authentication",
        challenge="c-1",
        domain="verifier.example",
        loader=loader,
    )
    ok = verify_proof(
        signed, purpose="authentication", challenge="c-1", domain="verifier.example", loader=loader
    )
    assert ok.verified, ok.reason
    for kwargs, words in (
        ({"challenge": "c-2", "domain": "verifier.example"}, "challenge"),
        ({"challenge": "c-1", "domain": "other.example"}, "domain"),
        ({"challenge": None}, "challenge"),
        ({}, "challenge"),
    ):
        result = verify_proof(signed, purpose="authentication", loader=loader, **kwargs)
        assert not result.verified and words in result.reason
    assert not verify_proof(signed, loader=loader).verified  # purpose is authentication


def test_created_and_expires_are_checked(loader) -> None:
    key = generate_key()
    signed = add_proof(
        read_json(UNSIGNED),
        key,
        created="2030-01-01T00:00:00Z",
        expires="2031-01-01T00:00:00Z",
        loader=loader,
    )
    early = verify_proof(signed, loader=loader, now=datetime(2029, 1, 1, tzinfo=UTC))
    assert early.code == "PROOF_CREATED_FUTURE"
    assert verify_proof(signed, loader=loader, now=datetime(2030, 6, 1, tzinfo=UTC)).verified
    late = verify_proof(signed, loader=loader, now=datetime(2032, 1, 1, tzinfo=UTC))
    assert late.code == "PROOF_EXPIRED"
    undated = add_proof(read_json(UNSIGNED), key, created=False, loader=loader)
    assert "created" not in undated["proof"] and verify_proof(undated, loader=loader).verified


def test_proof_set_of_mixed_suites(loader) -> None:
    doc = read_json(UNSIGNED)
    for suite, kind in (
        ("eddsa-rdfc-2022", "Ed25519"),
        ("ecdsa-jcs-2019", "P-256"),
        ("ecdsa-rdfc-2019", "P-384"),
    ):
        doc = add_proof(doc, generate_key(kind), cryptosuite=suite, loader=loader)
    result = verify_proof(doc, loader=loader)
    assert result.verified and len(result.proofs) == 3
    doc["proof"][1]["created"] = "2001-01-01T00:00:00Z"
    result = verify_proof(doc, loader=loader)
    assert not result.verified and result.reason.startswith("proof 2 of 3")


def test_unknown_proof_in_set_is_ignored_not_trusted(loader) -> None:
    doc = add_proof(read_json(UNSIGNED), generate_key(), loader=loader)
    doc["proof"] = [{"type": "SomeFutureProof", "proofValue": "x"}, doc["proof"]]
    result = verify_proof(doc, loader=loader)
    assert result.verified and "unknown type ignored" in result.reason
    only_unknown = {**doc, "proof": doc["proof"][0]}
    assert not verify_proof(only_unknown, loader=loader).verified


def test_jcs_proof_context_must_equal_document_context(loader) -> None:
    signed = add_proof(
        read_json(UNSIGNED), generate_key(), cryptosuite="eddsa-jcs-2022", loader=loader
    )
    signed["proof"]["@context"] = signed["@context"][:1]
    result = verify_proof(signed, loader=loader)
    assert result.code == "PROOF_CONTEXT_MISMATCH"


def test_bad_dates_are_typed_errors(loader) -> None:
    for bad in ("yesterday", "2024-13-01T00:00:00Z", 5):
        with pytest.raises(ProofCreationError):
            add_proof(read_json(UNSIGNED), generate_key(), created=bad, loader=loader)


def test_chain_creation_needs_existing_ids(loader) -> None:
    with pytest.raises(ProofCreationError):
        add_proof(
            read_json(UNSIGNED), generate_key(), previous_proof="urn:uuid:none", loader=loader
        )
