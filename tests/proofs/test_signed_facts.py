"""Checks judge the signed graph, not JSON keys (issue #16 V2).

Oracle (a property of RDF suites): renaming a key to its full IRI, writing its
value as an explicit ``{@value, @type}`` object, or reaching it through an alias
from an appended inline ``@context`` leaves the signed quads identical -- each
test first proves the signature still verifies. The credential is expired,
not yet valid or revoked in the signed data, so verify must say so; and since
the JSON no longer shows what was signed, ``signed_data`` fails with
``JSON_GRAPH_MISMATCH``. On the code before the fix every one of these
verified.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from microcred_vc import verify
from microcred_vc.keys import generate_key
from microcred_vc.proofs import issue_document, verify_credential, verify_proof
from microcred_vc.proofs.signed_facts import (
    CRED,
    STATUS,
    disagreements,
    facts_from_document,
    json_facts,
)
from microcred_vc.status import StatusRegistry

RDF_SUITES = [
    ("eddsa-rdfc-2022", "Ed25519"),
    ("ecdsa-rdfc-2019", "P-256"),
    ("ecdsa-rdfc-2019", "P-384"),
    ("Ed25519Signature2020", "Ed25519"),
]
IDS = [f"{s}-{k}" for s, k in RDF_SUITES]
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
BASE = "https://status.example/lists"
Doc = dict[str, Any]


def _contexts(doc: Doc) -> list[Any]:
    value = doc["@context"]
    return value if isinstance(value, list) else [value]


def _credential(issuer: str, **extra: Any) -> Doc:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner"},
        **extra,
    }


def _full_iri(name: str) -> Callable[[Doc], None]:
    """Move ``name`` to its full IRI with an explicit typed value."""

    def mutate(doc: Doc) -> None:
        doc[CRED + name] = {"@value": doc.pop(name), "@type": XSD_DATETIME}

    return mutate


def _alias(name: str) -> Callable[[Doc], None]:
    """Move ``name`` under an alias that an appended inline context defines."""

    def mutate(doc: Doc) -> None:
        doc["@context"] = [*_contexts(doc), {"x": {"@id": CRED + name, "@type": XSD_DATETIME}}]
        doc["x"] = doc.pop(name)

    return mutate


DATE_CASES = [
    ("validUntil", "2020-01-01T00:00:00Z", "EXPIRED"),
    ("validFrom", "2999-01-01T00:00:00Z", "NOT_YET_VALID"),
]
MUTATIONS = {"full-iri": _full_iri, "inline-alias": _alias}


@pytest.mark.parametrize(("suite", "key_type"), RDF_SUITES, ids=IDS)
@pytest.mark.parametrize("how", sorted(MUTATIONS))
@pytest.mark.parametrize(("name", "value", "code"), DATE_CASES, ids=[c[0] for c in DATE_CASES])
def test_hidden_dates_still_judged(suite, key_type, how, name, value, code, loader) -> None:
    key = generate_key(key_type)
    # an end date before the filled-in start (now) breaks the data model: start earlier
    start = {"validFrom": "2019-01-01T00:00:00Z"} if name == "validUntil" else {}
    signed = issue_document(
        _credential(key.did, **start, **{name: value}), key, cryptosuite=suite, loader=loader
    )
    plain = verify_credential(signed, loader=loader)
    assert [c.code for c in plain.checks if c.name == "expiry"] == [code]

    tampered = copy.deepcopy(signed)
    MUTATIONS[how](name)(tampered)
    assert name not in tampered
    assert verify_proof(tampered, loader=loader).verified, "the signed quads must be unchanged"
    report = verify_credential(tampered, loader=loader)
    assert not report.verified
    by_name = {c.name: c for c in report.checks}
    assert by_name["expiry"].code == code
    assert by_name["signed_data"].code == "JSON_GRAPH_MISMATCH"
    assert name in by_name["signed_data"].message


def test_second_hidden_end_date_counts(loader) -> None:
    """A far-future validUntil in the JSON cannot outvote an expired one signed beside it."""
    key = generate_key("Ed25519")
    doc = _credential(key.did, validUntil="2999-01-01T00:00:00Z")
    doc[CRED + "validUntil"] = {"@value": "2020-01-01T00:00:00Z", "@type": XSD_DATETIME}
    signed = issue_document(doc, key, loader=loader)
    report = verify_credential(signed, loader=loader)
    by_name = {c.name: c for c in report.checks}
    assert by_name["proof"].status == "pass"
    assert by_name["expiry"].code == "EXPIRED"
    assert "2020-01-01" in by_name["expiry"].message
    assert by_name["signed_data"].code == "JSON_GRAPH_MISMATCH"


def _hide_status(doc: Doc) -> None:
    doc[CRED + "credentialStatus"] = doc.pop("credentialStatus")


def _alias_status(doc: Doc) -> None:
    doc["@context"] = [*_contexts(doc), {"st": {"@id": CRED + "credentialStatus"}}]
    doc["st"] = doc.pop("credentialStatus")


def _hide_index(doc: Doc) -> None:
    entry = doc["credentialStatus"]
    entry[STATUS + "statusListIndex"] = entry.pop("statusListIndex")


STATUS_MUTATIONS = {
    "credentialStatus-full-iri": _hide_status,
    "credentialStatus-alias": _alias_status,
    "statusListIndex-full-iri": _hide_index,
}


@pytest.mark.parametrize(("suite", "key_type"), RDF_SUITES, ids=IDS)
@pytest.mark.parametrize("how", sorted(STATUS_MUTATIONS))
def test_hidden_status_still_checked(suite, key_type, how, tmp_path, loader) -> None:
    key = generate_key(key_type)
    with StatusRegistry(f"sqlite:///{tmp_path / 'status.db'}") as registry:
        index = registry.allocate("R", "revocation")
        entry = registry.entry_for("R", index, "revocation", BASE)
        signed = issue_document(
            _credential(key.did, credentialStatus=entry), key, cryptosuite=suite, loader=loader
        )
        registry.set_status(signed, revoked=True)
        assert [c.code for c in verify(signed, registry=registry).checks if c.name == "status"] == [
            "STATUS_REVOKED"
        ]
        tampered = copy.deepcopy(signed)
        STATUS_MUTATIONS[how](tampered)
        assert verify_proof(tampered, loader=loader).verified, "the signed quads must be unchanged"
        report = verify(tampered, registry=registry)
    assert not report.verified
    by_name = {c.name: c for c in report.checks}
    assert by_name["status"].code == "STATUS_REVOKED"
    assert by_name["signed_data"].code == "JSON_GRAPH_MISMATCH"


def test_untampered_json_agrees_with_its_graph(loader) -> None:
    """Property on an honest credential: the JSON view equals the graph view."""
    key = generate_key("Ed25519")
    doc = _credential(
        key.did,
        validFrom="2020-01-01T00:00:00Z",
        validUntil="2999-01-01T00:00:00Z",
        credentialStatus={
            "id": f"{BASE}/R#5",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "5",
            "statusListCredential": f"{BASE}/R",
        },
    )
    signed = facts_from_document(doc, loader=loader)
    assert disagreements(signed, json_facts(doc)) == []
    assert signed.status[0]["statusListIndex"] == "5"
    assert signed.issuer == key.did
    report = verify_credential(issue_document(doc, key, loader=loader), loader=loader)
    assert [c.status for c in report.checks if c.name == "signed_data"] == ["pass"]


def test_foreign_namespace_never_stands_in_for_the_status_vocabulary(loader) -> None:
    """An issuer's own ``statusListIndex`` term in another namespace is not the real one."""
    doc = _credential(
        "did:example:issuer",
        credentialStatus={
            "id": f"{BASE}/R#5",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "https://evil.example/statusListIndex": "5",
            "statusListCredential": f"{BASE}/R",
        },
    )
    entry = facts_from_document(doc, loader=loader).status[0]
    assert "statusListIndex" not in entry
    assert entry["https://evil.example/statusListIndex"] == "5"


