"""Safe mode: what plain JSON-LD drops silently is an error naming the JSON path."""

from __future__ import annotations

import copy
import json

import pytest

from microcred_vc.errors import ContextNotAllowed, JsonLdError, UndefinedTerm
from microcred_vc.jsonld import canonicalize
from microcred_vc.jsonld.expand import expand, to_nquads
from tests.fixture_paths import FIXTURES

SIMPLE = FIXTURES / "ob3" / "validator-fixtures" / "ob30" / "simple.json"


@pytest.fixture()
def ob3() -> dict:
    return json.loads(SIMPLE.read_text())


def _set(doc: dict, path: list, value: object) -> dict:
    out = copy.deepcopy(doc)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (["foo"], "bar", "$.foo"),
        (["credentialSubject", "nickname"], "x", "$.credentialSubject.nickname"),
        (
            ["credentialSubject", "achievement", "levelOfAwesome"],
            9,
            "$.credentialSubject.achievement.levelOfAwesome",
        ),
        (["issuer", "shoeSize"], 44, "$.issuer.shoeSize"),
    ],
    ids=["top-level", "subject", "achievement", "issuer"],
)
def test_undefined_property_names_its_path(
    ob3: dict, path: list, value: object, where: str
) -> None:
    doc = _set(ob3, path, value)
    with pytest.raises(UndefinedTerm) as info:
        expand(doc)
    assert info.value.code == "UNDEFINED_TERM"
    assert where in info.value.message
    assert info.value.details["path"] == where
    # plain JSON-LD would have accepted it
    assert expand(doc, safe=False)


def test_undefined_type_is_flagged(ob3: dict) -> None:
    doc = _set(ob3, ["type"], ["VerifiableCredential", "OpenBadgeCredential", "MadeUp"])
    with pytest.raises(UndefinedTerm, match=r"type 'MadeUp' at \$\.type"):
        to_nquads(doc)


def test_relative_id_is_flagged(ob3: dict) -> None:
    doc = _set(ob3, ["id"], "just/relative")
    with pytest.raises(UndefinedTerm, match="relative IRI"):
        canonicalize(doc)


def test_vc1_undefined_term_is_dropped_term() -> None:
    doc = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:1",
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:2", "favouriteColour": "blue"},
    }
    with pytest.raises(UndefinedTerm, match="favouriteColour"):
        expand(doc)


def test_unknown_remote_context_is_refused(ob3: dict) -> None:
    doc = _set(ob3, ["@context"], [*ob3["@context"], "https://look-alike.example/ob3.json"])
    with pytest.raises(ContextNotAllowed, match="look-alike.example"):
        expand(doc)


def test_invalid_jsonld_is_a_typed_error() -> None:
    with pytest.raises(JsonLdError):
        expand({"@context": {"@vocab": 3}, "a": 1})


def test_defined_document_expands_and_is_stable(ob3: dict) -> None:
    first = to_nquads(ob3)
    assert "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement>" in first
    assert canonicalize(ob3) == canonicalize(copy.deepcopy(ob3))
