"""Signing returns the caller's document as given (issue #17, item 4).

Property: for every suite, the signed document's ``@context`` has the shape the
caller gave (a one-item array stays an array, a string stays a string when
nothing must be added), and the caller's members keep their order, the proof
(and a filled-in ``validFrom``) coming after them. Before, a one-item array came
back as a string, also in published status lists.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred_vc.keys import generate_key
from microcred_vc.proofs import issue_document

V2 = "https://www.w3.org/ns/credentials/v2"
SUITES = [
    ("eddsa-rdfc-2022", "Ed25519"),
    ("eddsa-jcs-2022", "Ed25519"),
    ("ecdsa-rdfc-2019", "P-256"),
    ("ecdsa-jcs-2019", "P-384"),
]
KEYS = {kind: generate_key(kind) for kind in ("Ed25519", "P-256", "P-384")}


def _credential(key: Any, context: Any) -> dict[str, Any]:
    return {
        "@context": context,
        "type": ["VerifiableCredential"],
        "issuer": key.did,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }


@pytest.mark.parametrize(("suite", "kind"), SUITES, ids=[s for s, _ in SUITES])
@pytest.mark.parametrize("context", [[V2], V2], ids=["one-item-array", "string"])
def test_context_shape_is_kept(suite: str, kind: str, context: Any) -> None:
    key = KEYS[kind]
    signed = issue_document(_credential(key, context), key, cryptosuite=suite)
    assert signed["@context"] == context
    assert type(signed["@context"]) is type(context)


@pytest.mark.parametrize("suite", ["Ed25519Signature2020"])
def test_a_needed_context_turns_a_string_into_an_array(suite: str) -> None:
    """The 2020 suite needs its own context: then (only then) the string becomes a list."""
    key = KEYS["Ed25519"]
    signed = issue_document(_credential(key, V2), key, cryptosuite=suite)
    assert isinstance(signed["@context"], list) and signed["@context"][0] == V2
    assert len(signed["@context"]) == 2


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(["@context", "type", "issuer", "validFrom", "credentialSubject"]))
def test_member_order_is_kept(order: list[str]) -> None:
    key = KEYS["Ed25519"]
    base = _credential(key, [V2])
    doc = {name: base[name] for name in order}
    signed = issue_document(doc, key)
    assert list(signed)[: len(order)] == order
    assert list(signed)[-1] == "proof"


def test_published_status_list_keeps_its_context_array() -> None:
    from microcred_vc.status import Bitstring, build_list_credential

    key = KEYS["Ed25519"]
    unsigned = build_list_credential(
        "https://status.example/lists/1", key.did, Bitstring.from_values([]), "revocation"
    )
    assert isinstance(unsigned["@context"], list)
    assert issue_document(unsigned, key)["@context"] == unsigned["@context"]
