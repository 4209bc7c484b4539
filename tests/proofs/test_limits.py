"""Proof sets and chains are capped and share one work budget (issue #16 V5).

Oracles: the caps stated in microcred_vc.proofs.limits (32 proofs, chains of 8)
and a property -- a refused set is refused before any proof is processed
(``_verify_one`` is never called), so the refusal costs nothing per proof.
Real chains are signed with our own add_proof and the DI spec's chain rule.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from microcred_vc.jsonld.budget import work_budget
from microcred_vc.keys import generate_key
from microcred_vc.proofs import add_proof, verify_proof
from microcred_vc.proofs import verifying as verifying_mod
from microcred_vc.proofs.limits import MAX_CHAIN, MAX_PROOFS, chain_length
from tests.proofs.conftest import EDDSA, read_json

UNSIGNED = EDDSA / "unsigned.json"


@pytest.fixture(scope="module")
def signed(loader: Any) -> dict[str, Any]:
    return add_proof(read_json(UNSIGNED), generate_key(), proof_id="urn:p:0", loader=loader)


def _with_proofs(doc: dict[str, Any], count: int, chain: bool) -> dict[str, Any]:
    """``count`` copies of the document's proof with ids urn:p:i (i>0 names i-1 if chain)."""
    template = doc["proof"]
    proofs = []
    for i in range(count):
        p = copy.deepcopy(template)
        p["id"] = f"urn:p:{i}"
        if chain and i:
            p["previousProof"] = f"urn:p:{i - 1}"
        proofs.append(p)
    return {**doc, "proof": proofs}


@pytest.fixture
def no_proof_processed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a proof was processed although the set should be refused")

    monkeypatch.setattr(verifying_mod, "_verify_one", refuse)


def test_200_proofs_are_refused_before_any_work(signed, loader, no_proof_processed) -> None:
    doc = _with_proofs(signed, 200, chain=False)
    # the worst shape of the issue: each proof names all 199 others
    for p in doc["proof"]:
        p["previousProof"] = [q["id"] for q in doc["proof"] if q is not p]
    result = verify_proof(doc, loader=loader)
    assert not result.verified
    assert result.code == "PROOF_SET_TOO_LARGE"
    assert "200" in result.reason


def test_200_long_chain_is_refused(signed, loader, no_proof_processed) -> None:
    result = verify_proof(_with_proofs(signed, 200, chain=True), loader=loader)
    assert result.code in ("PROOF_SET_TOO_LARGE", "PROOF_CHAIN_TOO_LONG")


def test_chain_longer_than_eight_is_refused(signed, loader, no_proof_processed) -> None:
    result = verify_proof(_with_proofs(signed, MAX_CHAIN + 1, chain=True), loader=loader)
    assert result.code == "PROOF_CHAIN_TOO_LONG"
    assert f"{MAX_CHAIN + 1} proofs long" in result.reason


def test_cycles_are_refused(signed, loader, no_proof_processed) -> None:
    doc = _with_proofs(signed, 3, chain=True)
    doc["proof"][0]["previousProof"] = "urn:p:2"
    assert verify_proof(doc, loader=loader).code == "PROOF_CHAIN_INVALID"
    doc = _with_proofs(signed, 1, chain=False)
    doc["proof"][0]["previousProof"] = "urn:p:0"
    assert verify_proof(doc, loader=loader).code == "PROOF_CHAIN_INVALID"


def test_chain_length_is_transitive() -> None:
    """A diamond counts its longest path, not its number of proofs."""
    proofs = [
        {"id": "a"},
        {"id": "b", "previousProof": "a"},
        {"id": "c", "previousProof": "a"},
        {"id": "d", "previousProof": ["b", "c"]},
        {"id": "e", "previousProof": "missing"},
    ]
    by_id = {p["id"]: [p] for p in proofs}
    assert chain_length(proofs, by_id) == 3


def test_a_real_chain_of_eight_verifies(loader) -> None:
    doc = read_json(UNSIGNED)
    previous = None
    for i in range(MAX_CHAIN):
        doc = add_proof(
            doc, generate_key(), proof_id=f"urn:p:{i}", previous_proof=previous, loader=loader
        )
        previous = f"urn:p:{i}"
    result = verify_proof(doc, loader=loader)
    assert result.verified, result.reason
    assert len(result.proofs) == MAX_CHAIN


def test_set_of_32_is_verified(signed, loader) -> None:
    key = generate_key()
    doc = read_json(UNSIGNED)
    for i in range(MAX_PROOFS):
        doc = add_proof(doc, key, proof_id=f"urn:q:{i}", loader=loader)
    assert verify_proof(doc, loader=loader).verified
    doc = add_proof(doc, key, proof_id="urn:q:x", loader=loader)
    assert verify_proof(doc, loader=loader).code == "PROOF_SET_TOO_LARGE"


def test_proofs_share_one_work_budget(signed, loader) -> None:
    """Distinct chains each re-canonicalise; together they run out of one budget."""
    doc = _with_proofs(signed, 16, chain=False)
    for i in range(8, 16):  # eight distinct one-link chains: eight more canonicalisations
        doc["proof"][i]["previousProof"] = f"urn:p:{i - 8}"
    with work_budget(10_000_000) as budget:
        assert verify_proof(signed, loader=loader).verified
    one = budget.spent
    assert one > 0
    with work_budget(4 * one) as budget:  # enough for the document and a few proofs
        result = verify_proof(doc, loader=loader)
    assert not result.verified
    codes = [p.code for p in result.proofs]
    assert "WORK_BUDGET_EXCEEDED" in codes
    assert codes[-1] == "WORK_BUDGET_EXCEEDED"  # once spent, every later proof is refused


def test_dict_input_gets_the_depth_cap(loader) -> None:
    deep: Any = "x"
    for _ in range(10_000):
        deep = {"a": deep}
    doc = {**read_json(UNSIGNED), "deep": deep, "proof": {"type": "DataIntegrityProof"}}
    result = verify_proof(doc, loader=loader)
    assert result.code == "INPUT_TOO_LARGE"
