"""Key pairs and public keys for the three curves the cryptosuites use.

One class per role: :class:`PublicKey` is all a verifier ever needs (it comes
out of DID resolution), :class:`KeyPair` adds the private half and never shows
it in ``repr``. Signatures are raw (Ed25519 64 bytes; ECDSA r||s, the IEEE
P1363 form the Data Integrity ECDSA suites use), and ECDSA signing is
deterministic (RFC 6979) so the same input gives the same proofValue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from microcred_vc.errors import KeyFileError, KeyFormatError, UnsupportedKeyType
from microcred_vc.keys import jwk as _jwk
from microcred_vc.keys import multikey

KEY_TYPES = ("Ed25519", "P-256", "P-384")

_CURVES: dict[str, type[ec.EllipticCurve]] = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1}
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {"P-256": hashes.SHA256, "P-384": hashes.SHA384}
_SIZES = {"P-256": 32, "P-384": 48}

PublicCrypto = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey
PrivateCrypto = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey


def _check_type(key_type: str) -> str:
    if key_type not in KEY_TYPES:
        raise UnsupportedKeyType(
            f"unsupported key type {key_type!r}; use one of {', '.join(KEY_TYPES)}"
        )
    return key_type


def _raw_public(key: PublicCrypto) -> bytes:
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


def _type_of(key: PublicCrypto | PrivateCrypto) -> str:
    if isinstance(key, ed25519.Ed25519PublicKey | ed25519.Ed25519PrivateKey):
        return "Ed25519"
    if isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey):
        name = {"secp256r1": "P-256", "secp384r1": "P-384"}.get(key.curve.name)
        if name:
            return name
        raise UnsupportedKeyType(f"unsupported elliptic curve {key.curve.name}")
    raise UnsupportedKeyType(f"unsupported key object {type(key).__name__}")


@dataclass(frozen=True)
class PublicKey:
    """A verification key; ``raw`` is the multikey payload (compressed point for EC)."""

    key_type: str
    raw: bytes
    crypto: PublicCrypto = field(repr=False, compare=False)

    @classmethod
    def from_crypto(cls, key: PublicCrypto) -> PublicKey:
        return cls(_type_of(key), _raw_public(key), key)

    @classmethod
    def from_raw(cls, key_type: str, raw: bytes) -> PublicKey:
        _check_type(key_type)
        try:
            if key_type == "Ed25519":
                crypto: PublicCrypto = ed25519.Ed25519PublicKey.from_public_bytes(raw)
            else:
                crypto = ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[key_type](), raw)
        except ValueError as exc:
            raise KeyFormatError(f"invalid {key_type} public key: {exc}") from exc
        return cls.from_crypto(crypto)

    @classmethod
    def from_multibase(cls, value: str) -> PublicKey:
        key_type, raw = multikey.decode_public(value)
        return cls.from_raw(key_type, raw)

    @classmethod
    def from_jwk(cls, jwk: dict[str, Any]) -> PublicKey:
        return cls.from_crypto(_jwk.public_from_jwk(jwk))

    @property
    def multibase(self) -> str:
        return multikey.encode_public(self.key_type, self.raw)

    @property
    def did(self) -> str:
        """did:key for this key (the method-specific id is the publicKeyMultibase)."""
        return "did:key:" + self.multibase

    def to_jwk(self, kid: str | None = None) -> dict[str, Any]:
        return _jwk.public_to_jwk(self.crypto, kid=kid)

    def verify(self, data: bytes, signature: bytes) -> bool:
        """True when ``signature`` (raw form) is valid over ``data``; never raises on bad input."""
        try:
            if isinstance(self.crypto, ed25519.Ed25519PublicKey):
                self.crypto.verify(signature, data)
                return True
            size = _SIZES[self.key_type]
            if len(signature) != 2 * size:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            der = encode_dss_signature(r, s)
            self.crypto.verify(der, data, ec.ECDSA(_HASHES[self.key_type]()))
            return True
        except (InvalidSignature, ValueError):
            return False


class KeyPair:
    """A signing key. ``repr`` and ``str`` show the public part only."""

    __slots__ = ("_private", "controller", "key_id", "public")

    def __init__(
        self,
        private: PrivateCrypto,
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> None:
        self._private = private
        self.public = PublicKey.from_crypto(private.public_key())
        #: The DID or URL that controls the key (did:web, say); did:key of the key when None.
        self.controller = controller
        #: Full verification method URL when it is not ``{did}#{publicKeyMultibase}``.
        self.key_id = key_id

    # --- identity -------------------------------------------------------
    @property
    def key_type(self) -> str:
        return self.public.key_type

    @property
    def did(self) -> str:
        return self.controller or self.public.did

    @property
    def verification_method(self) -> str:
        """The verification method URL proofs name: ``did:key:z…#z…`` for did:key."""
        return self.key_id or f"{self.did}#{self.public.multibase}"

    def __repr__(self) -> str:
        return f"KeyPair(key_type={self.key_type!r}, did={self.did!r})"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        # Pickling a KeyPair (e.g. to a Dask worker) carries the secret, so do it
        # through the Multikey form rather than cryptography's opaque objects.
        state = self.to_multikey(include_secret=True)
        return (_from_multikey_state, (state, self.controller, self.key_id))

    # --- crypto ---------------------------------------------------------
    def sign(self, data: bytes) -> bytes:
        """Raw signature: Ed25519 over ``data``; ECDSA (deterministic) over hash(data)."""
        if isinstance(self._private, ed25519.Ed25519PrivateKey):
            return self._private.sign(data)
        alg = ec.ECDSA(_HASHES[self.key_type](), deterministic_signing=True)
        r, s = decode_dss_signature(self._private.sign(data, alg))
        size = _SIZES[self.key_type]
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")

    def verify(self, data: bytes, signature: bytes) -> bool:
        return self.public.verify(data, signature)

    # --- formats --------------------------------------------------------
    def secret_bytes(self) -> bytes:
        """The raw private key (Ed25519 seed / EC scalar). Handle with care."""
        if isinstance(self._private, ed25519.Ed25519PrivateKey):
            return self._private.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
        return self._private.private_numbers().private_value.to_bytes(_SIZES[self.key_type], "big")

    def to_multikey(self, *, include_secret: bool = False) -> dict[str, Any]:
        """A Multikey verification method document (secret only when asked)."""
        doc: dict[str, Any] = {
            "@context": "https://w3id.org/security/multikey/v1",
            "id": self.verification_method,
            "type": "Multikey",
            "controller": self.did,
            "publicKeyMultibase": self.public.multibase,
        }
        if include_secret:
            doc["secretKeyMultibase"] = multikey.encode_secret(self.key_type, self.secret_bytes())
        return doc

    def did_document(self) -> dict[str, Any]:
        """The DID document to publish for this key's controller (did.json for did:web).

        It lists the key as a Multikey under ``assertionMethod`` (issuing) and
        ``authentication``; see :func:`microcred_vc.keys.document.did_document`
        for several keys of one controller.
        """
        from microcred_vc.keys.document import did_document

        return did_document(self)

    def to_jwk(self, *, include_secret: bool = False) -> dict[str, Any]:
        if include_secret:
            return _jwk.private_to_jwk(self._private, kid=self.verification_method)
        return self.public.to_jwk(kid=self.verification_method)

    def to_pem(self, password: str | bytes | None = None) -> bytes:
        """PKCS#8 PEM of the private key, encrypted with the best available cipher if a
        password is given."""
        enc: serialization.KeySerializationEncryption = serialization.NoEncryption()
        if password:
            pw = password.encode() if isinstance(password, str) else password
            enc = serialization.BestAvailableEncryption(pw)
        return self._private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc
        )

    @classmethod
    def from_multikey(cls, doc: dict[str, Any], *, controller: str | None = None) -> KeyPair:
        """From ``{"publicKeyMultibase", "secretKeyMultibase" | "privateKeyMultibase"}``."""
        if not isinstance(doc, dict):
            raise KeyFormatError("a Multikey must be a JSON object")
        secret = doc.get("secretKeyMultibase") or doc.get("privateKeyMultibase")
        if not secret:
            raise KeyFormatError(
                "Multikey has no secretKeyMultibase/privateKeyMultibase; "
                "use PublicKey.from_multibase for a verification-only key"
            )
        key_type, raw = multikey.decode_secret(secret)
        pair = cls(_private_from_raw(key_type, raw), controller=controller)
        public = doc.get("publicKeyMultibase")
        if public is not None and public != pair.public.multibase:
            raise KeyFormatError(
                "publicKeyMultibase does not match the secret key", code="KEY_MISMATCH"
            )
        return pair

    @classmethod
    def from_jwk(cls, jwk: dict[str, Any], *, controller: str | None = None) -> KeyPair:
        return cls(_jwk.private_from_jwk(jwk), controller=controller)

    @classmethod
    def from_pem(
        cls, pem: bytes, password: str | bytes | None = None, *, controller: str | None = None
    ) -> KeyPair:
        from microcred_vc.keys.keyfile import private_from_pem

        return cls(private_from_pem(pem, password), controller=controller)

    def save(self, path: str | Path, password: str | bytes | None = None) -> Path:
        from microcred_vc.keys.keyfile import save_key

        return save_key(self, path, password)

    @classmethod
    def load(cls, path: str | Path, password: str | bytes | None = None) -> KeyPair:
        """Read a key file written by :meth:`save`; checks the public parts still match."""
        from microcred_vc.keys.keyfile import read_key_file

        got = read_key_file(path, password)
        pair = cls(got.private, controller=None, key_id=got.key_id)
        if got.controller and got.controller != pair.public.did:
            pair = cls(got.private, controller=got.controller, key_id=got.key_id)
        if got.public_multibase not in (None, pair.public.multibase):
            raise KeyFileError(
                f"key file {path}: publicKeyMultibase does not match the private key",
                code="KEY_MISMATCH",
            )
        return pair


