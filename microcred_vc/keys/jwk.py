"""JWK (RFC 7517/8037) import and export for Ed25519 (OKP) and P-256/P-384 (EC).

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
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from microcred_vc.errors import KeyFormatError, UnsupportedKeyType

_EC = {"P-256": (ec.SECP256R1, 32), "P-384": (ec.SECP384R1, 48)}
_CRV_OF = {"secp256r1": "P-256", "secp384r1": "P-384"}


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


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 SHA-256 thumbprint (base64url) over the required public members."""
    kty, _ = _check(jwk)
    members = ("crv", "kty", "x") if kty == "OKP" else ("crv", "kty", "x", "y")
    canon = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    return b64u(hashlib.sha256(canon.encode()).digest())
