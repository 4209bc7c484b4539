"""Seal certificates that give an EDC issuer its legal identifier in format tests.

The EDC profile requires the issuer's eIDAS legal identifier; badges carry none, and
the EC's tool takes it from the seal certificate's organizationIdentifier. Two
sources: a test certificate (``VATIE-3668997OH``, made with ``cryptography``), and
the certificate the European Commission sealed its signed Annex I sample with (the
official fixture, ``VATES-A00000000``).
"""

from __future__ import annotations

import base64
import json

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from tests.fixture_paths import FIXTURES
from tests.pki import key_usage, make_cert


def _test_certificate() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = make_cert(
        "Seal", key, None, key, ca=False, usage=key_usage(sign=True), org_id="VATIE-3668997OH"
    )
    return cert.public_bytes(Encoding.PEM)


def _ec_certificate() -> bytes:
    path = FIXTURES / "edc" / "elm-v3-samples" / "Sample-MC-Annex1-signed.jsonld"
    sealed = json.loads(path.read_text(encoding="utf-8"))
    segment = sealed["signatures"][0]["protected"]
    header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return base64.b64decode(header["x5c"][0])


SEAL_CERTIFICATE = _test_certificate()
EC_SEAL_CERTIFICATE = _ec_certificate()
