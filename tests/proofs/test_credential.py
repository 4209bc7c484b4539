"""issue_document, verify_credential (named checks) and presentations."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from microcred_vc.errors import (
    IssuerKeyMismatch,
    IssuerMissing,
    MicrocredError,
    ProofCreationError,
    StatusError,
)
from microcred_vc.keys import Resolver, generate_key
from microcred_vc.proofs import (
    create_presentation,
    issue_document,
    verify_credential,
    verify_presentation,
)
from microcred_vc.report import Check
from tests.issuing import issued_by
from tests.proofs.conftest import OB3, read_json

SIMPLE = OB3 / "validator-fixtures" / "ob30" / "simple.json"
SIMPLE_V1 = OB3 / "validator-fixtures" / "ob30" / "simple_v1.json"


def _unsigned(path=SIMPLE) -> dict:
    doc = read_json(path)
    doc.pop("proof")
    return doc


# --- issue_document ---------------------------------------------------------------
def _signed_by(doc: dict, key, **options) -> dict:
    """Sign ``doc`` as ``key``'s controller (the test names the issuer; issue never does)."""
    return issue_document(issued_by(doc, key), key, **options)


def test_issue_keeps_the_callers_issuer(loader) -> None:
    """Oracle: DESIGN.md "Never change what the caller gave" -- the signed issuer is the input's."""
    key = generate_key()
    unsigned = issued_by(_unsigned(), key)
    signed = issue_document(unsigned, key, loader=loader)
    assert signed["issuer"] == {"id": key.did, "type": ["Profile"], "name": "Example Corp"}
    assert signed["validFrom"] == "2010-01-01T00:00:00Z"  # kept
    assert verify_credential(signed, loader=loader).verified


def test_issue_refuses_an_issuer_the_key_does_not_belong_to(loader) -> None:
    """Regression (issue 17): the old code replaced the issuer id with the key's did:key."""
    key = generate_key()
    for issuer in ("fake-issuer", "did:web:micro.tudublin.example.ie", {"id": "did:key:z6Mk"}):
        doc = _unsigned() | {"issuer": issuer}
        before = copy.deepcopy(doc)
        with pytest.raises(IssuerKeyMismatch) as err:
            issue_document(doc, key, loader=loader)
        assert err.value.code == "ISSUER_KEY_MISMATCH"
        assert "controller=" in err.value.message and "--did-web" in err.value.message
        assert doc == before  # the input is untouched


