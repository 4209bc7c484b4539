"""The JSON key file: public parts readable, private part PKCS#8 PEM (encrypted if asked).

One JSON file so an issuer's DID, verification method and public JWK can be
read without the password (for publishing a did:web document, say), while the
secret stays inside an encrypted PKCS#8 blob. Files are written 0600 through a
temporary file and an atomic rename, so a crash never leaves half a key.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from microcred_vc.errors import KeyFileError, KeyFormatError, KeyPasswordError

if TYPE_CHECKING:
    from microcred_vc.keys.keypair import KeyPair

PrivateCrypto = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey

FILE_TYPE = "MicrocredKeyFile"
VERSION = 1


def private_from_pem(pem: bytes, password: str | bytes | None = None) -> PrivateCrypto:
    """Load a PKCS#8 PEM; a missing or wrong password is a :class:`KeyPasswordError`."""
    pw = password.encode() if isinstance(password, str) else password
    try:
        key = serialization.load_pem_private_key(pem, password=pw or None)
    except TypeError as exc:  # encrypted without password, or password for a plain key
        raise KeyPasswordError(
            "the key is encrypted: a password is required"
            if not pw
            else "the key is not encrypted: do not pass a password",
        ) from exc
    except ValueError as exc:
        if pw and b"ENCRYPTED" in pem:
            raise KeyPasswordError("wrong password for the encrypted key") from exc
        raise KeyFormatError(f"private key PEM could not be read: {exc}") from exc
    if not isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
        raise KeyFormatError(f"unsupported private key type {type(key).__name__}")
    return key


def save_key(key: KeyPair, path: str | Path, password: str | bytes | None = None) -> Path:
    """Write ``key`` to ``path`` (mode 0600, atomic). Returns the path."""
    path = Path(path)
    doc: dict[str, Any] = {
        "type": FILE_TYPE,
        "version": VERSION,
        "keyType": key.key_type,
        "controller": key.did,
        "id": key.verification_method,
        "publicKeyMultibase": key.public.multibase,
        "publicKeyJwk": key.to_jwk(),
        "encrypted": bool(password),
        "privateKeyPem": key.to_pem(password).decode("ascii"),
    }
    if key.key_id is not None:
        doc["keyId"] = key.key_id
    data = (json.dumps(doc, indent=2) + "\n").encode()
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise KeyFileError(f"cannot write key file in {directory}: {exc}") from exc
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise KeyFileError(f"cannot write key file {path}: {exc}") from exc
    return path


@dataclass(frozen=True)
class KeyFileContents:
    """What a key file holds, read and decrypted; :meth:`KeyPair.load` builds the pair.

    The file format knows nothing of :class:`KeyPair`, so this module and the
    key pair module do not import each other (issue 15: no import circles).
    """

    private: PrivateCrypto
    controller: str | None
    key_id: str | None
    public_multibase: str | None


def read_key_file(path: str | Path, password: str | bytes | None = None) -> KeyFileContents:
    """Read a key file written by :func:`save_key` and decrypt its private part."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {exc}") from exc
    except ValueError as exc:
        raise KeyFileError(f"key file {path} is not JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("type") != FILE_TYPE:
        raise KeyFileError(f"{path} is not a microcred key file (type {FILE_TYPE!r})")
    pem = doc.get("privateKeyPem")
    if not isinstance(pem, str):
        raise KeyFileError(f"key file {path} has no privateKeyPem")
    if doc.get("encrypted") and not password:
        raise KeyPasswordError(f"key file {path} is encrypted: a password is required")
    private = private_from_pem(pem.encode("ascii"), password)
    return KeyFileContents(
        private, doc.get("controller"), doc.get("keyId"), doc.get("publicKeyMultibase")
    )
