"""Hypothesis: any change to a signed value fails; reordering nothing significant does not."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc.keys import generate_key
from microcred_vc.proofs import issue_document, verify_proof
from tests.issuing import issued_by
from tests.proofs.conftest import OB3, read_json

SUITES = [
    ("eddsa-rdfc-2022", "Ed25519"),
    ("eddsa-jcs-2022", "Ed25519"),
    ("ecdsa-rdfc-2019", "P-256"),
    ("ecdsa-jcs-2019", "P-384"),
    ("Ed25519Signature2020", "Ed25519"),
]
_CACHE: dict[tuple[str, str], dict[str, Any]] = {}


def _signed(suite: str, kind: str, loader) -> dict[str, Any]:
    if (suite, kind) not in _CACHE:
        base = read_json(OB3 / "validator-fixtures" / "ob30" / "simple.json")
        base.pop("proof")
        key = generate_key(kind)
        _CACHE[(suite, kind)] = issue_document(
            issued_by(base, key), key, cryptosuite=suite, loader=loader
        )
    return copy.deepcopy(_CACHE[(suite, kind)])


def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every string value outside @context (the proof included)."""
    out: list[tuple] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "@context":
                out.extend(_leaves(value, (*path, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_leaves(value, (*path, i)))
    elif isinstance(node, str):
        out.append(path)
    return out


def _objects(node: Any, path: tuple = ()) -> list[tuple]:
    out: list[tuple] = []
    if isinstance(node, dict):
        out.append(path)
        for key, value in node.items():
            if key != "@context":
                out.extend(_objects(value, (*path, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_objects(value, (*path, i)))
    return out


def _get(doc: Any, path: tuple) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _shuffle_keys(node: Any, rng: random.Random, arrays: bool) -> Any:
    if isinstance(node, dict):
        items = list(node.items())
        rng.shuffle(items)
        return {k: v if k == "@context" else _shuffle_keys(v, rng, arrays) for k, v in items}
    if isinstance(node, list):
        values = [_shuffle_keys(v, rng, arrays) for v in node]
        if arrays:
            rng.shuffle(values)
        return values
    return node


@pytest.mark.parametrize(("suite", "kind"), SUITES, ids=[s for s, _ in SUITES])
@given(data=st.data())
def test_changing_any_value_fails(suite: str, kind: str, loader, data) -> None:
    doc = _signed(suite, kind, loader)
    leaves = [p for p in _leaves(doc) if p[-1] != "proofValue"]
    path = data.draw(st.sampled_from(leaves), label="path")
    old = _get(doc, path)
    new = data.draw(st.text(min_size=1, max_size=12).filter(lambda s: s != old), label="new")
    _get(doc, path[:-1])[path[-1]] = new
    result = verify_proof(doc, loader=loader)
    assert not result.verified, f"changing {path} from {old!r} to {new!r} was accepted"
    assert result.reason


@pytest.mark.parametrize(("suite", "kind"), SUITES, ids=[s for s, _ in SUITES])
@given(data=st.data())
def test_adding_or_removing_a_property_fails(suite: str, kind: str, loader, data) -> None:
    doc = _signed(suite, kind, loader)
    objects = [p for p in _objects(doc) if p[:1] != ("proof",)]
    path = data.draw(st.sampled_from(objects), label="object")
    target = _get(doc, path)
    if data.draw(st.booleans(), label="add"):
        # 'name' and 'description' are defined for every object type here
        prop = data.draw(st.sampled_from(["name", "description"]))
        target[prop] = data.draw(st.text(min_size=1, max_size=8)) + "\u2060" + str(target.get(prop))
    else:
        removable = [k for k in target if k not in ("@context", "proof")]
        del target[data.draw(st.sampled_from(removable))]
    assert not verify_proof(doc, loader=loader).verified


@pytest.mark.parametrize(("suite", "kind"), SUITES, ids=[s for s, _ in SUITES])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_reordering_nothing_significant_still_verifies(suite: str, kind: str, loader, seed) -> None:
    doc = _signed(suite, kind, loader)
    rng = random.Random(seed)
    # Object member order never matters; array order matters only to JCS.
    shuffled = _shuffle_keys(
        doc,
        rng,
        arrays=suite.endswith("rdfc-2022")
        or suite.endswith("rdfc-2019")
        or suite == "Ed25519Signature2020",
    )
    result = verify_proof(shuffled, loader=loader)
    assert result.verified, result.reason
