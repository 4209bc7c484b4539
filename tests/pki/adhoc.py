"""One-off X.509 objects a test shapes itself, made with ``cryptography`` (per run).

The shared test PKI is certomancer's (:mod:`tests.pki`); these helpers are for
what a fixed configuration cannot hold: certificates for a key the test
generates (RSA, P-384), an odd key usage or dates relative to today, and the
CRL/OCSP answers about such certificates. ``cryptography`` builds the ASN.1.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID

NOW = datetime.now(UTC).replace(microsecond=0)


def cert_name(cn: str, org_id: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test University"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    if org_id:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, org_id))
    return x509.Name(attributes)


def key_usage(*, sign: bool = False, ca: bool = False, encipher: bool = False) -> x509.KeyUsage:
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
        .subject_name(cert_name(subject, org_id))
        .issuer_name(issuer_cert.subject if issuer_cert else cert_name(subject))
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


def make_tsa_cert(
    subject: str, key, issuer_cert: x509.Certificate | None, issuer_key, **kwargs
) -> x509.Certificate:
    """A timestamping certificate: RFC 3161 §2.3 asks for a critical id-kp-timeStamping EKU."""
    cert = make_cert(
        subject, key, issuer_cert, issuer_key, ca=False, usage=key_usage(sign=True), **kwargs
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(cert.subject)
        .issuer_name(cert.issuer)
        .public_key(cert.public_key())
        .serial_number(cert.serial_number)
        .not_valid_before(cert.not_valid_before_utc)
        .not_valid_after(cert.not_valid_after_utc)
    )
    for ext in cert.extensions:
        builder = builder.add_extension(ext.value, critical=ext.critical)
    builder = builder.add_extension(
        x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
    )
    return builder.sign(issuer_key, hashes.SHA256())


def make_crl(issuer: x509.Certificate, issuer_key, revoked: list[x509.Certificate]) -> bytes:
    """A DER CRL of ``issuer`` listing ``revoked`` (revoked two days ago)."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(NOW - timedelta(days=1))
        .next_update(NOW + timedelta(days=7))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
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
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(Encoding.DER)


def make_ocsp(
    cert: x509.Certificate, issuer: x509.Certificate, issuer_key, *, revoked: bool
) -> bytes:
    """A DER OCSP response about ``cert`` signed by its issuing CA (a permitted responder)."""
    status = ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=cert,
            issuer=issuer,
            algorithm=hashes.SHA256(),
            cert_status=status,
            this_update=NOW - timedelta(hours=1),
            next_update=NOW + timedelta(days=1),
            revocation_time=NOW - timedelta(days=2) if revoked else None,
            revocation_reason=None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)
    )
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(Encoding.DER)