def test_issue_refuses_a_missing_issuer_and_fills_dates(loader) -> None:
    """The data model requires an issuer: the old code filled in the key's DID instead."""
    key = generate_key("P-256")
    doc = _unsigned()
    del doc["issuer"], doc["validFrom"]
    for missing in (doc, doc | {"issuer": None}, doc | {"issuer": {"name": "No id"}}):
        with pytest.raises(IssuerMissing):
            issue_document(missing, key, loader=loader)
    signed = issue_document(
        doc | {"issuer": key.did}, key, created="2024-05-01T10:00:00Z", loader=loader
    )
    assert signed["issuer"] == key.did
    assert signed["validFrom"] == "2024-05-01T10:00:00Z" == signed["proof"]["created"]
    assert signed["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    v1 = _unsigned(SIMPLE_V1)
    v1.pop("issuanceDate", None)
    v1_key = generate_key()
    signed_v1 = _signed_by(
        v1,
        v1_key,
        cryptosuite="Ed25519Signature2020",
        created="2024-05-01T10:00:00Z",
        loader=loader,
    )
    assert signed_v1["issuanceDate"] == "2024-05-01T10:00:00Z"
    report = verify_credential(signed_v1, loader=loader)
    assert report.verified, report.errors


def test_issue_signs_a_did_web_issuer_as_given(loader) -> None:
    """An institution's key (controller did:web) signs the course's issuer unchanged."""
    key = generate_key(controller="did:web:micro.tudublin.example.ie")
    doc = _unsigned() | {"issuer": {"id": key.did, "name": "TU Dublin"}}
    signed = issue_document(doc, key, loader=loader)
    assert signed["issuer"] == {"id": "did:web:micro.tudublin.example.ie", "name": "TU Dublin"}
    resolver = Resolver(documents={key.did: key.did_document()})
    assert verify_credential(signed, loader=loader, resolver=resolver).verified


def test_issue_rejects_bad_input(loader) -> None:
    with pytest.raises(ProofCreationError):
        issue_document(_unsigned() | {"issuer": 5}, generate_key(), loader=loader)
    with pytest.raises(ProofCreationError):
        issue_document("{}", generate_key())  # type: ignore[arg-type]
    with pytest.raises(ProofCreationError):
        issue_document(_unsigned(), "not a key")  # type: ignore[arg-type]
    with pytest.raises(MicrocredError) as err:  # undefined term: safe mode refuses to sign
        _signed_by(_unsigned() | {"grade": "A"}, generate_key(), loader=loader)
    assert err.value.code == "UNDEFINED_TERM"


# --- verify_credential ---------------------------------------------------------------
def test_expiry_with_clock_skew(loader) -> None:
    doc = _unsigned() | {"validUntil": "2030-01-01T00:00:00Z"}
    signed = _signed_by(doc, generate_key(), created="2020-01-01T00:00:00Z", loader=loader)
    just_after = datetime(2030, 1, 1, 0, 1, tzinfo=UTC)
    assert verify_credential(signed, loader=loader, now=just_after).verified  # within 5 min
    strict = verify_credential(signed, loader=loader, now=just_after, clock_skew=timedelta(0))
    assert strict.check("expiry").code == "EXPIRED"
    early = verify_credential(signed, loader=loader, now=datetime(2009, 1, 1, tzinfo=UTC))
    assert early.check("expiry").failed  # validFrom 2010
    assert not early.verified


def test_issuer_must_control_the_key(loader) -> None:
    signed = _signed_by(_unsigned(), generate_key(), loader=loader)
    other = generate_key()
    doc = copy.deepcopy(signed)
    doc["issuer"]["id"] = other.did
    report = verify_credential(doc, loader=loader)
    assert report.check("issuer").status in ("fail", "skip") and not report.verified
    doc.pop("issuer")
    report = verify_credential(doc, loader=loader)
    assert report.check("issuer").code == "ISSUER_MISSING"


def test_status_check_is_used_only_when_given(loader) -> None:
    signed = _signed_by(_unsigned(), generate_key(), loader=loader)
    assert verify_credential(signed, loader=loader).check("status") is None
    revoked = verify_credential(
        signed,
        loader=loader,
        status_checker=lambda d: Check("status", "fail", "revoked", "REVOKED"),
    )
    assert not revoked.verified and revoked.check("status").message == "revoked"

    def broken(doc):
        raise StatusError("status list unreachable")

    report = verify_credential(signed, loader=loader, status_checker=broken)
    assert report.check("status").code == "STATUS_ERROR" and not report.verified


def test_bad_credentials_never_raise(loader) -> None:
    for bad in (
        "x",
        5,
        None,
        [],
        {},
        {"@context": "https://evil.example"},
        {"@context": ["https://www.w3.org/ns/credentials/v2"], "proof": {}},
    ):
        report = verify_credential(bad, loader=loader)
        assert not report.verified and report.errors


# --- presentations -------------------------------------------------------------------
@pytest.mark.parametrize("holder_kind", ["Ed25519", "P-256"])
def test_presentation_round_trip(holder_kind: str, loader) -> None:
    creds = [
        _signed_by(_unsigned(), generate_key(), loader=loader),
        _signed_by(_unsigned(), generate_key("P-384"), cryptosuite="ecdsa-jcs-2019", loader=loader),
    ]
    holder = generate_key(holder_kind)
    vp = create_presentation(
        creds, holder, challenge="nonce-1", domain="verifier.example", loader=loader
    )
    assert vp["proof"]["proofPurpose"] == "authentication"
    report = verify_presentation(vp, challenge="nonce-1", domain="verifier.example", loader=loader)
    assert report.verified, report.errors
    assert [c.name for c in report.checks].count("proof") == 3
    assert report.check("holder").passed

    replay = verify_presentation(vp, challenge="nonce-2", domain="verifier.example", loader=loader)
    assert not replay.verified and "challenge" in replay.errors[0]
    wrong_domain = verify_presentation(vp, challenge="nonce-1", domain="x.example", loader=loader)
    assert not wrong_domain.verified


def test_presentation_detects_a_tampered_credential(loader) -> None:
    cred = _signed_by(_unsigned(), generate_key(), loader=loader)
    cred["name"] = "Changed before presenting"
    vp = create_presentation([cred], generate_key(), challenge="n", loader=loader)
    report = verify_presentation(vp, challenge="n", loader=loader)
    assert report.check("proof").passed  # the holder's own proof is fine
    assert not report.verified
    assert any(e.startswith("proof: credential 1:") for e in report.errors)


def test_presentation_holder_mismatch_and_v1(loader) -> None:
    v1 = _unsigned(SIMPLE_V1)
    cred = _signed_by(v1, generate_key(), cryptosuite="Ed25519Signature2020", loader=loader)
    vp = create_presentation(cred, generate_key(), challenge="n", loader=loader)
    assert vp["@context"][0] == "https://www.w3.org/2018/credentials/v1"
    assert verify_presentation(vp, challenge="n", loader=loader).verified
    vp["holder"] = generate_key().did
    report = verify_presentation(vp, challenge="n", loader=loader)
    assert not report.verified


def test_presentation_needs_a_challenge(loader) -> None:
    with pytest.raises(ProofCreationError):
        create_presentation([], generate_key(), challenge="")
    vp = create_presentation([], generate_key(), challenge="n", loader=loader)
    assert verify_presentation(vp, challenge="n", loader=loader).verified
    assert not verify_presentation(vp, challenge=None, loader=loader).verified


def test_copy_false_signs_the_given_document_and_signs_the_same(loader) -> None:
    """Property (Ed25519 is deterministic): ``copy=False`` gives the same signed document
    as the default, returns the very dict it was given, and the default leaves its input
    as it was (deep comparison against a copy taken before)."""
    key = generate_key()
    unsigned = issued_by(_unsigned(), key)
    before = copy.deepcopy(unsigned)
    stamp = "2026-07-01T12:00:00Z"
    default = issue_document(unsigned, key, loader=loader, created=stamp)
    assert unsigned == before
    given = copy.deepcopy(unsigned)
    in_place = issue_document(given, key, loader=loader, created=stamp, copy=False)
    assert in_place is given and in_place == default
    assert verify_credential(in_place, loader=loader).verified
