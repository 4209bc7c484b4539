"""The ``trust`` check in ``verify()`` (microcred_vc/trust/check.py and its wiring).

Oracles (properties, DESIGN.md "Verified answers one question" and
docs/issuer-identity.md):

- trust is looked up for the issuer the proof *established* (the issuer check
  linked the key to it), never for the JSON ``issuer`` alone: a credential that
  names a vouched-for issuer but is signed by another key is never
  ``trusted`` — the claimed-issuer attack, which a lookup of the JSON field
  would pass (its ``verified`` may even be True: an https issuer with an
  unlinked key is only a warning);
- the trust verdict never changes ``verified`` or ``errors``;
- every credential in a presentation gets its own trust check, with the same
  registries and clock (the one verification context);
- a registry that says revoked or expired wins; a broken registry is a failed
  check, never an exception.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred_vc import verify
from microcred_vc.jose import sign_jwt
from microcred_vc.keys import Resolver, generate_key
from microcred_vc.proofs import add_proof, create_presentation, issue_document
from microcred_vc.trust import AllowList, EbsiIssuerRecord, TrustAnswer
from tests.trust.ebsi_samples import accreditation_jwt, attribute, issuer_record

VC2 = "https://www.w3.org/ns/credentials/v2"


def _credential(issuer: str) -> dict[str, Any]:
    return {
        "@context": [VC2],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner"},
    }


@pytest.fixture(scope="module")
def key():
    return generate_key("Ed25519")


@pytest.fixture(scope="module")
def signed(key) -> dict[str, Any]:
    return issue_document(_credential(key.did), key)


def _trust(report) -> list:
    return [c for c in report.checks if c.name == "trust"]


def test_vouched_issuer_passes_and_names_registry_and_entry(key, signed) -> None:
    report = verify(signed, trust=AllowList([(key.did, "Test University")], name="QA list"))
    (check,) = _trust(report)
    assert check.status == "pass", check
    assert "QA list" in check.message and "Test University" in check.message
    assert report.verified and report.trusted
    assert report.to_dict()["trusted"] is True


def test_unlisted_issuer_fails_trust_but_stays_verified(signed) -> None:
    report = verify(signed, trust=AllowList(["did:web:somebody.example"]))
    (check,) = _trust(report)
    assert (check.status, check.code) == ("fail", "TRUST_NOT_LISTED")
    assert "is not listed in" in check.message
    assert report.verified and not report.trusted
    assert report.errors == []


def test_without_registry_trust_is_skipped(signed) -> None:
    report = verify(signed)
    (check,) = _trust(report)
    assert check.status == "skip"
    assert report.verified and not report.trusted


def test_claimed_did_issuer_signed_by_another_key_is_not_trusted() -> None:
    attacker = generate_key("Ed25519")
    forged = add_proof(_credential("did:web:uni.example"), attacker)
    report = verify(forged, trust=AllowList(["uni.example", "did:web:uni.example"]))
    assert report.check("issuer").code == "ISSUER_MISMATCH"
    (check,) = _trust(report)
    assert (check.status, check.code) == ("fail", "TRUST_ISSUER_UNPROVEN")
    assert not report.trusted


def test_claimed_https_issuer_with_unlinked_key_is_verified_but_not_trusted() -> None:
    """The sharp case: ``verified`` is True (an unlinked https issuer is a warning),
    so only the proven-issuer rule keeps the allow-list from vouching."""
    attacker = generate_key("Ed25519")
    forged = add_proof(_credential("https://uni.example/issuer"), attacker)
    report = verify(forged, trust=AllowList(["uni.example"]))
    assert report.check("issuer").code == "ISSUER_NOT_LINKED"
    assert report.verified
    (check,) = _trust(report)
    assert (check.status, check.code) == ("fail", "TRUST_ISSUER_UNPROVEN")
    assert not report.trusted


def test_json_issuer_edited_after_signing_is_not_trusted(key, signed) -> None:
    """The signed graph names the key's DID; the JSON now names a vouched issuer."""
    edited = copy.deepcopy(signed)
    edited["issuer"] = "did:web:uni.example"
    report = verify(edited, trust=AllowList(["uni.example"]))
    assert not report.verified and not report.trusted


