"""Stages see the key: each suite declares its hash per key type, the engine just passes it on.

Oracles: the official vc-di-ecdsa P-384 canonical document (RDFC-1.0 labelled
with SHA-384, which differs from the SHA-256 labelling on this document), and
round-trip / proof-set properties.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from microcred_vc.jsonld import canonicalize
from microcred_vc.keys import generate_key
from microcred_vc.proofs import StageContext, add_proof, get_suite, verify_proof
from microcred_vc.proofs.engine import stages
from microcred_vc.proofs.suites import SuiteRegistry
from tests.proofs.conftest import ECDSA, EDDSA, read_json

EMPLOY_P384 = ECDSA / "ecdsa-rdfc-2019-p384" / "employ"


def _employ_unsigned() -> dict:
    """The employment document: its blank-node labels differ under SHA-256 and SHA-384."""
    signed = read_json(EMPLOY_P384 / "signedECDSAP384.json")
    return {k: v for k, v in signed.items() if k != "proof"}


def test_suites_declare_their_hash_per_key_type() -> None:
    for name in ("ecdsa-rdfc-2019", "ecdsa-jcs-2019"):
        suite = get_suite(name)
        assert suite.stage_context("P-256").hash_name == "SHA256"
        assert suite.stage_context("P-384").hash_name == "SHA384"
    assert get_suite("eddsa-rdfc-2022").stage_context("Ed25519").hash_name == "SHA256"
    ctx = get_suite("ecdsa-rdfc-2019").stage_context("P-384", options={"type": "x"})
    assert isinstance(ctx, StageContext) and ctx.options == {"type": "x"}
    with pytest.raises(ValueError):
        replace(get_suite("eddsa-jcs-2022"), hashes={"Ed25519": "MD5"})


def test_p384_rdfc_canonicalises_with_sha384(loader) -> None:
    """Oracle: the official canonDoc; SHA-256 labelling gives different bytes here."""
    official = (EMPLOY_P384 / "canonDocECDSAP384.txt").read_bytes().rstrip(b"\n") + b"\n"
    doc = _employ_unsigned()
    got = stages(get_suite("ecdsa-rdfc-2019"), doc, {}, "P-384", loader=loader)
    assert got.canonical_document == official
    sha256_labels = canonicalize(doc, loader=loader, hash_algorithm="SHA256").encode()
    assert sha256_labels != official  # so the test would catch SHA-256 labelling
    assert len(got.document_hash) == 48


@pytest.mark.parametrize("suite", ["ecdsa-rdfc-2019", "ecdsa-jcs-2019"])
@pytest.mark.parametrize("kind", ["P-256", "P-384"])
def test_ecdsa_round_trip_both_curves(suite: str, kind: str, loader) -> None:
    signed = add_proof(_employ_unsigned(), generate_key(kind), cryptosuite=suite, loader=loader)
    assert verify_proof(signed, loader=loader).verified
    signed["credentialSubject"]["givenName"] = "JANE"
    assert not verify_proof(signed, loader=loader).verified


def test_proof_set_p256_and_p384_same_rdfc_suite(loader) -> None:
    """The verifier's canonical-document cache must key on the hash: the two curves'
    canonical documents differ for this document, so sharing one breaks a proof."""
    doc = _employ_unsigned()
    for kind in ("P-256", "P-384", "P-256"):
        doc = add_proof(doc, generate_key(kind), cryptosuite="ecdsa-rdfc-2019", loader=loader)
    result = verify_proof(doc, loader=loader)
    assert result.verified and len(result.proofs) == 3, result.reason


def test_engine_follows_a_new_hash_declaration(loader) -> None:
    """No engine change: a suite declaring SHA-384 for Ed25519 gets 48-byte hashes."""
    custom = replace(
        get_suite("eddsa-rdfc-2022"),
        name="test-eddsa-sha384",
        cryptosuite="test-eddsa-sha384",
        hashes={"Ed25519": "SHA384"},
    )
    suites = SuiteRegistry([custom])
    unsigned = read_json(EDDSA / "unsigned.json")
    got = stages(custom, unsigned, {"@context": unsigned["@context"]}, "Ed25519", loader=loader)
    assert len(got.hash_data) == 96
    signed = add_proof(
        unsigned, generate_key(), cryptosuite="test-eddsa-sha384", loader=loader, suites=suites
    )
    assert verify_proof(signed, loader=loader, suites=suites).verified
