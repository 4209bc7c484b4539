"""X.509 certificates for the EDC seal: loading, key usage and path validation.

An EDC seal is only worth something if the sealing certificate chains to a
root the verifier trusts, was valid when used, carries a signing key usage and
was not revoked. Path building and validation (RFC 5280) are delegated to
pyhanko-certvalidator; this module only turns its outcomes into stable codes and
sentences a person can read. Nothing here fetches from the network: CRLs and
OCSP responses are used only when the caller supplies them.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as pv_errors
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from microcred_vc.errors import CertificateError

CertLike = x509.Certificate | bytes | str | Path

#: Key usages that allow a certificate to seal (ETSI EN 319 412-3 asks for nonRepudiation).
SIGNING_USAGES = ("digital_signature", "content_commitment")


def load_certificate(value: CertLike) -> x509.Certificate:
    """Read one certificate from a cryptography object, PEM/DER bytes, PEM text or a file."""
    if isinstance(value, x509.Certificate):
        return value
    data: bytes
    if isinstance(value, Path):
        try:
            data = value.read_bytes()
        except OSError as exc:
            raise CertificateError(f"cannot read certificate file {value}: {exc}") from exc
    elif isinstance(value, str):
        data = value.encode("ascii", "replace")
    elif isinstance(value, bytes):
        data = value
    else:
        raise CertificateError(f"not a certificate: {type(value).__name__}")
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise CertificateError(f"certificate could not be parsed: {exc}") from exc


def load_certificates(values: CertLike | Iterable[CertLike]) -> list[x509.Certificate]:
    """Read a list of certificates; a PEM bundle may hold several."""
    if isinstance(values, x509.Certificate | bytes | str | Path):
        if isinstance(values, bytes | str) and _count_pem(values) > 1:
            raw = values.encode() if isinstance(values, str) else values
            try:
                return x509.load_pem_x509_certificates(raw)
            except ValueError as exc:
                raise CertificateError(f"PEM bundle could not be parsed: {exc}") from exc
        return [load_certificate(values)]
    return [load_certificate(v) for v in values]


def _count_pem(value: bytes | str) -> int:
    marker = "-----BEGIN CERTIFICATE-----"
    return value.count(marker if isinstance(value, str) else marker.encode())


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)


def x5c_entry(cert: x509.Certificate) -> str:
    """x5c uses standard (not URL-safe) base64 of the DER, RFC 7515 §4.1.6."""
    return base64.b64encode(der(cert)).decode("ascii")


def describe(cert: x509.Certificate) -> str:
    return cert.subject.rfc4514_string() or f"serial {cert.serial_number}"


def organisation_identifier(cert: CertLike) -> str | None:
    """The eIDAS organisationIdentifier (2.5.4.97, e.g. ``VATBE-0123456789``) of a seal
    certificate: what an EDC issuer's ``eIDASIdentifier`` should carry."""
    attributes = load_certificate(cert).subject.get_attributes_for_oid(
        NameOID.ORGANIZATION_IDENTIFIER
    )
    return str(attributes[0].value) if attributes else None


def signing_key_usage_problem(cert: x509.Certificate) -> str | None:
    """Why the certificate may not seal, or None when its key usage allows it."""
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return (
            "certificate has no keyUsage extension; a seal needs digitalSignature or nonRepudiation"
        )
    if ku.digital_signature or ku.content_commitment:
        return None
    return "certificate key usage allows neither digitalSignature nor nonRepudiation"


@dataclass(frozen=True)
class PathOutcome:
    """Result of path validation: ``code`` is None when the path is valid."""

    ok: bool
    message: str
    code: str | None = None
    chain: tuple[str, ...] = ()


