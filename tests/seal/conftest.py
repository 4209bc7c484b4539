"""The seal tests' PKI: certomancer's (tests/pki/certomancer.yml), served live on 127.0.0.1.

``pki`` keeps the names the seal tests have always used (root, inter, seal and
their keys) over certomancer's certificates, plus ``issue``/``crl``/``ocsp``
for one-off certificates a test shapes itself (an RSA or P-384 key, an odd key
usage), signed by certomancer's issuing CA key with ``cryptography``. Oracle
for everything else: certomancer (an independent implementation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.pki import LivePki, adhoc, live_pki
from tests.pki import key_usage as _ku


@dataclass
class Pki:
    """certomancer's root and issuing CA; ``seal`` is a non-qualified seal certificate,
    ``qualified`` the one with QC statements (QcCompliance, QcType eSeal, QcSSCD)."""

    live: LivePki
    root_key: Any
    root: x509.Certificate
    inter_key: Any
    inter: x509.Certificate
    seal_key: Any
    seal: x509.Certificate
    qualified_key: Any
    qualified: x509.Certificate

    def issue(self, subject: str, key: Any, **kwargs: Any) -> x509.Certificate:
        """A one-off end-entity certificate from the issuing CA (shaped by the test)."""
        return adhoc.make_cert(subject, key, self.inter, self.inter_key, ca=False, **kwargs)

    def crl(self, revoked: list[x509.Certificate]) -> bytes:
        """A CRL of the issuing CA listing ``revoked`` (for one-off certificates)."""
        return adhoc.make_crl(self.inter, self.inter_key, revoked)

    def ocsp(self, cert: x509.Certificate, *, revoked: bool) -> bytes:
        """An OCSP response about a one-off ``cert`` signed by the issuing CA."""
        return adhoc.make_ocsp(cert, self.inter, self.inter_key, revoked=revoked)


@pytest.fixture(scope="session")
def live() -> LivePki:
    """certomancer's PKI and its OCSP/CRL/TSA services on 127.0.0.1 (built once)."""
    return live_pki()


@pytest.fixture(scope="session")
def pki(live) -> Pki:
    return Pki(
        live,
        live.key("root"),
        live.root,
        live.key("interm"),
        live.cert("interm"),
        live.key("seal-plain"),
        live.cert("seal-plain"),
        live.key("seal-qc"),
        live.cert("seal-qc"),
    )


@pytest.fixture(scope="session")
def other_root(live) -> x509.Certificate:
    """A root that vouches for none of the seals (certomancer's rogue-root)."""
    return live.cert("rogue-root")


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def key_usage():
    """Builds a KeyUsage: ``key_usage(sign=True)`` etc. (also importable from tests.pki)."""
    return _ku


@dataclass
class Tsa:
    key: Any
    cert: x509.Certificate
    url: str


@pytest.fixture(scope="session")
def tsa(live) -> Tsa:
    """certomancer's TSA (certified by the root), served on 127.0.0.1."""
    return Tsa(live.key("tsa"), live.cert("tsa"), live.tsa_url("tsa"))


@pytest.fixture(scope="session")
def stamper(live):
    """The library's RFC 3161 client on the live TSA, loopback allowed (tests only)."""
    return live.timestamper("tsa")
