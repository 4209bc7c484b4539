"""CLR 2.0: a ClrCredential's own proof, then each credential it holds, verified alone.

Oracles: the 1EdTech CLR 2.0 spec example (``impl_linked-data-proof-clr--01``)
re-signed here with fresh did:key issuers, so every expected verdict follows
from what the test did to the data (a property: tampering with a nested
credential after it was signed must fail its proof even under a valid CLR
proof; an expired one must fail its expiry). The attack tests fail on the code
before the CLR format existed, which verified a ClrCredential as a plain VC and
never looked inside.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred_vc import FORMATS, FormatRegistry, VerificationContext, verify
from microcred_vc.formats.clr import summarize
from microcred_vc.jose import sign_jwt
from microcred_vc.keys import generate_key
from microcred_vc.proofs import issue_document
from microcred_vc.report import Check, VerificationReport
from tests.fixture_paths import FIXTURES
from tests.proofs.conftest import read_json

EXAMPLE = FIXTURES / "ob3" / "spec-examples" / "impl_linked-data-proof-clr--01-credential.json"
NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    return {name: generate_key("Ed25519") for name in ("publisher", "school", "other")}


def _unsigned_clr() -> dict[str, Any]:
    return read_json(EXAMPLE)


def _achievement(key: Any, **changes: Any) -> dict[str, Any]:
    """The example's nested AchievementCredential, issued (unsigned) by ``key``."""
    cred = copy.deepcopy(_unsigned_clr()["credentialSubject"]["verifiableCredential"][0])
    cred.pop("proof")
    cred["issuer"] = {**cred["issuer"], "id": key.did}
    cred["credentialSubject"]["achievement"]["creator"]["id"] = key.did
    cred.update(changes)
    return cred


def _clr(publisher: Any, nested: list[Any]) -> dict[str, Any]:
    clr = _unsigned_clr()
    clr["issuer"] = {**clr["issuer"], "id": publisher.did}
    clr["credentialSubject"]["verifiableCredential"] = nested
    return issue_document(clr, publisher)


def test_clr_with_a_nested_credential_of_another_issuer_verifies(keys) -> None:
    nested = issue_document(_achievement(keys["school"]), keys["school"])
    report = verify(_clr(keys["publisher"], [nested]), now=NOW)
    assert report.verified, report.errors
    assert report.format == "clr"
    assert report.checks[0].message == "Comprehensive Learner Record 2.0"
    heads = [c for c in report.checks if c.name == "credential"]
    assert [c.status for c in heads] == ["pass"]
    assert "(Achievement 1)" in heads[0].message
    # the nested credential's own checks are in the report, prefixed
    assert any(
        c.name == "issuer"
        and c.message.startswith("credential 1:")
        and keys["school"].did in c.message
        for c in report.checks
    )


def test_tampered_nested_credential_fails_under_a_valid_clr_proof(keys) -> None:
    nested = issue_document(_achievement(keys["school"]), keys["school"])
    nested["credentialSubject"]["achievement"]["name"] = "Doctor of Medicine"  # after signing
    report = verify(_clr(keys["publisher"], [nested]), now=NOW)
    assert report.check("proof").passed  # the CLR's own proof covers the tampered copy
    assert not report.verified
    head = report.check("credential")
    assert head.failed and head.code == "PROOF_SIGNATURE_INVALID", report.errors


def test_expired_nested_credential_fails(keys) -> None:
    expired = _achievement(keys["school"], validUntil="2020-01-01T00:00:00Z")
    nested = issue_document(expired, keys["school"])
    report = verify(_clr(keys["publisher"], [nested]), now=NOW)
    assert not report.verified
    assert report.check("credential").code == "EXPIRED"


def test_unsigned_nested_credential_fails(keys) -> None:
    report = verify(_clr(keys["publisher"], [_achievement(keys["school"])]), now=NOW)
    assert not report.verified
    assert report.check("credential").failed


