"""DID resolution: did:key, did:jwk, did:web (opt-in network), plug-ins, relationships."""

from __future__ import annotations

import httpx
import pytest

from microcred_vc.errors import (
    DidResolutionError,
    NetworkDisabled,
    NetworkError,
    UnsupportedDidMethod,
)
from microcred_vc.keys import KEY_TYPES, Resolver, generate_key, resolve
from microcred_vc.keys.did import did_jwk, did_key_document, did_web_url

OFFICIAL_DID_KEYS = {
    # from the W3C vectors: Ed25519, P-256, P-384
    "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2": "Ed25519",
    "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP": "P-256",
    "did:key:z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ": "P-384",
}


@pytest.mark.parametrize("did", sorted(OFFICIAL_DID_KEYS), ids=lambda d: d[:14])
def test_did_key_resolves(did: str) -> None:
    fragment = did.removeprefix("did:key:")
    vm = resolve(f"{did}#{fragment}")
    assert vm.public_key.key_type == OFFICIAL_DID_KEYS[did]
    assert vm.controller == did and vm.type == "Multikey"
    assert {"assertionMethod", "authentication"} <= vm.relationships
    assert resolve(did).id == f"{did}#{fragment}"  # bare DID: its one key
    with pytest.raises(DidResolutionError):
        resolve(f"{did}#wrong")


@pytest.mark.parametrize("kind", KEY_TYPES)
def test_did_jwk_round_trip(kind: str) -> None:
    key = generate_key(kind)
    did = did_jwk(key.to_jwk(include_secret=True))
    vm = resolve(did + "#0")
    assert vm.public_key == key.public and vm.type == "JsonWebKey"
    assert "d" not in vm.document["publicKeyJwk"]
    assert vm.allows("assertionMethod")


def test_invalid_dids() -> None:
    with pytest.raises(DidResolutionError):
        resolve("did:key:zNotAKey")
    with pytest.raises(DidResolutionError):
        resolve("did:jwk:!!!")
    with pytest.raises(UnsupportedDidMethod):
        resolve("did:example:123#k")
    with pytest.raises(DidResolutionError):
        resolve("not a url")
    with pytest.raises(DidResolutionError):
        resolve("did:")


def test_did_web_urls() -> None:
    assert (
        did_web_url("did:web:w3c-ccg.github.io") == "https://w3c-ccg.github.io/.well-known/did.json"
    )
    assert (
        did_web_url("did:web:example.com:user:alice") == "https://example.com/user/alice/did.json"
    )
    assert (
        did_web_url("did:web:example.com%3A3000") == "https://example.com:3000/.well-known/did.json"
    )


def test_did_web_needs_opt_in() -> None:
    with pytest.raises(NetworkDisabled) as err:
        resolve("did:web:example.com#key-1")
    assert "allow_network" in err.value.message


def _did_web_doc(did: str, key, relationships=("assertionMethod",)) -> dict:
    vm = {
        "id": "#key-1",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": key.public.multibase,
    }
    return {"id": did, "verificationMethod": [vm], **{r: ["#key-1"] for r in relationships}}


def test_did_web_over_mock_network() -> None:
    key = generate_key()
    did = "did:web:uni.example"
    served = _did_web_doc(did, key)

    def handler(request: httpx.Request) -> httpx.Response:
        assert str(request.url) == "https://uni.example/.well-known/did.json"
        return httpx.Response(200, json=served)

    resolver = Resolver(allow_network=True, transport=httpx.MockTransport(handler))
    vm = resolver(did + "#key-1")
    assert vm.public_key == key.public
    assert vm.relationships == frozenset({"assertionMethod"})
    assert not vm.allows("authentication")


def test_did_web_size_cap_and_id_mismatch() -> None:
    big = httpx.MockTransport(lambda r: httpx.Response(200, content=b" " * 5000))
    with pytest.raises(NetworkError):
        Resolver(allow_network=True, max_bytes=1000, transport=big)("did:web:a.example#k")
    key = generate_key()
    wrong = httpx.MockTransport(
        lambda r: httpx.Response(200, json=_did_web_doc("did:web:other.example", key))
    )
    with pytest.raises(DidResolutionError):
        Resolver(allow_network=True, transport=wrong)("did:web:a.example#key-1")
    failing = httpx.MockTransport(lambda r: httpx.Response(404))
    with pytest.raises(NetworkError):
        Resolver(allow_network=True, transport=failing)("did:web:a.example#key-1")


def test_plug_in_method_and_static_documents() -> None:
    key = generate_key("P-256")
    resolver = Resolver()
    resolver.register("example", lambda did: _did_web_doc(did, key, ("authentication",)))
    vm = resolver("did:example:123#key-1")
    assert vm.public_key == key.public and vm.relationships == frozenset({"authentication"})
    resolver.add_document(_did_web_doc("https://issuer.example/profile", key))
    assert resolver("https://issuer.example/profile#key-1").controller == (
        "https://issuer.example/profile"
    )


def test_embedded_relationship_methods() -> None:
    import base58

    key = generate_key()
    did = "did:example:emb"
    embedded = {
        "id": f"{did}#a",
        "type": "Ed25519VerificationKey2018",
        "controller": did,
        "publicKeyBase58": base58.b58encode(key.public.raw).decode(),
    }
    resolver = Resolver(documents={did: {"id": did, "assertionMethod": [embedded]}})
    vm = resolver(f"{did}#a")
    assert vm.public_key == key.public and vm.relationships == frozenset({"assertionMethod"})


def test_did_key_document_shape() -> None:
    key = generate_key()
    doc = did_key_document(key.did)
    assert doc["id"] == key.did
    assert doc["verificationMethod"][0]["publicKeyMultibase"] == key.public.multibase
    assert doc["assertionMethod"] == [key.verification_method]
