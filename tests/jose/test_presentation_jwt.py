"""JWT presentations: VC 1.1 ``vp`` claim, VC-JOSE-COSE ``vp+jwt`` and enveloped (issue 18 item 2).

Oracles:
- independent implementations: jwcrypto builds and signs the tokens by hand here
  (header, claims and signature written in the test, not by ``sign_presentation_jwt``);
  SpruceID's didkit (``test_cross_didkit_presentation.py``) issues VC 1.1 JWT VPs;
- properties for the attacks: a tampered nested credential, a wrong ``nonce`` or
  ``aud``, a key of someone other than ``iss``, an envelope signed by another key,
  a presentation where a credential belongs and 10,000 nested credentials each
  fail with their own code. On the old code every JWT presentation was refused
  as "JWT carries no credential", so each expected code below was never reported.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from jwcrypto import jwk, jws

from microcred_vc import VerificationContext, verify
from microcred_vc.envelope import envelope
from microcred_vc.jose import sign_jwt
from microcred_vc.jose.presentation import sign_presentation_jwt
from microcred_vc.keys import generate_key
from microcred_vc.keys.keypair import KeyPair
from microcred_vc.proofs.presentation import presented_credential_checks

from .conftest import b64

VC1 = "https://www.w3.org/2018/credentials/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture(scope="module")
def issuer() -> KeyPair:
    return generate_key("Ed25519")


@pytest.fixture(scope="module")
def holder() -> KeyPair:
    return generate_key("Ed25519")


def _credential(issuer: KeyPair, subject: str, *, v1: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": [VC1 if v1 else VC2],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did,
        "credentialSubject": {"id": subject},
    }
    if v1:
        doc["issuanceDate"] = "2024-01-01T00:00:00Z"
    return doc


def _jwcrypto_token(header: dict[str, Any], claims: dict[str, Any], key: KeyPair) -> str:
    """A compact JWS built by jwcrypto alone (the oracle for the signing side)."""
    signer = jwk.JWK(**key.to_jwk(include_secret=True))
    token = jws.JWS(json.dumps(claims).encode())
    token.add_signature(signer, alg="EdDSA", protected=json.dumps(header))
    return token.serialize(compact=True)


def _codes(report: Any, name: str | None = None) -> list[str | None]:
    return [c.code for c in report.checks if c.failed and (name is None or c.name == name)]


def test_vc11_jwt_presentation_built_by_jwcrypto_verifies(issuer, holder) -> None:
    vc = _jwcrypto_token(
        {"alg": "EdDSA", "kid": issuer.verification_method, "typ": "JWT"},
        {"iss": issuer.did, "sub": holder.did, "nbf": 1704067200,
         "vc": _credential(issuer, holder.did, v1=True)},
        issuer,
    )  # fmt: skip
    claims = {
        "iss": holder.did,
        "aud": "verifier.example",
        "nonce": "n-1",
        "vp": {"@context": [VC1], "type": ["VerifiablePresentation"], "verifiableCredential": [vc]},
    }
    token = _jwcrypto_token({"alg": "EdDSA", "kid": holder.verification_method}, claims, holder)
    report = verify(
        token, challenge="n-1", domain="verifier.example", require_holder_is_subject=True
    )
    assert report.verified, report.errors
    assert report.format == "vp11-jwt"
    names = [c.name for c in report.checks]
    assert {"signature", "challenge", "domain", "holder"} <= set(names)
    assert report.check("holder").message.startswith("presented by the holder")
    nested = [c for c in report.checks if c.message.startswith("credential 1: ")]
    assert {c.name for c in nested} >= {"signature", "issuer", "subject"}


def test_enveloped_presentation_with_enveloped_credential_built_by_jwcrypto(issuer, holder) -> None:
    vc = _jwcrypto_token(
        {"alg": "EdDSA", "kid": issuer.verification_method, "typ": "vc+jwt"},
        _credential(issuer, holder.did),
        issuer,
    )
    vp = {
        "@context": [VC2],
        "type": ["VerifiablePresentation"],
        "holder": holder.did,
        "verifiableCredential": [
            {"@context": [VC2], "type": "EnvelopedVerifiableCredential",
             "id": f"data:application/vc+jwt,{vc}"}
        ],
        "nonce": "n-2",
    }  # fmt: skip
    token = _jwcrypto_token(
        {"alg": "EdDSA", "kid": holder.verification_method, "typ": "vp+jwt"}, vp, holder
    )
    enveloped = {
        "@context": [VC2],
        "type": "EnvelopedVerifiablePresentation",
        "id": f"data:application/vp+jwt,{token}",
    }
    report = verify(enveloped, challenge="n-2")
    assert report.verified, report.errors
    assert report.format == "vp-jose-cose"
    assert report.checks[0].message.startswith("enveloped presentation")
    assert any(c.message.startswith("credential 1: ") and c.name == "signature"
               and c.passed for c in report.checks)  # fmt: skip
    # the compact vp+jwt form on its own verifies the same way
    assert verify(token, challenge="n-2").verified


def test_library_signs_both_encodings(issuer, holder) -> None:
    """Round trip of our issuing side (property: what we sign, we verify)."""
    inner = sign_jwt(_credential(issuer, holder.did), issuer)
    for encoding in ("vp11", "vp-jose-cose"):
        vp = {"@context": [VC2], "type": ["VerifiablePresentation"],
              "verifiableCredential": [envelope(inner)]}  # fmt: skip
        token = sign_presentation_jwt(
            vp, holder, challenge="c", domain="v.example", encoding=encoding
        )
        report = verify(token, challenge="c", domain="v.example")
        assert report.verified, (encoding, report.errors)
        assert verify(envelope(token, "presentation"), challenge="c", domain="v.example").verified


def test_tampered_nested_credential_fails(issuer, holder) -> None:
    inner = sign_jwt(_credential(issuer, holder.did, v1=True), issuer, encoding="vc11")
    head, payload, sig = inner.split(".")
    claims = json.loads(__import__("base64").urlsafe_b64decode(payload + "=="))
    claims["vc"]["type"].append("OpenBadgeCredential")
    tampered = ".".join([head, b64(json.dumps(claims).encode()), sig])
    vp = {"@context": [VC1], "type": ["VerifiablePresentation"], "verifiableCredential": [tampered]}
    report = verify(sign_presentation_jwt(vp, holder, challenge="c"), challenge="c")
    assert not report.verified
    assert report.check("signature").passed  # the holder's own signature is fine
    failed = [c for c in report.checks if c.failed]
    assert [(c.name, c.code) for c in failed] == [("signature", "JWT_SIGNATURE_INVALID")]
    assert failed[0].message.startswith("credential 1: ")


@pytest.mark.parametrize(
    ("challenge", "domain", "check", "code"),
    [
        ("other", None, "challenge", "VP_CHALLENGE_MISMATCH"),
        (None, None, "challenge", "VP_CHALLENGE_MISSING"),
        ("c", "elsewhere.example", "domain", "VP_DOMAIN_MISMATCH"),
    ],
    ids=["nonce-mismatch", "no-challenge", "aud-mismatch"],
)
def test_binding_to_the_verifier(holder, challenge, domain, check, code) -> None:
    vp = {"@context": [VC2], "type": ["VerifiablePresentation"]}
    token = sign_presentation_jwt(vp, holder, challenge="c", domain="v.example")
    report = verify(token, challenge=challenge, domain=domain)
    assert not report.verified
    assert _codes(report, check) == [code]


def test_presentation_without_nonce_when_a_challenge_was_asked(holder) -> None:
    claims = {"iss": holder.did, "vp": {"@context": [VC2], "type": ["VerifiablePresentation"]}}
    token = _jwcrypto_token({"alg": "EdDSA", "kid": holder.verification_method}, claims, holder)
    report = verify(token, challenge="c")
    assert _codes(report, "challenge") == ["VP_CHALLENGE_MISSING"]
    assert "carries no challenge" in report.check("challenge").message


def test_holder_is_not_the_controller_of_the_signing_key(holder) -> None:
    mallory = generate_key("Ed25519")
    claims = {"iss": holder.did, "nonce": "c",
              "vp": {"@context": [VC2], "type": ["VerifiablePresentation"]}}  # fmt: skip
    token = _jwcrypto_token({"alg": "EdDSA", "kid": mallory.verification_method}, claims, mallory)
    report = verify(token, challenge="c")
    assert report.check("signature").passed
    assert _codes(report) == ["HOLDER_MISMATCH"]


def test_iss_contradicting_holder_fails(holder) -> None:
    vp = {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": "did:example:other"}
    claims = {"iss": holder.did, "nonce": "c", "vp": vp}
    token = _jwcrypto_token({"alg": "EdDSA", "kid": holder.verification_method}, claims, holder)
    report = verify(token, challenge="c")
    assert "JWT_CLAIM_MISMATCH" in _codes(report, "parse")


def test_enveloped_presentation_signed_by_another_key(holder) -> None:
    """The header names the holder's key, the signature is someone else's."""
    mallory = generate_key("Ed25519")
    vp = {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": holder.did,
          "nonce": "c"}  # fmt: skip
    token = _jwcrypto_token(
        {"alg": "EdDSA", "kid": holder.verification_method, "typ": "vp+jwt"}, vp, mallory
    )
    report = verify(envelope(token, "presentation"), challenge="c")
    assert not report.verified
    assert _codes(report, "signature") == ["JWT_SIGNATURE_INVALID"]


def test_presentation_where_a_credential_belongs(holder) -> None:
    inner = sign_presentation_jwt(
        {"@context": [VC2], "type": ["VerifiablePresentation"]}, holder, challenge="c"
    )
    for entry in (inner, {"@context": [VC2], "type": "EnvelopedVerifiableCredential",
                          "id": f"data:application/vp+jwt,{inner}"}):  # fmt: skip
        vp = {
            "@context": [VC2],
            "type": ["VerifiablePresentation"],
            "verifiableCredential": [entry],
        }
        report = verify(sign_presentation_jwt(vp, holder, challenge="c"), challenge="c")
        assert not report.verified
        assert "PRESENTATION_NESTED" in _codes(report), report.errors


def test_holder_is_subject_is_optional(issuer, holder) -> None:
    inner = sign_jwt(_credential(issuer, "did:example:someone-else"), issuer)
    vp = {"@context": [VC2], "type": ["VerifiablePresentation"],
          "verifiableCredential": [envelope(inner)]}  # fmt: skip
    token = sign_presentation_jwt(vp, holder, challenge="c")
    assert verify(token, challenge="c").verified
    strict = verify(token, challenge="c", require_holder_is_subject=True)
    assert _codes(strict) == ["HOLDER_NOT_SUBJECT"]


def test_ten_thousand_nested_credentials_are_refused_before_any_work(holder) -> None:
    vp = {"@context": [VC2], "type": ["VerifiablePresentation"],
          "verifiableCredential": ["a.b.c"] * 10_000}  # fmt: skip
    report = verify(sign_presentation_jwt(vp, holder, challenge="c"), challenge="c")
    assert _codes(report) == ["PRESENTATION_TOO_LARGE"]
    assert len(report.checks) < 20  # one check, not 10,000 credentials' worth

    seen: list[Any] = []

    class Spy(VerificationContext):
        def verify(self, value: Any) -> Any:  # type: ignore[override]
            seen.append(value)
            raise AssertionError("no credential may be verified")

    checks = presented_credential_checks(["a.b.c"] * 10_000, Spy(), holder=holder.did)
    assert [c.code for c in checks] == ["PRESENTATION_TOO_LARGE"] and not seen
