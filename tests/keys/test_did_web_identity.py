"""Institutions sign as themselves: did:web names, DID documents, issuer linkage states.

Oracles: the did:web method specification (w3c-ccg.github.io/did-method-web,
§"Create"/"Read": host, ``%3A`` port, ``:`` path segments, ``/.well-known/did.json``
or ``/PATH/did.json``) and DID Core 1.0 (§4 properties: ``@context`` first
``https://www.w3.org/ns/did/v1``; ``id`` the DID; verification methods with
``id`` (a DID URL inside the document), ``type``, ``controller``, key material;
``assertionMethod`` referencing them). The issuer states follow issue 17 item 3.
"""

from __future__ import annotations

import copy

import pytest

from microcred_vc import issue, verify
from microcred_vc.errors import DidResolutionError, IssuerKeyMismatch
from microcred_vc.keys import Resolver, generate_key
from microcred_vc.keys.did import did_web_url
from microcred_vc.keys.document import did_document, did_web
from tests.example_data import example_micro_credential
from tests.issuing import issued_by

DID_V1 = "https://www.w3.org/ns/did/v1"


@pytest.mark.parametrize(
    ("given", "did", "url"),
    [  # the did:web specification's own examples
        (
            "w3c-ccg.github.io",
            "did:web:w3c-ccg.github.io",
            "https://w3c-ccg.github.io/.well-known/did.json",
        ),
        (
            "w3c-ccg.github.io:user:alice",
            "did:web:w3c-ccg.github.io:user:alice",
            "https://w3c-ccg.github.io/user/alice/did.json",
        ),
        (
            "w3c-ccg.github.io/user/alice",
            "did:web:w3c-ccg.github.io:user:alice",
            "https://w3c-ccg.github.io/user/alice/did.json",
        ),
        (
            "example.com:3000",
            "did:web:example.com%3A3000",
            "https://example.com:3000/.well-known/did.json",
        ),
        (
            "did:web:example.com%3A3000:u",
            "did:web:example.com%3A3000:u",
            "https://example.com:3000/u/did.json",
        ),
    ],
)
def test_did_web_names_follow_the_method_rules(given: str, did: str, url: str) -> None:
    assert did_web(given) == did
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "bad", ["", "exa mple.com", "-bad.example", "example.com/a b", "user@host"]
)
def test_did_web_refuses_what_is_not_a_host(bad: str) -> None:
    with pytest.raises(DidResolutionError):
        did_web(bad)


def _assert_did_core_shape(doc: dict, did: str) -> None:
    """DID Core §4/§5: the properties a conforming DID document of Multikey methods has."""
    assert doc["@context"][0] == DID_V1
    assert doc["id"] == did
    ids = []
    for vm in doc["verificationMethod"]:
        assert set(vm) == {"id", "type", "controller", "publicKeyMultibase"}
        assert vm["id"].split("#", 1)[0] == did and vm["id"].split("#", 1)[1]
        assert vm["controller"] == did and vm["type"] == "Multikey"
        assert vm["publicKeyMultibase"].startswith("z")
        ids.append(vm["id"])
    assert doc["assertionMethod"] == ids
    assert len(set(ids)) == len(ids)


def test_key_pair_produces_its_did_document() -> None:
    key = generate_key("P-256", controller="did:web:example.edu")
    doc = key.did_document()
    _assert_did_core_shape(doc, "did:web:example.edu")
    method = Resolver(documents={doc["id"]: doc})(key.verification_method)
    assert method.allows("assertionMethod") and method.public_key.raw == key.public.raw
    # one document for several keys of one controller (a server's Ed25519 and P-256)
    both = did_document([key, generate_key("Ed25519", controller="did:web:example.edu")])
    _assert_did_core_shape(both, "did:web:example.edu")
    with pytest.raises(DidResolutionError):
        did_document([key, generate_key("Ed25519")])


def test_did_key_document_matches_the_did_key_method() -> None:
    """Property: for a did:key controller the document equals what did:key resolution gives."""
    from microcred_vc.keys.did import did_key_document

    key = generate_key()
    ours, theirs = key.did_document(), did_key_document(key.did)
    assert ours["verificationMethod"] == theirs["verificationMethod"]
    assert ours["assertionMethod"] == theirs["assertionMethod"]


# --- issue() never rewrites the issuer (regressions: the old code did) -------------------
def test_issue_refuses_a_key_of_another_controller() -> None:
    mc = example_micro_credential()
    with pytest.raises(IssuerKeyMismatch) as err:
        issue(mc, generate_key())
    assert err.value.code == "ISSUER_KEY_MISMATCH"
    assert 'controller="did:web:micro.tudublin.example.ie"' in err.value.message
    with pytest.raises(IssuerKeyMismatch):
        issue(mc, generate_key(), envelope="jwt")
    with pytest.raises(IssuerKeyMismatch):
        issue(mc, generate_key(), format="edc")


def test_issue_keeps_a_did_web_issuer_and_awarding_bodies() -> None:
    mc = example_micro_credential()
    key = generate_key(controller=mc.issuer.id)
    vc = issue(mc, key)
    assert vc["issuer"]["id"] == "did:web:micro.tudublin.example.ie"  # as the course says
    resolver = Resolver(documents={key.did: key.did_document()})
    report = verify(vc, resolver=resolver)
    assert report.verified and report.check("issuer").passed, report.errors
    assert not verify(vc).verified  # without the did.json the key cannot be found


def test_fake_issuer_is_refused_not_replaced() -> None:
    key = generate_key()
    doc = issue(issued_by(example_micro_credential(), key), key)
    doc.pop("proof")
    doc["issuer"] = {**doc["issuer"], "id": "fake-issuer"}
    before = copy.deepcopy(doc)
    with pytest.raises(IssuerKeyMismatch):
        issue(doc, key)
    assert doc == before


# --- issuer linkage states ----------------------------------------------------------------
def test_https_issuer_signed_by_a_did_key_is_a_warning() -> None:
    """An issuer that is not a DID cannot list keys: not linked, reported, not failed.

    The shape of the W3C vc-di-eddsa vectors (https issuer, did:key proof), signed
    with the engine directly as another implementation would.
    """
    from microcred_vc.proofs.engine import add_proof

    key = generate_key()
    doc = _unsigned(issue(issued_by(example_micro_credential(), key), key))
    doc["issuer"] = {**doc["issuer"], "id": "https://vc.example/issuers/5678"}
    report = verify(add_proof(doc, key))
    issuer = report.check("issuer")
    assert issuer.status == "warn" and issuer.code == "ISSUER_NOT_LINKED"
    assert "not shown to belong to https://vc.example/issuers/5678" in issuer.message
    assert report.verified and report.warnings == [f"issuer: {issuer.message}"]


def test_did_issuer_signed_by_another_did_fails() -> None:
    """The forgery defence: a DID lists its keys, so another DID's key is a mismatch."""
    from microcred_vc.proofs.engine import add_proof

    victim, attacker = "did:web:micro.tudublin.example.ie", generate_key()
    doc = _unsigned(issue(issued_by(example_micro_credential(), attacker), attacker))
    doc["issuer"] = {**doc["issuer"], "id": victim}
    report = verify(add_proof(doc, attacker))
    assert report.check("issuer").code == "ISSUER_MISMATCH" and not report.verified


def _unsigned(vc: dict) -> dict:
    return {k: v for k, v in vc.items() if k != "proof"}