def test_presentation_holder_is_read_from_the_signed_graph(loader) -> None:
    """A holder written under its full IRI is still the holder the signer must be."""
    from microcred_vc.proofs import add_proof, create_presentation, verify_presentation

    issuer, victim, attacker = (generate_key("Ed25519") for _ in range(3))
    vc = issue_document(_credential(issuer.did), issuer, loader=loader)
    vp = create_presentation([vc], attacker, challenge="c-9")
    vp.pop("proof")
    vp.pop("holder")
    vp[CRED + "holder"] = {"@id": victim.did}
    signed = add_proof(vp, attacker, purpose="authentication", challenge="c-9", loader=loader)
    report = verify_presentation(signed, challenge="c-9", loader=loader)
    by_name = {c.name: c for c in reversed(report.checks)}  # the presentation's own first
    assert by_name["holder"].code == "HOLDER_MISMATCH"
    assert by_name["signed_data"].code == "JSON_GRAPH_MISMATCH"
    assert not report.verified


@pytest.mark.parametrize("extra", [" ", "\n", "\t", "0", "l"], ids=repr)
def test_proof_value_is_parsed_strictly(extra: str, loader) -> None:
    """Oracle: Data Integrity proofValue is base58btc multibase, exactly (issue #16, strict JSON).

    base58 decoders strip surrounding whitespace; a padded proofValue used to verify.
    """
    key = generate_key("Ed25519")
    signed = issue_document(_credential(key.did), key, loader=loader)
    assert verify_proof(signed, loader=loader).verified
    signed["proof"]["proofValue"] += extra
    result = verify_proof(signed, loader=loader)
    assert not result.verified
    assert result.code == "PROOF_VALUE_INVALID"


