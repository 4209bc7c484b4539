"""Suites and purposes are declarations in registry instances (issue #15 item 3).

Oracles: properties of the public surface. A test-only cryptosuite -- its own
hash, its own configuration step adding a proof term, its own verification
step -- signs and verifies through ``add_proof``/``verify_proof`` and through
``api.issue``/``api.verify`` without any edit to engine.py, verifying.py or
api.py (the last test reads those files to hold the engine to naming nothing
suite-specific). Taken names are refused with ``REGISTRY_NAME_TAKEN``; a
restricted registry refuses other suites with ``CRYPTOSUITE_NOT_ALLOWED``.
"""

from __future__ import annotations

import ast
import hashlib
import re
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from microcred_vc import api
from microcred_vc.errors import ProofError, RegistryConflict, UnknownCryptosuite
from microcred_vc.keys import generate_key
from microcred_vc.proofs import (
    Cryptosuite,
    ProofPurpose,
    PurposeRegistry,
    SuiteRegistry,
    add_proof,
    get_suite,
    register_suite,
    verify_proof,
)
from microcred_vc.proofs.purposes import AUTHENTICATION, register_purpose
from microcred_vc.proofs.suites.base import DATA_INTEGRITY_PROOF, jcs_transform
from tests.proofs.conftest import EDDSA, read_json

UNSIGNED = EDDSA / "unsigned.json"


def _stamp(proof: dict[str, Any], document: Any) -> dict[str, Any]:
    """Configuration step: the suite writes a term of its own into every proof."""
    proof["testStamp"] = "blake2b"
    return {**proof, "@context": document.get("@context")}


def _stamped_options(proof: Any, document: Any) -> dict[str, Any]:
    if proof.get("testStamp") != "blake2b":
        raise ProofError("the test suite's stamp is missing", code="TEST_STAMP_MISSING")
    return {k: v for k, v in proof.items() if k != "proofValue"} | {
        "@context": document.get("@context")
    }


def _blake2b(data: bytes, ctx: Any) -> bytes:
    return hashlib.blake2b(data, digest_size=32, person=ctx.key_type.encode()[:16]).digest()


def test_only_suite(name: str) -> Cryptosuite:
    """A suite no specification defines: JCS, BLAKE2b keyed by key type, a stamp term."""
    return Cryptosuite(
        name=name,
        proof_type=DATA_INTEGRITY_PROOF,
        cryptosuite=name,
        key_types=frozenset({"Ed25519", "P-256"}),
        transform=jcs_transform,
        serialize_proof_config=jcs_transform,
        hash=_blake2b,
        configure=_stamp,
        verification_options=_stamped_options,
        uses_rdf=False,
    )


test_only_suite.__test__ = False  # type: ignore[attr-defined]  # a factory, not a test


@pytest.mark.parametrize("kind", ["Ed25519", "P-256"])
def test_a_test_only_suite_signs_and_verifies_in_its_own_registry(kind: str, loader) -> None:
    suites = SuiteRegistry()
    suites.register(test_only_suite("test-blake2b-jcs"))
    signed = add_proof(
        read_json(UNSIGNED),
        generate_key(kind),
        cryptosuite="test-blake2b-jcs",
        loader=loader,
        suites=suites,
    )
    assert signed["proof"]["testStamp"] == "blake2b"  # its configuration step ran
    assert verify_proof(signed, loader=loader, suites=suites).verified
    # the default registry never heard of it: the proof adds no trust there
    assert verify_proof(signed, loader=loader).code == "UNKNOWN_CRYPTOSUITE"
    # its verification step is the suite's, with the suite's own typed code
    del signed["proof"]["testStamp"]
    assert verify_proof(signed, loader=loader, suites=suites).code == "TEST_STAMP_MISSING"
    # the hash keys on the key type: the same bytes under another type fail
    signed["proof"]["testStamp"] = "blake2b"
    assert verify_proof(signed, loader=loader, suites=suites).verified
    signed["credentialSubject"]["extra"] = "x"
    assert verify_proof(signed, loader=loader, suites=suites).code == "PROOF_SIGNATURE_INVALID"


def test_a_test_only_suite_works_through_the_api(loader) -> None:
    """Registered under a new name in the default registry, api.issue/verify use it."""
    name = f"test-blake2b-{uuid.uuid4().hex[:8]}"
    register_suite(test_only_suite(name))
    key = generate_key()
    credential = read_json(UNSIGNED) | {"issuer": key.did}
    signed = api.issue(credential, key, format="vc", cryptosuite=name, loader=loader)
    assert signed["proof"]["cryptosuite"] == name
    report = api.verify(signed, loader=loader, status=False)
    proof_check = next(c for c in report.checks if c.name == "proof")
    assert proof_check.passed, proof_check.message