def _private_from_raw(key_type: str, raw: bytes) -> PrivateCrypto:
    try:
        if key_type == "Ed25519":
            key = ed25519.Ed25519PrivateKey.from_private_bytes(raw[:32])
            if len(raw) == 64 and _raw_public(key.public_key()) != raw[32:]:
                raise KeyFormatError("Ed25519 64-byte secret: public half does not match the seed")
            return key
        return ec.derive_private_key(int.from_bytes(raw, "big"), _CURVES[key_type]())
    except ValueError as exc:
        raise KeyFormatError(f"invalid {key_type} secret key: {exc}") from exc


def _from_multikey_state(
    doc: dict[str, Any], controller: str | None, key_id: str | None
) -> KeyPair:
    pair = KeyPair.from_multikey(doc, controller=controller)
    pair.key_id = key_id
    return pair


def generate_key(
    kind: str = "Ed25519", *, controller: str | None = None, key_id: str | None = None
) -> KeyPair:
    """A fresh key pair: ``"Ed25519"`` (eddsa suites), ``"P-256"`` or ``"P-384"`` (ecdsa).

    Without ``controller`` the key is its own did:key. An institution passes
    its own DID, ``generate_key(controller="did:web:example.edu")``, so the
    credentials it issues name it as issuer; publish ``key.did_document()`` as
    that DID's document (``https://example.edu/.well-known/did.json``).
    ``key_id`` sets the verification method URL (default ``{controller}#{multibase}``).
    """
    _check_type(kind)
    private: PrivateCrypto
    if kind == "Ed25519":
        private = ed25519.Ed25519PrivateKey.generate()
    else:
        private = ec.generate_private_key(_CURVES[kind]())
    return KeyPair(private, controller=controller, key_id=key_id)
