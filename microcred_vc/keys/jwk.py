"""JWK (RFC 7517/8037) import and export for Ed25519 (OKP) and P-256/P-384 (EC),
plus public RSA keys (RFC 7518 6.3.1) for verifying RS256/PS256 tokens.

Written against ``cryptography`` directly rather than jwcrypto because the
conversion is a handful of base64url fields and we need exact control over
which members appear (a public JWK must never carry ``d``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from microcred_vc.errors import KeyFormatError, UnsupportedKeyType

_EC = {"P-256": (ec.SECP256R1, 32), "P-384": (ec.SECP384R1, 48)}
_CRV_OF = {"secp256r1": "P-256", "secp384r1": "P-384"}
#: RSA moduli below this are refused (NIST SP 800-131A: 2048 bits since 2014)
MIN_RSA_BITS = 2048
#: a weak key is a key problem of its own, not an unreadable one
KEY_TOO_WEAK = "KEY_TOO_WEAK"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(value: Any, member: str) -> bytes:
    if not isinstance(value, str):
        raise KeyFormatError(f"JWK member {member!r} must be a base64url string")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError as exc:
        raise KeyFormatError(f"JWK member {member!r} is not base64url: {exc}") from exc


def public_to_jwk(
    key: ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey, *, kid: str | None = None
) -> dict[str, Any]:
    if isinstance(key, ed25519.Ed25519PublicKey):
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        out: dict[str, Any] = {"kty": "OKP", "crv": "Ed25519", "x": b64u(raw)}
    else:
        crv = _CRV_OF.get(key.curve.name)
        if crv is None:
            raise UnsupportedKeyType(f"unsupported elliptic curve {key.curve.name}")
        size = _EC[crv][1]
        nums = key.public_numbers()
        out = {
            "kty": "EC",
            "crv": crv,
            "x": b64u(nums.x.to_bytes(size, "big")),
            "y": b64u(nums.y.to_bytes(size, "big")),
        }
    if kid:
        out["kid"] = kid
    return out


def private_to_jwk(
    key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey, *, kid: str | None = None
) -> dict[str, Any]:
    out = public_to_jwk(key.public_key(), kid=kid)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        raw = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    else:
        raw = key.private_numbers().private_value.to_bytes(_EC[out["crv"]][1], "big")
    out["d"] = b64u(raw)
    return out


def _check(jwk: Any) -> tuple[str, str]:
    if not isinstance(jwk, dict):
        raise KeyFormatError("a JWK must be a JSON object")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if (kty, crv) == ("OKP", "Ed25519") or (kty == "EC" and crv in _EC):
        return kty, crv
    raise UnsupportedKeyType(f"unsupported JWK kty={kty!r} crv={crv!r}")


def public_from_jwk(jwk: dict[str, Any]) -> ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey:
    kty, crv = _check(jwk)
    try:
        if kty == "OKP":
            return ed25519.Ed25519PublicKey.from_public_bytes(b64u_decode(jwk.get("x"), "x"))
        curve, size = _EC[crv]
        x, y = b64u_decode(jwk.get("x"), "x"), b64u_decode(jwk.get("y"), "y")
        if len(x) != size or len(y) != size:
            raise KeyFormatError(f"{crv} JWK coordinates must be {size} bytes")
        return ec.EllipticCurvePublicNumbers(
            int.from_bytes(x, "big"), int.from_bytes(y, "big"), curve()
        ).public_key()
    except ValueError as exc:
        raise KeyFormatError(f"invalid {crv} JWK public key: {exc}") from exc


def private_from_jwk(
    jwk: dict[str, Any],
) -> ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey:
    kty, crv = _check(jwk)
    if "d" not in jwk:
        raise KeyFormatError("JWK has no private member 'd'")
    d = b64u_decode(jwk["d"], "d")
    try:
        if kty == "OKP":
            private: Any = ed25519.Ed25519PrivateKey.from_private_bytes(d)
        else:
            private = ec.derive_private_key(int.from_bytes(d, "big"), _EC[crv][0]())
    except ValueError as exc:
        raise KeyFormatError(f"invalid {crv} JWK private key: {exc}") from exc
    if "x" in jwk and public_to_jwk(private.public_key())["x"] != jwk["x"]:
        raise KeyFormatError("JWK public part does not match 'd'", code="KEY_MISMATCH")
    return private


def _uint(jwk: dict[str, Any], member: str) -> int:
    raw = b64u_decode(jwk.get(member), member)
    if not raw or raw[0] == 0:
        # RFC 7518 6.3.1.1: the minimal big-endian octets, so one key has one JWK
        raise KeyFormatError(f"RSA JWK member {member!r} must be a minimal non-empty integer")
    return int.from_bytes(raw, "big")


def rsa_public_from_jwk(jwk: dict[str, Any]) -> rsa.RSAPublicKey:
    """A public RSA key (``kty: RSA``, ``n``, ``e``) of at least :data:`MIN_RSA_BITS`.

    Shorter moduli are refused with ``KEY_TOO_WEAK`` rather than verified: a
    1024-bit RSA signature can be forged by a well-funded attacker, and a key
    listed in a DID document does not make it any stronger.
    """
    if not isinstance(jwk, dict) or jwk.get("kty") != "RSA":
        raise UnsupportedKeyType(
            f"not an RSA JWK: kty={jwk.get('kty') if isinstance(jwk, dict) else None!r}"
        )
    n, e = _uint(jwk, "n"), _uint(jwk, "e")
    if n.bit_length() < MIN_RSA_BITS:
        raise KeyFormatError(
            f"RSA keys shorter than {MIN_RSA_BITS} bits are refused "
            f"(this one has {n.bit_length()})",
            code=KEY_TOO_WEAK,
        )
    try:
        return rsa.RSAPublicNumbers(e, n).public_key()
    except ValueError as exc:
        raise KeyFormatError(f"invalid RSA JWK public key: {exc}") from exc


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 SHA-256 thumbprint (base64url) over the required public members.

    Two JWKs are the same key exactly when their thumbprints are equal (``kid``,
    ``alg``, ``use`` and private members do not count)."""
    if isinstance(jwk, dict) and jwk.get("kty") == "RSA":
        rsa_public_from_jwk(jwk)
        members: tuple[str, ...] = ("e", "kty", "n")
        canon = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
        return b64u(hashlib.sha256(canon.encode()).digest())
    kty, _ = _check(jwk)
    members = ("crv", "kty", "x") if kty == "OKP" else ("crv", "kty", "x", "y")
    canon = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    return b64u(hashlib.sha256(canon.encode()).digest())