def test_taken_names_are_refused() -> None:
    builtin = get_suite("ecdsa-rdfc-2019")
    with pytest.raises(RegistryConflict) as info:
        register_suite(replace(builtin, hashes={}))  # P-384 would silently use SHA-256
    assert info.value.code == "REGISTRY_NAME_TAKEN"
    assert get_suite("ecdsa-rdfc-2019") is builtin
    view = SuiteRegistry()
    with pytest.raises(RegistryConflict):
        view.register(builtin)  # a view refuses the default's names too
    with pytest.raises(RegistryConflict):
        register_purpose(ProofPurpose("assertionMethod"))
    own = PurposeRegistry([ProofPurpose("x")])
    with pytest.raises(RegistryConflict):
        own.register(ProofPurpose("x"))


def test_allowed_restricts_what_verifies(loader) -> None:
    unsigned = read_json(UNSIGNED)
    eddsa = add_proof(unsigned, generate_key(), loader=loader)
    ecdsa = add_proof(unsigned, generate_key("P-384"), loader=loader)
    only_ecdsa = SuiteRegistry(allowed=["ecdsa-rdfc-2019"])
    assert verify_proof(ecdsa, loader=loader, suites=only_ecdsa).verified
    refused = verify_proof(eddsa, loader=loader, suites=only_ecdsa)
    assert not refused.verified and refused.code == "CRYPTOSUITE_NOT_ALLOWED"
    assert only_ecdsa.names() == ["ecdsa-rdfc-2019"]
    with pytest.raises(UnknownCryptosuite):
        add_proof(unsigned, generate_key(), loader=loader, suites=only_ecdsa)
    with pytest.raises(TypeError):
        SuiteRegistry(allowed="ecdsa-rdfc-2019")  # a string is not a list of names


def test_purpose_writes_and_checks_its_own_terms(loader) -> None:
    unsigned = read_json(UNSIGNED)
    key = generate_key()
    bound = AUTHENTICATION.bound(challenge="c-123", domain="verifier.example")
    signed = add_proof(unsigned, key, purpose=bound, loader=loader)
    assert signed["proof"]["challenge"] == "c-123"
    assert signed["proof"]["domain"] == "verifier.example"
    assert verify_proof(signed, loader=loader, purpose=bound).verified
    # loose arguments still work and mean the same
    assert verify_proof(signed, loader=loader, purpose="authentication", challenge="c-123").verified
    wrong = verify_proof(signed, loader=loader, purpose=bound.bound(challenge="other"))
    assert wrong.code == "PROOF_PURPOSE_INVALID"


@dataclass(frozen=True)
class _ReceiptPurpose(ProofPurpose):
    """A purpose of its own: signs a receipt number, verifies it is present."""

    receipt: str = ""

    def update(self, proof: dict[str, Any]) -> None:
        super().update(proof)
        proof["receipt"] = self.receipt

    def validate(self, proof: Any, method: Any) -> str | None:
        if proof.get("receipt") != self.receipt:
            return "receipt number differs"
        return super().validate(proof, method)


def test_a_new_purpose_needs_no_engine_change(loader) -> None:
    purpose = _ReceiptPurpose("assertionMethod", receipt="R-7")
    signed = add_proof(read_json(UNSIGNED), generate_key(), purpose=purpose, loader=loader)
    assert signed["proof"]["receipt"] == "R-7"
    assert verify_proof(signed, loader=loader, purpose=purpose).verified
    other = replace(purpose, receipt="R-8")
    assert verify_proof(signed, loader=loader, purpose=other).code == "PROOF_PURPOSE_INVALID"


def _code_words(path: Path) -> list[str]:
    """Every string literal (docstrings excluded), name and attribute of a module."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    words = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                words.append(node.value)
        elif isinstance(node, ast.Name):
            words.append(node.id)
        elif isinstance(node, ast.Attribute):
            words.append(node.attr)
    return words


def test_engine_names_nothing_suite_specific() -> None:
    """engine.py and verifying.py name no suite, curve, hash or suite flag in code."""
    root = Path(__file__).resolve().parents[2] / "microcred_vc" / "proofs"
    pattern = re.compile(
        r"(eddsa|ecdsa|Ed25519|P-256|P-384|SHA-?256|SHA-?384|embed_context|own_proof_context)",
        re.IGNORECASE,
    )
    for name in ("engine.py", "verifying.py"):
        found = [w for w in _code_words(root / name) if pattern.search(w)]
        assert not found, (name, found)
