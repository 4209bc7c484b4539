"""JAdES baseline-B seals for European Digital Credentials (ETSI TS 119 182-1).

The EDC issuer (EDCI, built on the EU DSS library) seals a credential as a JWS
JSON serialisation with an *unencoded* payload (RFC 7797, ``b64: false``): the
credential JSON is the ``payload`` string itself, so a wallet can read it
without decoding. The protected header follows what the official sealed
samples carry: ``alg``, ``typ: jose+json``, ``cty: octet-stream``, ``kid`` (the
DER IssuerSerial of the signing certificate, base64), ``x5t#S256``, ``x5c``,
``sigT`` and ``crit: ["b64", "sigT"]``.

The JWS primitives are written directly on ``cryptography`` rather than through
jwcrypto: a JAdES header needs an unencoded payload, ETSI critical parameters
and an X.509 ``kid``, and the signing input is one concatenation; keeping it
explicit makes the byte layout reviewable against the samples.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from microcred_vc.errors import SealCreationError
from microcred_vc.seal.certs import CertLike, der, load_certificates, x5c_entry

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey

JWS_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "ES256": hashes.SHA256,
    "ES384": hashes.SHA384,
    "ES512": hashes.SHA512,
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
    "PS256": hashes.SHA256,
    "PS384": hashes.SHA384,
    "PS512": hashes.SHA512,
}
_EC_ALG = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
_EC_SIZE = {"ES256": 32, "ES384": 48, "ES512": 66}

#: Critical header parameters this implementation understands (RFC 7515 §4.1.11).
#: ``adoTst`` (the signed data-objects timestamp, ETSI TS 119 182-1 §5.2.8, sent by EDCI)
#: is verified: its imprint covers the JWS Payload.
UNDERSTOOD_CRIT = frozenset({"b64", "sigT", "adoTst"})


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def default_alg(key: PrivateKey | PublicKey) -> str:
    """The JWS alg a key implies: ES* by curve, RS256 for RSA (what EDCI uses)."""
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        alg = _EC_ALG.get(key.curve.name)
        if alg is None:
            raise SealCreationError(f"unsupported curve for a seal: {key.curve.name}")
        return alg
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return "RS256"
    raise SealCreationError(f"unsupported seal key type: {type(key).__name__}")


def _check_alg_matches(alg: str, key: PrivateKey | PublicKey) -> None:
    if alg not in JWS_HASHES:
        raise SealCreationError(f"unsupported JWS algorithm {alg!r}")
    is_ec = isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey)
    if alg.startswith("ES") != is_ec or (is_ec and default_alg(key) != alg):
        raise SealCreationError(f"algorithm {alg} does not fit a {type(key).__name__}")


def sign_bytes(key: PrivateKey, alg: str, data: bytes) -> bytes:
    """JWS signature value: raw r||s for ECDSA (RFC 7518 §3.4), PKCS#1/PSS for RSA."""
    digest = JWS_HASHES[alg]()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(digest)))
        size = _EC_SIZE[alg]
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    if alg.startswith("PS"):
        pss = padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
        return key.sign(data, pss, digest)
    return key.sign(data, padding.PKCS1v15(), digest)


def verify_bytes(key: PublicKey, alg: str, data: bytes, signature: bytes) -> bool:
    """True when ``signature`` over ``data`` verifies; never raises on a bad signature."""
    if alg not in JWS_HASHES:
        return False
    digest = JWS_HASHES[alg]()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            size = _EC_SIZE.get(alg)
            if not alg.startswith("ES") or size is None or len(signature) != 2 * size:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(digest))
        elif isinstance(key, rsa.RSAPublicKey):
            if alg.startswith("PS"):
                pss = padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
                key.verify(signature, data, pss, digest)
            elif alg.startswith("RS"):
                key.verify(signature, data, padding.PKCS1v15(), digest)
            else:
                return False
        else:
            return False
    except InvalidSignature:
        return False
    return True


