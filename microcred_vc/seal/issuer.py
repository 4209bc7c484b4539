"""Issuer identity: the seal must belong to the organisation the credential names.

Any organisation with a valid seal certificate could otherwise seal a
credential in another issuer's name, so the eIDAS ``organizationIdentifier``
of the certificate (ETSI EN 319 412-1 §5.1.4) is compared with the EDC
issuer's ``eIDASIdentifier``, by scheme, country and value
(:mod:`microcred_vc.identifiers`): ``VATIE-3668997OH`` is the Irish
``IE/IE/3668997OH`` and the Irish bare ``3668997OH``, never ``NTRIE-3668997OH``
nor ``VATBE-3668997OH``. Only the ``eIDASIdentifier`` counts: another identifier
the issuer lists (a ``vatIdentifier``) is no less the sealer's own writing, and
would let a sealer keep someone else's eIDAS identifier beside its own.

The same comparison serves the other direction: :func:`issuer_from_seal_certificate`
takes the issuer's identifier from the certificate, as the EC's issuing tool does.
"""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

from microcred_vc.errors import (
    CertificateError,
    EdcIssuerNoLegalId,
    EdcIssuerSealMismatch,
    LegalIdentifierInvalid,
)
from microcred_vc.identifiers import LegalIdentifier, from_elm, parse
from microcred_vc.seal.certs import CertLike, load_certificate
from microcred_vc.seal.report import SealReport


def organisation_identifiers(cert: x509.Certificate) -> list[str]:
    return [
        str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)
    ]


def _country(cert: x509.Certificate) -> str | None:
    names = cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    return str(names[0].value) if names else None


def certificate_identifiers(cert: x509.Certificate) -> list[LegalIdentifier]:
    """The certificate's readable organisation identifiers; a non-ETSI one takes its ``C``."""
    found = []
    for text in organisation_identifiers(cert):
        try:
            found.append(parse(text, country=_country(cert)))
        except LegalIdentifierInvalid:
            continue
    return found


def _claimed(issuer: Any) -> list[Any]:
    node = issuer.get("eIDASIdentifier") if isinstance(issuer, dict) else None
    return node if isinstance(node, list) else [] if node is None else [node]


def _read(node: Any) -> LegalIdentifier:
    return parse(node) if isinstance(node, str) else from_elm(node)


def _shown(node: Any) -> str:
    notation = node.get("notation") if isinstance(node, dict) else node
    return str(notation)


def check_issuer(leaf: x509.Certificate, report: SealReport) -> None:
    """Add the ``issuer`` step: the sealing organisation is the credential's issuer."""
    payload = report.payload if isinstance(report.payload, dict) else {}
    nodes = _claimed(payload.get("issuer"))
    cert_ids = organisation_identifiers(leaf)
    if not nodes or not cert_ids:
        report.add(
            "issuer",
            "skip",
            "issuer not compared: the credential or the certificate has no legal identifier",
        )
        return
    shown = ", ".join(_shown(n) for n in nodes)
    sealers = certificate_identifiers(leaf)
    try:
        claimed = [_read(n) for n in nodes]
    except LegalIdentifierInvalid as exc:
        report.add(
            "issuer",
            "fail",
            f"sealed by organisation {cert_ids[0]}, but the credential's issuer identifier "
            f"{shown} cannot be read: {exc.message}",
            "SEAL_ISSUER_MISMATCH",
        )
        return
    if sealers and all(any(s.matches(c) for s in sealers) for c in claimed):
        report.add(
            "issuer",
            "pass",
            f"sealing organisation {cert_ids[0]} is the credential's issuer ({shown})",
        )
    else:
        report.add(
            "issuer",
            "fail",
            f"sealed by organisation {cert_ids[0]}, but the credential names issuer {shown}",
            "SEAL_ISSUER_MISMATCH",
        )


def _same_org(org: Any, issuer: Any) -> bool:
    """The issuer again: equal, or the same IRI without an identifier of its own (one IRI
    is one RDF node, so an awarding body naming the issuer's id is the issuer)."""
    if org is None:
        return False
    same_iri = issuer.id is not None and getattr(org, "id", None) == issuer.id
    return bool(org == issuer or (same_iri and not getattr(org, "eidas_id", None)))


def issuer_from_seal_certificate(mc: Any, certificate: CertLike) -> Any:
    """``mc`` whose issuer's eIDAS identifier is the seal certificate's organizationIdentifier.

    The caller names the certificate, so the value is theirs: an issuer without an
    identifier gets the certificate's (as written, like the EC's tool), every other
    occurrence of that same organisation too (one IRI is one RDF node); an issuer
    with one keeps it, and it must name the certificate's organisation
    (:class:`~microcred_vc.errors.EdcIssuerSealMismatch` otherwise).
    """
    cert = load_certificate(certificate)
    written = organisation_identifiers(cert)
    if not written:
        raise CertificateError(
            "the seal certificate has no organizationIdentifier (OID 2.5.4.97) to take the "
            "issuer's legal identifier from; give the issuer an eidas_id instead",
            code="SEAL_CERT_NO_ORG_ID",
        )
    sealer = parse(written[0], country=_country(cert))
    issuer = getattr(mc, "issuer", None)
    if issuer is None:
        raise EdcIssuerNoLegalId(
            "the credential names no issuer; a seal certificate cannot supply one"
        )
    if issuer.eidas_id:
        if not parse(issuer.eidas_id, country=issuer.country).matches(sealer):
            raise EdcIssuerSealMismatch(
                f"the issuer's eIDAS identifier {issuer.eidas_id} is not the seal certificate's "
                f"organizationIdentifier {written[0]}: the seal would name another organisation",
                issuer=issuer.eidas_id,
                certificate=written[0],
            )
        return mc
    filled = issuer.model_copy(update={"eidas_id": written[0].strip()})
    update: dict[str, Any] = {"issuer": filled}
    bodies = getattr(mc, "awarding_bodies", None)
    if bodies:
        update["awarding_bodies"] = [filled if _same_org(b, issuer) else b for b in bodies]
    agents = getattr(mc, "quality_assurance", None)
    if agents:
        update["quality_assurance"] = [
            qa.model_copy(update={"agent": filled}) if _same_org(qa.agent, issuer) else qa
            for qa in agents
        ]
    return mc.model_copy(update=update)
