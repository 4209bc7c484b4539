"""Strict compact-JWS decoding and format detection."""

from __future__ import annotations

import json

import pytest

from microcred_vc.errors import JwtInvalid
from microcred_vc.jose import decode_unverified, is_jwt, sign_jwt
from microcred_vc.jose.compact import MAX_TOKEN_CHARS
from tests.jose.conftest import b64


def _seg(obj) -> str:
    return b64(json.dumps(obj).encode())


GOOD_CLAIMS = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
}
DUPLICATE_HEADER = b64(b'{"alg":"EdDSA","alg":"none"}')
NOT_UTF8 = b64(b"\xff\xfe")


def test_is_jwt_detects_shapes(ed_key, credential) -> None:
    token = sign_jwt(credential, ed_key)
    assert is_jwt(token) and is_jwt(token.encode()) and is_jwt(f"  {token}\n")
    assert not is_jwt(json.dumps(credential))
    assert not is_jwt("a.b.c")
    assert not is_jwt(f"{_seg({'typ': 'JWT'})}.{_seg({})}.")  # no alg
    assert not is_jwt(b"\x89PNG\r\n")
    assert not is_jwt(12)


#: RFC 8259 has no NaN: a claims set using it is not JSON (Python would accept it).
NAN_CLAIMS = b64(b'{"vc": {}, "exp": NaN}')


@pytest.mark.parametrize(
    ("token", "match"),
    [
        ("only.two", "3 dot-separated parts"),
        ("a.b.c.d.e", "JWE"),
        (f"{_seg({'alg': 'EdDSA'})}=.{_seg(GOOD_CLAIMS)}.", "base64url"),
        (f"{_seg({'alg': 'EdDSA'})}.{_seg([1, 2])}.", "must be a JSON object"),
        (f"{DUPLICATE_HEADER}.{_seg(GOOD_CLAIMS)}.", "duplicate"),
        (f"{NOT_UTF8}.{_seg(GOOD_CLAIMS)}.", "not valid JSON"),
        (f"{_seg({'alg': 'EdDSA'})}.{NAN_CLAIMS}.", "NaN"),
        (f"{_seg({'alg': 'EdDSA'})}.{_seg({'sub': 'x'})}.", "carries no credential"),
        (f"{_seg({'alg': 'EdDSA', 'typ': 'vc+jwt'})}.{_seg({'vc': {}})}.", "wraps the credential"),
    ],
    ids=[
        "two-parts",
        "jwe",
        "padding",
        "array-claims",
        "duplicate-member",
        "not-utf8",
        "nan-claim",
        "no-credential",
        "typ-vs-vc",
    ],
)
def test_decode_rejects(token: str, match: str) -> None:
    with pytest.raises(JwtInvalid, match=match):
        decode_unverified(token)


def test_non_canonical_base64_refused() -> None:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    header = _seg({"alg": "EdDSA"})
    claims = dict(GOOD_CLAIMS)
    payload = _seg(claims)
    while len(payload) % 4 == 0:  # need spare low bits in the last character
        claims["name"] = claims.get("name", "") + "x"
        payload = _seg(claims)
    # Flipping the lowest (ignored) bit decodes to the same bytes: a second spelling.
    twin = payload[:-1] + alphabet[alphabet.index(payload[-1]) ^ 1]
    assert decode_unverified(f"{header}.{payload}.").claims == claims
    with pytest.raises(JwtInvalid, match="non-canonical"):
        decode_unverified(f"{header}.{twin}.")


def test_size_cap() -> None:
    with pytest.raises(JwtInvalid, match="larger than"):
        decode_unverified("a" * (MAX_TOKEN_CHARS + 1))


def test_encoding_detection(ed_key, credential) -> None:
    assert decode_unverified(sign_jwt(credential, ed_key)).encoding == "vc-jose-cose"
    assert decode_unverified(sign_jwt(credential, ed_key, encoding="vc11")).encoding == "vc11"
    # An untyped token whose payload is the credential is VC-JOSE-COSE too (OB 3.0 images do this).
    untyped = f"{_seg({'alg': 'EdDSA'})}.{_seg(GOOD_CLAIMS)}."
    assert decode_unverified(untyped).encoding == "vc-jose-cose"