def issuer_serial_kid(cert: x509.Certificate) -> str:
    """ETSI TS 119 182-1 §5.1.4: ``kid`` = base64 DER of IssuerSerial of the signer."""
    parsed = asn1_x509.Certificate.load(der(cert))
    names = asn1_x509.GeneralNames(
        [asn1_x509.GeneralName(name="directory_name", value=parsed.issuer)]
    )
    return base64.b64encode(
        cms.IssuerSerial({"issuer": names, "serial": parsed.serial_number}).dump()
    ).decode()


def serialise_payload(doc: Any) -> str:
    """The credential as the payload string: compact JSON, UTF-8 kept as is (EDCI does the same)."""
    if isinstance(doc, bytes):
        try:
            return doc.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SealCreationError("payload bytes are not UTF-8") from exc
    if isinstance(doc, str):
        return doc
    try:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise SealCreationError(f"credential is not JSON serialisable: {exc}") from exc


def signing_input(protected_b64: str, payload: str, b64: bool) -> bytes:
    body = b64url(payload.encode("utf-8")) if b64 else payload
    return protected_b64.encode("ascii") + b"." + body.encode("utf-8")


def as_private_key(key: Any) -> PrivateKey:
    """A cryptography EC/RSA private key, also from the library's own KeyPair (P-256/P-384)."""
    if isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        return key
    to_pem = getattr(key, "to_pem", None)
    if callable(to_pem):
        loaded = serialization.load_pem_private_key(to_pem(), password=None)
        if isinstance(loaded, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            return loaded
        raise SealCreationError(
            f"a {getattr(key, 'key_type', type(loaded).__name__)} key cannot seal: "
            "JAdES seals use ECDSA (P-256/P-384) or RSA"
        )
    raise SealCreationError(f"unsupported seal key type: {type(key).__name__}")


def seal_edc(
    doc: Any,
    key: PrivateKey | Any,
    cert_chain: CertLike | Iterable[CertLike],
    *,
    alg: str | None = None,
    signing_time: datetime | None = None,
    level: str = "B-B",
    tsa: Any = None,
    revocation: tuple[Iterable[bytes], Iterable[bytes]] | None = None,
    extra_certs: Iterable[CertLike] = (),
) -> dict[str, Any]:
    """Seal an EDC as JAdES (``level`` B-B, B-T, B-LT or B-LTA) in JWS JSON serialisation.

    ``cert_chain`` starts with the sealing certificate (whose public key must
    match ``key``) followed by any intermediates; all go into ``x5c`` so a
    verifier can build the path to its own trust roots. B-T and above need
    ``tsa`` (``tsa(data) -> RFC 3161 token``, e.g. :class:`HttpTimestamper`);
    B-LT and B-LTA need ``revocation=(crls, ocsps)`` (DER) and carry
    ``cert_chain`` plus ``extra_certs`` (the root, OCSP responders) in ``xVals``.
    """
    certs = load_certificates(cert_chain)
    if not certs:
        raise SealCreationError("cert_chain is empty: the sealing certificate is required")
    key = as_private_key(key)
    signer = certs[0]
    if signer.public_key().public_numbers() != key.public_key().public_numbers():
        raise SealCreationError(
            "the first certificate of cert_chain does not belong to the sealing key"
        )
    chosen = alg or default_alg(key)
    _check_alg_matches(chosen, key)
    when = (signing_time or datetime.now(UTC)).astimezone(UTC)
    header = {
        "alg": chosen,
        "cty": "octet-stream",
        "kid": issuer_serial_kid(signer),
        "x5t#S256": b64url(hashlib.sha256(der(signer)).digest()),
        "x5c": [x5c_entry(c) for c in certs],
        "typ": "jose+json",
        "b64": False,
        "sigT": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "crit": ["b64", "sigT"],
    }
    protected = b64url(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    payload = serialise_payload(doc)
    signature = sign_bytes(key, chosen, signing_input(protected, payload, b64=False))
    sealed = {
        "payload": payload,
        "signatures": [{"protected": protected, "signature": b64url(signature)}],
    }
    from microcred_vc.seal.levels import add_level

    extra = load_certificates(list(extra_certs)) if extra_certs else []
    return add_level(sealed, level, tsa=tsa, certs=[*certs, *extra], revocation=revocation)