def test_linked_did_web_issuer_is_vouched_by_its_domain() -> None:
    key = generate_key("Ed25519", controller="did:web:micro.uni.example")
    resolver = Resolver(documents={key.did: key.did_document()})
    doc = issue_document(_credential(key.did), key)
    report = verify(doc, resolver=resolver, trust=AllowList(["micro.uni.example"]))
    assert report.check("issuer").status == "pass"
    assert report.trusted, _trust(report)
    elsewhere = verify(doc, resolver=resolver, trust=AllowList(["uni.example"]))
    assert not elsewhere.trusted  # the parent domain is another host


def test_jwt_credential_gets_the_trust_check(key) -> None:
    token = sign_jwt(_credential(key.did), key)
    assert verify(token, trust=AllowList([key.did])).trusted
    report = verify(token, trust=AllowList(["did:web:other.example"]))
    assert report.verified and not report.trusted


def test_every_credential_in_a_presentation_is_checked(key, signed) -> None:
    other = generate_key("Ed25519")
    holder = generate_key("Ed25519")
    token = sign_jwt(_credential(other.did), other)
    enveloped = {
        "@context": [VC2],
        "type": "EnvelopedVerifiableCredential",
        "id": f"data:application/vc+jwt,{token}",
    }
    vp = create_presentation([signed, enveloped], holder, challenge="c-1")
    both = verify(vp, challenge="c-1", trust=AllowList([key.did, other.did]))
    checks = _trust(both)
    assert [c.message.split(":")[0] for c in checks] == ["credential 1", "credential 2"]
    assert all(c.passed for c in checks) and both.trusted and both.verified
    one = verify(vp, challenge="c-1", trust=AllowList([key.did]))
    assert [c.status for c in _trust(one)] == ["pass", "fail"]
    assert one.verified and not one.trusted


def test_revocation_in_one_registry_wins(tmp_path) -> None:
    did = "did:ebsi:zTestAccreditedUniversity00001"
    record = EbsiIssuerRecord(issuer_record(did, attribute(accreditation_jwt(did), "Revoked")))

    class Proven:
        issuer = did
        document = None

    from microcred_vc.trust import trust_check

    check = trust_check(Proven(), [AllowList([did]), record])  # type: ignore[arg-type]
    assert (check.status, check.code) == ("fail", "TRUST_REVOKED")


def test_the_callers_clock_judges_the_accreditation(tmp_path) -> None:
    """verify(now=...) reaches the registry: the accreditation runs until 2030."""
    key = generate_key("Ed25519")
    path = tmp_path / "tir.json"
    path.write_text(json.dumps(issuer_record(key.did, attribute(accreditation_jwt(key.did)))))
    doc = issue_document(_credential(key.did), key)
    assert verify(doc, trust=path, now=datetime(2027, 1, 1, tzinfo=UTC)).trusted
    late = verify(doc, trust=path, now=datetime(2031, 1, 1, tzinfo=UTC))
    assert late.check("trust").code == "TRUST_EXPIRED"


def test_a_broken_registry_is_a_failed_check_not_an_exception(signed) -> None:
    class Broken:
        name = "broken"

        def lookup(self, issuer_id: str, *, now=None) -> TrustAnswer:
            raise RuntimeError("disk on fire")

    report = verify(signed, trust=Broken())
    check = report.check("trust")
    assert (check.status, check.code) == ("fail", "TRUST_REGISTRY_ERROR")
    assert report.verified


def test_badge_baked_in_an_image_gets_one_trust_check(key, signed) -> None:
    """The image hands its badge to the registry with the same context: one trust check."""
    from io import BytesIO

    from PIL import Image

    from microcred_vc.bake import bake_png

    buf = BytesIO()
    Image.new("RGBA", (4, 4), (20, 30, 40, 255)).save(buf, format="PNG")
    report = verify(bake_png(buf.getvalue(), signed), trust=AllowList([key.did]))
    assert [c.status for c in _trust(report)] == ["pass"]
    assert report.verified and report.trusted
