"""Signing and verifying our own credential JWTs, both encodings, every algorithm."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jwcrypto import jwk

from microcred_vc.errors import JoseError, JwtInvalid, KeyFormatError
from microcred_vc.jose import decode_unverified, sign_jwt, verify_jwt
from microcred_vc.keys.did import did_jwk
from microcred_vc.keys.keypair import KeyPair, generate_key
from tests.jose.conftest import make_credential

ENCODINGS = ["vc-jose-cose", "vc11"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(
    ("kind", "alg"), [("Ed25519", "EdDSA"), ("P-256", "ES256"), ("P-384", "ES384")]
)
def test_did_key_round_trip(kind: str, alg: str, encoding: str) -> None:
    key = generate_key(kind)
    cred = make_credential(key.did, v1=encoding == "vc11")
    token = sign_jwt(cred, key, encoding=encoding)
    decoded = decode_unverified(token)
    assert decoded.alg == alg
    assert decoded.kid == key.verification_method
    report = verify_jwt(token)
    assert report.verified, report.errors
    assert report.check("issuer").status == "pass"
    assert report.document == cred


def test_vc_jose_cose_header_and_payload(ed_key: KeyPair, credential: dict) -> None:
    decoded = decode_unverified(sign_jwt(credential, ed_key))
    assert decoded.header["typ"] == "vc+jwt"
    assert decoded.header["cty"] == "vc"
    assert decoded.encoding == "vc-jose-cose"
    assert decoded.claims == credential  # the credential is the payload, unchanged


def test_vc11_claim_mapping_both_ways(ed_key: KeyPair) -> None:
    cred = make_credential(ed_key.did, v1=True, expirationDate="2030-06-01T12:00:00Z")
    decoded = decode_unverified(sign_jwt(cred, ed_key, encoding="vc11"))
    assert decoded.header["typ"] == "JWT"
    claims = decoded.claims
    assert claims["iss"] == ed_key.did
    assert claims["sub"] == "did:example:learner-1"
    assert claims["jti"] == cred["id"]
    assert claims["nbf"] == int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
    assert claims["exp"] == int(datetime(2030, 6, 1, 12, tzinfo=UTC).timestamp())
    assert claims["vc"] == cred
    # A vc claim stripped of the mapped members is restored from the claims.
    stripped = {
        k: v for k, v in cred.items() if k not in ("id", "issuer", "issuanceDate", "expirationDate")
    }
    stripped["credentialSubject"] = {
        k: v for k, v in cred["credentialSubject"].items() if k != "id"
    }
    restored = type(decoded)(
        decoded.header, {**claims, "vc": stripped}, b"", b"", "vc11"
    ).credential
    assert restored["issuer"] == ed_key.did
    assert restored["id"] == cred["id"]
    assert restored["credentialSubject"]["id"] == "did:example:learner-1"
    assert restored["issuanceDate"] == "2024-01-01T00:00:00Z"
    assert restored["expirationDate"] == "2030-06-01T12:00:00Z"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_rs256_with_rsa_jwk_and_key_set(rsa_jwk: jwk.JWK, encoding: str) -> None:
    cred = make_credential("https://example.edu/issuers/1")
    token = sign_jwt(cred, rsa_jwk, encoding=encoding)
    assert decode_unverified(token).alg == "RS256"
    assert decode_unverified(token).kid == "rsa-1"
    report = verify_jwt(token, jwks={"keys": [json.loads(rsa_jwk.export_public())]})
    assert report.verified, report.errors
    assert "supplied key set" in report.check("signature").message


def test_did_jwk_kid_resolves() -> None:
    key = generate_key("P-256")
    did = did_jwk(key.to_jwk())
    holder = KeyPair.from_jwk(key.to_jwk(include_secret=True), controller=did)
    cred = make_credential(did)
    token = sign_jwt(cred, holder, kid=f"{did}#0")
    report = verify_jwt(token)
    assert report.verified, report.errors
    assert report.check("issuer").status == "pass"


def test_iat_and_audience(ed_key: KeyPair, credential: dict) -> None:
    token = sign_jwt(credential, ed_key, encoding="vc11", audience="did:example:v", issued_at=True)
    claims = decode_unverified(token).claims
    assert claims["aud"] == "did:example:v"
    assert isinstance(claims["iat"], int)
    assert verify_jwt(token).verified


def test_sign_refuses_misuse(ed_key: KeyPair, credential: dict, rsa_jwk: jwk.JWK) -> None:
    with pytest.raises(JoseError, match="does not fit"):
        sign_jwt(credential, ed_key, alg="ES256")
    with pytest.raises(JoseError, match="does not fit"):
        sign_jwt(credential, ed_key, alg="HS256")
    with pytest.raises(KeyFormatError, match="private"):
        sign_jwt(credential, ed_key.public.to_jwk())
    with pytest.raises(KeyFormatError, match="symmetric"):
        sign_jwt(credential, jwk.JWK.generate(kty="oct", size=256))
    with pytest.raises(KeyFormatError, match="RSA keys shorter"):
        sign_jwt(credential, jwk.JWK.generate(kty="RSA", size=1024))
    with pytest.raises(JwtInvalid, match="registered JWT claims"):
        sign_jwt({**credential, "exp": 1}, ed_key)
    with pytest.raises(JoseError, match="unknown JWT encoding"):
        sign_jwt(credential, ed_key, encoding="cbor")  # type: ignore[arg-type]
    with pytest.raises(JoseError, match="cannot be overridden"):
        sign_jwt(credential, ed_key, headers={"alg": "none"})
    with pytest.raises(JwtInvalid):
        sign_jwt(["not", "a", "dict"], ed_key)  # type: ignore[arg-type]
    assert rsa_jwk.has_private  # the session key is untouched by the failures above


def test_cryptography_private_key_accepted(credential: dict) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    private = ec.generate_private_key(ec.SECP384R1())
    token = sign_jwt(credential, private, kid="k1")
    public = jwk.JWK.from_pyca(private.public_key())
    public["kid"] = "k1"
    assert decode_unverified(token).alg == "ES384"
    assert verify_jwt(token, jwks=[public]).verified


_json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
_json = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=15,
)


@given(
    extra=st.dictionaries(
        st.text(min_size=1, max_size=12).filter(
            lambda k: k not in {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "vc"}
        ),
        _json,
        max_size=5,
    ),
    encoding=st.sampled_from(ENCODINGS),
)
def test_round_trip_random_credentials(
    ed_key: KeyPair, extra: dict[str, Any], encoding: str
) -> None:
    cred = {**extra, **make_credential(ed_key.did, v1=encoding == "vc11")}
    report = verify_jwt(sign_jwt(cred, ed_key, encoding=encoding))
    assert report.verified, report.errors
    assert report.document == cred


def _did_web_document(did: str, key: KeyPair, purposes: tuple[str, ...]) -> dict[str, Any]:
    vm = f"{did}#key-1"
    doc: dict[str, Any] = {
        "id": did,
        "verificationMethod": [
            {"id": vm, "type": "JsonWebKey", "controller": did, "publicKeyJwk": key.public.to_jwk()}
        ],
    }
    for purpose in purposes:
        doc[purpose] = [vm]
    return doc


def test_did_web_issuer_with_offline_document() -> None:
    from microcred_vc.keys.did import Resolver

    did = "did:web:issuer.example.edu"
    key = KeyPair.from_jwk(generate_key("P-256").to_jwk(include_secret=True), controller=did)
    resolver = Resolver(documents={did: _did_web_document(did, key, ("assertionMethod",))})
    token = sign_jwt(make_credential(did), key, kid=f"{did}#key-1")
    report = verify_jwt(token, resolver=resolver)
    assert report.verified, report.errors
    assert report.check("issuer").message.endswith(did)
    # Without the document and without network the key is unobtainable, and the report says so.
    offline = verify_jwt(token)
    assert offline.check("signature").status == "fail"
    assert "could not be obtained" in offline.check("signature").message


def test_key_not_authorised_for_assertion_is_refused() -> None:
    from microcred_vc.keys.did import Resolver

    did = "did:web:login-only.example"
    key = KeyPair.from_jwk(generate_key("Ed25519").to_jwk(include_secret=True), controller=did)
    resolver = Resolver(documents={did: _did_web_document(did, key, ("authentication",))})
    token = sign_jwt(make_credential(did), key, kid=f"{did}#key-1")
    report = verify_jwt(token, resolver=resolver)
    assert report.check("signature").code == "KEY_PURPOSE_NOT_ALLOWED"
    assert not report.verified


def test_pem_private_key_accepted(rsa_jwk: jwk.JWK, credential: dict) -> None:
    pem = rsa_jwk.export_to_pem(private_key=True, password=None)
    token = sign_jwt(credential, pem.decode(), kid="rsa-1")
    assert verify_jwt(token, jwks=[json.loads(rsa_jwk.export_public())]).verified


def test_jwk_alg_and_use_are_honoured(credential: dict, rsa_jwk: jwk.JWK) -> None:
    public = json.loads(rsa_jwk.export_public())
    token = sign_jwt(credential, rsa_jwk)  # RS256
    pinned = verify_jwt(token, jwks=[{**public, "alg": "PS256"}])
    assert pinned.check("signature").code == "JWT_ALG_KEY_MISMATCH"
    with pytest.raises(KeyFormatError, match="use='enc'"):
        verify_jwt(token, jwks=[{**public, "use": "enc"}])
    assert verify_jwt(token, jwks=[{**public, "alg": "RS256", "use": "sig"}]).verified
