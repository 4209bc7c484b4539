"""Multikey encoding: multicodec header + key bytes, multibase base58btc ('z').

did:key identifiers, ``publicKeyMultibase`` and ``secretKeyMultibase`` all use
this one encoding, so getting the headers (varint multicodec codes) and the
compressed EC point form right here is what makes our did:key strings equal to
every other implementation's.
"""

from __future__ import annotations

import re

import base58

from microcred_vc.errors import KeyFormatError, UnsupportedKeyType

#: key type -> (public multicodec header, secret multicodec header, public length, secret length)
#: ed25519-pub 0xed, ed25519-priv 0x1300, p256-pub 0x1200, p256-priv 0x1306,
#: p384-pub 0x1201, p384-priv 0x1307 -- written here as their unsigned-varint bytes.
HEADERS: dict[str, tuple[bytes, bytes, int, int]] = {
    "Ed25519": (b"\xed\x01", b"\x80\x26", 32, 32),
    "P-256": (b"\x80\x24", b"\x86\x26", 33, 32),
    "P-384": (b"\x81\x24", b"\x87\x26", 49, 48),
}

#: The did:key prefixes each key type produces (useful for quick dispatch and errors).
DID_KEY_PREFIXES = {"Ed25519": "z6Mk", "P-256": "zDn", "P-384": "z82"}


def multibase_encode(data: bytes) -> str:
    """base58btc multibase (the only base the Data Integrity suites use)."""
    return "z" + base58.b58encode(data).decode("ascii")


_BASE58BTC = re.compile("[1-9A-HJ-NP-Za-km-z]+")


def multibase_decode(value: str) -> bytes:
    """Decode a base58btc multibase string; anything else is a key format error."""
    if not isinstance(value, str) or len(value) < 2 or value[0] != "z":
        raise KeyFormatError(
            "multibase value must be a base58btc string starting with 'z'",
            code="KEY_MULTIBASE_INVALID",
        )
    if not _BASE58BTC.fullmatch(value[1:]):
        # base58 itself strips surrounding whitespace; a signature or key is exact
        raise KeyFormatError(
            "multibase value has characters outside the base58btc alphabet",
            code="KEY_MULTIBASE_INVALID",
        )
    try:
        return base58.b58decode(value[1:])
    except ValueError as exc:
        raise KeyFormatError(
            f"multibase value is not valid base58btc: {exc}", code="KEY_MULTIBASE_INVALID"
        ) from exc


def encode_public(key_type: str, raw: bytes) -> str:
    """publicKeyMultibase for raw public key bytes (EC points must be compressed)."""
    header, _, size, _ = _headers(key_type)
    if len(raw) != size:
        raise KeyFormatError(f"{key_type} public key must be {size} bytes, got {len(raw)}")
    return multibase_encode(header + raw)


def encode_secret(key_type: str, raw: bytes) -> str:
    """secretKeyMultibase for a raw private key (Ed25519 seed or EC scalar)."""
    _, header, _, size = _headers(key_type)
    if len(raw) != size:
        raise KeyFormatError(f"{key_type} secret key must be {size} bytes, got {len(raw)}")
    return multibase_encode(header + raw)


def decode_public(value: str) -> tuple[str, bytes]:
    """(key type, raw public bytes) from a publicKeyMultibase value."""
    data = multibase_decode(value)
    for key_type, (header, _, size, _) in HEADERS.items():
        if data.startswith(header):
            raw = data[len(header) :]
            if len(raw) != size:
                raise KeyFormatError(
                    f"{key_type} public key must be {size} bytes, got {len(raw)}",
                    code="KEY_MULTIBASE_INVALID",
                )
            return key_type, raw
    raise UnsupportedKeyType(
        f"unsupported multicodec header 0x{data[:2].hex()} in public key multibase"
    )


def decode_secret(value: str) -> tuple[str, bytes]:
    """(key type, raw secret bytes) from a secretKeyMultibase/privateKeyMultibase value."""
    data = multibase_decode(value)
    for key_type, (_, header, _, size) in HEADERS.items():
        if data.startswith(header):
            raw = data[len(header) :]
            # Older Ed25519 Multikey exports (the OB 3.0 spec's signing walkthrough)
            # carry the 64-byte seed || public key form; the seed is the key.
            if len(raw) != size and not (key_type == "Ed25519" and len(raw) == 64):
                raise KeyFormatError(
                    f"{key_type} secret key must be {size} bytes", code="KEY_MULTIBASE_INVALID"
                )
            return key_type, raw
    raise UnsupportedKeyType("unsupported multicodec header in secret key multibase")


def _headers(key_type: str) -> tuple[bytes, bytes, int, int]:
    try:
        return HEADERS[key_type]
    except KeyError:
        raise UnsupportedKeyType(
            f"unsupported key type {key_type!r}; use one of {sorted(HEADERS)}"
        ) from None
