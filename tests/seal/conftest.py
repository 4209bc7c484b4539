"""A throw-away PKI for seal tests: root CA, intermediate CA, seal certificates, a CRL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

NOW = datetime.now(UTC).replace(microsecond=0)


def _name(cn: str, org_id: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test University"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    if org_id:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, org_id))
    return x509.Name(attributes)


def _ku(*, sign: bool = False, ca: bool = False, encipher: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,
        key_encipherment=encipher,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def make_cert(
    subject: str,
    key,
    issuer_cert: x509.Certificate | None,
    issuer_key,
    *,
    ca: bool,
    usage: x509.KeyUsage,
    start: datetime = NOW - timedelta(days=30),
    end: datetime = NOW + timedelta(days=365),
    org_id: str | None = None,
    ocsp_url: str | None = None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject, org_id))
        .issuer_name(issuer_cert.subject if issuer_cert else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ocsp_url:  # real seal certificates name their OCSP responder (AIA)
        access = x509.AccessDescription(
            x509.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url)
        )
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


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
    """Builds a KeyUsage: ``key_usage(sign=True)`` etc. (conftest helpers are not importable)."""
    return _ku