@pytest.mark.parametrize(("suite", "key_type"), RDF_SUITES, ids=IDS)
def test_hidden_second_subject_is_named(suite, key_type, loader) -> None:
    """A second subject under the full ``credentialSubject`` IRI is signed but unseen.

    A wallet showing ``credentialSubject.id`` would present the credential as
    Alice's alone while the issuer signed claims about Mallory too.
    """
    key = generate_key(key_type)
    doc = _credential(key.did)
    doc[CRED + "credentialSubject"] = {"@id": "did:example:mallory"}
    signed = issue_document(doc, key, cryptosuite=suite, loader=loader)
    assert verify_proof(signed, loader=loader).verified
    report = verify(signed, loader=loader)
    check = {c.name: c for c in report.checks}["signed_data"]
    assert check.code == "JSON_GRAPH_MISMATCH"
    assert "did:example:mallory" in check.message
    assert not report.verified


def test_several_subjects_agree_with_their_graph(loader) -> None:
    """Property on an honest credential: a list of subjects (with and without ids) agrees."""
    key = generate_key("Ed25519")
    doc = _credential(key.did)
    doc["credentialSubject"] = [
        {"id": "did:example:b"},
        {"id": "did:example:a"},
        {"name": "someone without an id"},
    ]
    doc["@context"] = [*_contexts(doc), {"name": "https://schema.org/name"}]
    signed = facts_from_document(doc, loader=loader)
    assert signed.subjects == ("did:example:a", "did:example:b")
    assert disagreements(signed, json_facts(doc)) == []


# --- credentials that cite each other (1EdTech complete.json) --------------------
_CYCLE = """\
<urn:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
<urn:a> <https://www.w3.org/2018/credentials#issuer> <did:example:a> .
<urn:a> <https://example.org/endorsement> <urn:b> .
<urn:b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
<urn:b> <https://www.w3.org/2018/credentials#issuer> <did:example:b> .
<urn:b> <https://www.w3.org/2018/credentials#refreshService> <urn:a> .
"""


def test_a_cycle_is_resolved_by_the_documents_own_id_and_only_among_signed_nodes() -> None:
    """Property: when every credential node is cited by another, the JSON's id names the
    root, but only a signed node of the credential type can be named; anything else
    still fails (the JSON cannot make up a root)."""
    from microcred_vc.proofs.signed_facts import SignedGraphError, facts_from_nquads

    assert facts_from_nquads(_CYCLE, named="urn:a").issuers == ("did:example:a",)
    assert facts_from_nquads(_CYCLE, named="urn:b").issuers == ("did:example:b",)
    for named in (None, "urn:c", "did:example:a"):
        with pytest.raises(SignedGraphError, match="2 top-level"):
            facts_from_nquads(_CYCLE, named=named)