def test_nested_issuer_is_not_rescued_by_the_clr_issuer(keys) -> None:
    """A nested credential naming the publisher as issuer but signed by another key fails,
    though the publisher signed the CLR around it: the issuers are judged independently."""
    claims_publisher = _achievement(keys["publisher"])
    nested = issue_document(_achievement(keys["other"]), keys["other"])
    nested["issuer"] = claims_publisher["issuer"]  # after signing: the JSON lies
    report = verify(_clr(keys["publisher"], [nested]), now=NOW)
    assert not report.verified
    assert report.check("credential").failed


def test_nested_jwt_credential_is_verified(keys) -> None:
    token = sign_jwt(_achievement(keys["school"]), keys["school"])
    report = verify(_clr(keys["publisher"], [token]), now=NOW)
    assert report.verified, report.errors
    assert report.check("credential").message == "credential 1: verified as vc-jose-cose"
    bad = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert not verify(_clr(keys["publisher"], [bad]), now=NOW).verified


def test_tampered_clr_fails_even_with_good_nested_credentials(keys) -> None:
    nested = issue_document(_achievement(keys["school"]), keys["school"])
    clr = _clr(keys["publisher"], [nested])
    clr["name"] = "Forged Transcript"
    report = verify(clr, now=NOW)
    assert not report.verified
    assert report.check("proof").code == "PROOF_SIGNATURE_INVALID"
    assert report.check("credential").passed


def test_summary_counts_and_dangling_associations(keys) -> None:
    nested = issue_document(_achievement(keys["school"]), keys["school"])
    clr = _unsigned_clr()
    clr["credentialSubject"]["verifiableCredential"] = [nested]
    summary = summarize(clr)
    assert summary.credentials == 1 and summary.associations == {"isParentOf": 1}
    assert summary.dangling == ()
    clr["credentialSubject"]["association"][0]["targetId"] = "urn:uuid:nowhere"
    assert summarize(clr).dangling == ("urn:uuid:nowhere",)


def test_every_nested_credential_gets_the_callers_whole_context(keys) -> None:
    """Property (as tests/architecture/test_context.py states it for the other
    containers): with every context field set to a non-default value, the format
    hook reached from inside the CLR sees each of them, for every nested credential."""
    from tests.architecture.test_context import _context, _same

    seen: list[VerificationContext] = []

    def spy(value: Any, context: VerificationContext) -> VerificationReport:
        seen.append(context)
        return VerificationReport(checks=[Check("proof", "pass", "spy")])

    spied = {"ob3", "jwt"}
    registry = FormatRegistry([replace(f, verify=spy) if f.name in spied else f for f in FORMATS])
    ctx = _context()
    nested = [issue_document(_achievement(keys["school"]), keys["school"])]
    nested.append(sign_jwt(_achievement(keys["school"]), keys["school"]))
    verify(_clr(keys["publisher"], nested), context=ctx, formats=registry)
    assert len(seen) == 2
    for context in seen:
        _same(context, ctx)
        assert context.formats is registry


def test_the_clrs_own_proof_is_held_to_the_allowed_suites(keys) -> None:
    """Oracle: the Data Integrity rule that a verifier may restrict the suites it accepts.

    The CLR branch once verified the CLR's own proof without the caller's
    ``allowed_suites`` (only the nested credentials got them): an eddsa-signed CLR then
    verified for a verifier that allows ecdsa only. The same CLR verifies when eddsa is
    allowed, so the refusal is the restriction's doing.
    """
    nested = issue_document(_achievement(keys["school"]), keys["school"])
    clr = _clr(keys["publisher"], [nested])
    assert verify(clr, now=NOW, allowed_suites={"eddsa-rdfc-2022"}).verified
    refused = verify(clr, now=NOW, allowed_suites={"ecdsa-rdfc-2019"})
    assert not refused.verified
    own = [c for c in refused.checks if not c.message.startswith("credential ")]
    assert "CRYPTOSUITE_NOT_ALLOWED" in {c.code for c in own}
