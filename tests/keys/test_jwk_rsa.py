"""Public RSA JWKs (issue #18 item 3): read for verification only, 2048 bits or more.

Oracles: RFC 7638 section 3.1 (the RFC 7517 Appendix A.1 RSA key and its
published SHA-256 thumbprint), and ``cryptography``'s own key numbers for the
round trip; the 2048-bit floor is NIST SP 800-131A's.
"""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from microcred_vc.errors import KeyFormatError, UnsupportedKeyType
from microcred_vc.keys.jwk import KEY_TOO_WEAK, rsa_public_from_jwk, thumbprint

#: RFC 7517 Appendix A.1 / RFC 7638 section 3.1
RFC7638_KEY = {
    "kty": "RSA",
    "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP"
    "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2Qvzq"
    "Y368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0"
    "fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}


def _b64u(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_rfc7638_thumbprint_of_the_rfc_rsa_key() -> None:
    assert thumbprint(RFC7638_KEY) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    # kid/alg do not count: the same key under another name has the same thumbprint
    assert thumbprint({**RFC7638_KEY, "kid": "other", "alg": "PS256"}) == thumbprint(RFC7638_KEY)


def test_rsa_public_key_round_trip() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072).public_key()
    nums = key.public_numbers()
    read = rsa_public_from_jwk({"kty": "RSA", "n": _b64u(nums.n), "e": _b64u(nums.e)})
    assert read.public_numbers() == nums


def test_short_rsa_keys_are_refused_with_a_typed_error() -> None:
    nums = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    nums = nums.public_numbers()
    with pytest.raises(KeyFormatError) as caught:
        rsa_public_from_jwk({"kty": "RSA", "n": _b64u(nums.n), "e": _b64u(nums.e)})
    assert caught.value.code == KEY_TOO_WEAK == "KEY_TOO_WEAK"
    assert "1024" in caught.value.message


@pytest.mark.parametrize(
    "jwk",
    [
        {"kty": "RSA", "e": "AQAB"},  # no modulus
        {"kty": "RSA", "n": "AAEC", "e": "AQAB"},  # leading zero octet: not minimal
        {"kty": "RSA", "n": RFC7638_KEY["n"], "e": 65537},  # not base64url
    ],
)
def test_malformed_rsa_jwks(jwk) -> None:
    with pytest.raises(KeyFormatError):
        rsa_public_from_jwk(jwk)


def test_not_rsa() -> None:
    with pytest.raises(UnsupportedKeyType):
        rsa_public_from_jwk({"kty": "EC", "crv": "P-256"})
