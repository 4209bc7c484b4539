"""A throw-away PKI for seal tests: root CA, intermediate CA, seal certificates, a CRL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.pki import NOW, make_cert, make_tsa_cert
from tests.pki import key_usage as _ku


@dataclass
class Pki:
    root_key: ec.EllipticCurvePrivateKey
    root: x509.Certificate
    inter_key: ec.EllipticCurvePrivateKey
    inter: x509.Certificate
    seal_key: ec.EllipticCurvePrivateKey
    seal: x509.Certificate

    def issue(self, subject: str, key, **kwargs) -> x509.Certificate:
        return make_cert(subject, key, self.inter, self.inter_key, ca=False, **kwargs)

    def crl(self, revoked: list[x509.Certificate]) -> bytes:
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.inter.subject)
            .last_update(NOW - timedelta(days=1))
            .next_update(NOW + timedelta(days=7))
            .add_extension(x509.CRLNumber(1), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.inter_key.public_key()),
                critical=False,
            )
        )
        for cert in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(cert.serial_number)
                .revocation_date(NOW - timedelta(days=2))
                .build()
            )
        from cryptography.hazmat.primitives.serialization import Encoding

        return builder.sign(self.inter_key, hashes.SHA256()).public_bytes(Encoding.DER)

    def ocsp(self, cert: x509.Certificate, *, revoked: bool) -> bytes:
        """An OCSP response about ``cert`` signed by its issuing CA (a permitted responder)."""
        from cryptography.hazmat.primitives.serialization import Encoding
        from cryptography.x509 import ocsp

        status = ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert=cert,
                issuer=self.inter,
                algorithm=hashes.SHA256(),
                cert_status=status,
                this_update=NOW - timedelta(hours=1),
                next_update=NOW + timedelta(days=1),
                revocation_time=NOW - timedelta(days=2) if revoked else None,
                revocation_reason=None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, self.inter)
        )
        return builder.sign(self.inter_key, hashes.SHA256()).public_bytes(Encoding.DER)


@pytest.fixture(scope="session")
def pki() -> Pki:
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = make_cert(
        "Test Root CA",
        root_key,
        None,
        root_key,
        ca=True,
        usage=_ku(ca=True),
        start=NOW - timedelta(days=1000),
    )
    inter_key = ec.generate_private_key(ec.SECP256R1())
    inter = make_cert(
        "Test Issuing CA",
        inter_key,
        root,
        root_key,
        ca=True,
        usage=_ku(ca=True),
        start=NOW - timedelta(days=900),
    )
    seal_key = ec.generate_private_key(ec.SECP256R1())
    seal = make_cert(
        "Test University Seal", seal_key, inter, inter_key, ca=False, usage=_ku(sign=True)
    )
    return Pki(root_key, root, inter_key, inter, seal_key, seal)


@pytest.fixture(scope="session")
def other_root() -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    return make_cert("Unrelated Root CA", key, None, key, ca=True, usage=_ku(ca=True))


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def key_usage():
    """Builds a KeyUsage: ``key_usage(sign=True)`` etc. (also importable from tests.pki)."""
    return _ku


@dataclass
class Tsa:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    url: str


@pytest.fixture(scope="session")
def tsa(pki) -> Tsa:
    """A TSA certified by the test root, served by certomancer on 127.0.0.1."""
    from tests.tsa_server import certomancer_stamper, serve_tsa

    key = ec.generate_private_key(ec.SECP256R1())
    cert = make_tsa_cert("Test TSA", key, pki.root, pki.root_key)
    with serve_tsa(certomancer_stamper(cert, key)) as url:
        yield Tsa(key, cert, url)


@pytest.fixture(scope="session")
def stamper(tsa):
    """The library's RFC 3161 client, loopback allowed (tests only)."""
    from microcred_vc.seal.tsa import HttpTimestamper

    return HttpTimestamper(tsa.url, timeout=5, block_private=False)