def _run(coro: Any) -> Any:
    """Run a coroutine from sync code, also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _as_der_list(items: Iterable[bytes | Any] | None) -> list[bytes]:
    out: list[bytes] = []
    for item in items or ():
        if isinstance(item, bytes):
            out.append(item)
        elif hasattr(item, "public_bytes"):  # cryptography CRL objects
            out.append(item.public_bytes(Encoding.DER))
        else:
            raise CertificateError(f"revocation data must be DER bytes, got {type(item).__name__}")
    return out


def validate_path(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    trust_roots: Sequence[x509.Certificate],
    *,
    moment: datetime | None = None,
    crls: Iterable[bytes | Any] | None = None,
    ocsps: Iterable[bytes | Any] | None = None,
    revocation: bool = True,
    retroactive: bool = False,
    leaf_revocation_required: bool = True,
) -> PathOutcome:
    """Validate ``leaf`` up to one of ``trust_roots`` at ``moment`` (default: now).

    Revocation is checked strictly ("hard-fail") when CRLs or OCSP responses
    are supplied and ``revocation`` is true, and not at all otherwise: offline
    by design, the caller decides what revocation evidence exists.
    ``retroactive`` accepts evidence issued after ``moment``: what a long-term
    seal carries, since its CRLs and OCSP responses are gathered after the
    signature timestamp they are checked at (ETSI EN 319 102-1 §5.6.2.4).
    """
    if not trust_roots:
        return PathOutcome(False, "no trust roots were given", "SEAL_UNTRUSTED")
    when = moment or datetime.now(UTC)
    # RFC 5280 does not check a trust anchor's own dates, so a leaf that is
    # itself trusted would never expire; check the leaf explicitly.
    if when > leaf.not_valid_after_utc:
        return PathOutcome(
            False,
            f"certificate {describe(leaf)} expired on {leaf.not_valid_after_utc.isoformat()}",
            "SEAL_CERT_EXPIRED",
        )
    if when < leaf.not_valid_before_utc:
        return PathOutcome(
            False,
            f"certificate {describe(leaf)} is not valid before {leaf.not_valid_before_utc.isoformat()}",
            "SEAL_CERT_NOT_YET_VALID",
        )
    crl_list, ocsp_list = _as_der_list(crls), _as_der_list(ocsps)
    checked = revocation and bool(crl_list or ocsp_list)
    if not revocation:
        crl_list, ocsp_list = [], []
    # With evidence supplied, the seal certificate's status must be established
    # from it (even without a CRL distribution point); CAs are checked when they
    # declare where their status lives. Without evidence nothing is checked.
    rule = RevocationCheckingRule
    policy = CertRevTrustPolicy(
        RevocationCheckingPolicy(
            ee_certificate_rule=(
                (rule.CRL_OR_OCSP_REQUIRED if leaf_revocation_required else rule.CHECK_IF_DECLARED)
                if checked
                else rule.NO_CHECK
            ),
            intermediate_ca_cert_rule=rule.CHECK_IF_DECLARED if checked else rule.NO_CHECK,
        ),
        # the context's own retroactive_revinfo is ignored once a policy is given
        retroactive_revinfo=retroactive,
    )
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der(c)) for c in trust_roots],
        other_certs=[asn1_x509.Certificate.load(der(c)) for c in intermediates],
        moment=when,
        allow_fetching=False,
        crls=crl_list,
        ocsps=ocsp_list,
        revinfo_policy=policy,
        retroactive_revinfo=retroactive,
    )
    validator = CertificateValidator(
        asn1_x509.Certificate.load(der(leaf)),
        intermediate_certs=[asn1_x509.Certificate.load(der(c)) for c in intermediates],
        validation_context=context,
    )
    try:
        path = _run(validator.async_validate_path())
    except pv_errors.RevokedError as exc:
        return PathOutcome(False, f"certificate revoked: {exc}", "SEAL_CERT_REVOKED")
    except pv_errors.ExpiredError as exc:
        return PathOutcome(False, f"certificate expired: {exc}", "SEAL_CERT_EXPIRED")
    except pv_errors.NotYetValidError as exc:
        return PathOutcome(False, f"certificate not yet valid: {exc}", "SEAL_CERT_NOT_YET_VALID")
    except pv_errors.InsufficientRevinfoError as exc:
        return PathOutcome(False, f"revocation status unknown: {exc}", "SEAL_REVOCATION_UNKNOWN")
    except (pv_errors.PathBuildingError, pv_errors.InvalidCertificateError) as exc:
        return PathOutcome(
            False,
            f"no path to a trusted root for {describe(leaf)}: {exc}",
            "SEAL_UNTRUSTED",
        )
    except pv_errors.PathValidationError as exc:
        return PathOutcome(False, f"certificate path is not valid: {exc}", "SEAL_PATH_INVALID")
    except pv_errors.ValidationError as exc:
        return PathOutcome(False, f"certificate path is not valid: {exc}", "SEAL_PATH_INVALID")
    subjects = tuple(c.subject.human_friendly for c in path)
    if checked:
        revocation_note = "; revocation checked"
    elif revocation:
        revocation_note = "; revocation not checked (no CRL/OCSP supplied)"
    else:
        revocation_note = ""
    return PathOutcome(
        True,
        f"chain of {len(subjects)} certificate(s) to a trusted root valid at {when.isoformat()}{revocation_note}",
        None,
        subjects,
    )
