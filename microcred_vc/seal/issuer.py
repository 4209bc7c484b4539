"""Issuer identity: the seal must belong to the organisation the credential names.

Any organisation with a valid seal certificate could otherwise seal a
credential in another issuer's name, so the eIDAS ``organisationIdentifier``
of the certificate (ETSI EN 319 412-1 §5.1.4) is compared with the EDC
issuer's ``eIDASIdentifier``.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import NameOID

from microcred_vc.seal.report import SealReport


def organisation_identifiers(cert: x509.Certificate) -> list[str]:
    return [
        str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)
    ]


def same_legal_id(cert_id: str, notation: str) -> bool:
    """ETSI EN 319 412-1 writes ``VATES-A00000000`` (type, country, '-', id); EDCs may hold either form."""
    cert_id, notation = cert_id.strip().upper(), notation.strip().upper()
    if cert_id == notation:
        return True
    prefix, _, rest = cert_id.partition("-")
    return bool(rest) and len(prefix) == 5 and rest == notation


def check_issuer(leaf: x509.Certificate, report: SealReport) -> None:
    """Add the ``issuer`` step: the sealing organisation is the credential's issuer."""
    payload = report.payload if isinstance(report.payload, dict) else {}
    issuer = payload.get("issuer")
    eidas = issuer.get("eIDASIdentifier") if isinstance(issuer, dict) else None
    notation = eidas.get("notation") if isinstance(eidas, dict) else None
    cert_ids = organisation_identifiers(leaf)
    if not isinstance(notation, str) or not cert_ids:
        report.add(
            "issuer",
            "skip",
            "issuer not compared: the credential or the certificate has no legal identifier",
        )
    elif any(same_legal_id(c, notation) for c in cert_ids):
        report.add(
            "issuer",
            "pass",
            f"sealing organisation {cert_ids[0]} is the credential's issuer ({notation})",
        )
    else:
        report.add(
            "issuer",
            "fail",
            f"sealed by organisation {cert_ids[0]}, but the credential names issuer {notation}",
            "SEAL_ISSUER_MISMATCH",
        )
