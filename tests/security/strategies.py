"""Hypothesis strategies for hostile, JSON-LD-shaped input."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://w3id.org/openbadges/v2",
    "http://data.europa.eu/snb/model/context/edc-ap",
    "https://evil.example/ctx",
]
TYPES = [
    "VerifiableCredential",
    "OpenBadgeCredential",
    "Assertion",
    "EuropeanDigitalCredential",
    "VerifiablePresentation",
    "DataIntegrityProof",
    "Nope",
]
KEYS = [
    "@context",
    "@id",
    "@type",
    "id",
    "type",
    "issuer",
    "credentialSubject",
    "proof",
    "validFrom",
    "validUntil",
    "issuanceDate",
    "credentialStatus",
    "achievement",
    "name",
    "recipient",
    "badge",
    "verification",
    "payload",
    "signatures",
    "@vocab",
    "@protected",
    "@graph",
    "@list",
    "@value",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(CONTEXTS + TYPES),
    st.sampled_from(
        ["did:key:z6MkfAKE", "urn:uuid:1", "_:b0", "2024-02-29T00:00:00Z", "relative/iri"]
    ),
)

json_ld = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), inner, max_size=6),
    ),
    max_leaves=30,
)


@st.composite
def credential_like(draw: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": draw(st.lists(st.sampled_from(CONTEXTS), min_size=1, max_size=3)),
        "type": draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=3)),
    }
    extra = draw(st.dictionaries(st.sampled_from(KEYS), json_ld, max_size=6))
    doc.update(extra)
    return doc


@st.composite
def mutated(draw: Any, base: dict[str, Any]) -> Any:
    """A mutation of a real credential: change, drop or add at a random path."""
    doc = json.loads(json.dumps(base))
    paths: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k in list(node):
                paths.append((node, k))
                walk(node[k])
        elif isinstance(node, list):
            for i in range(len(node)):
                paths.append((node, i))
                walk(node[i])

    walk(doc)
    parent, key = draw(st.sampled_from(paths))
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        parent[key] = draw(json_ld)
    elif action == "delete":
        del parent[key]
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=8))] = draw(json_ld)
    else:
        parent.append(draw(json_ld))
    return doc
