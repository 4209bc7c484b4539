"""Was the seal certificate's issuing CA a granted qualified service when it sealed?

ETSI TS 119 615 in the part a seal needs: find the CA/QC services whose
ServiceDigitalIdentity is the CA that issued the seal certificate (by its
certificate's key, or by X509SKI against the certificate's authority key
identifier), take the status in force at the signing time from the status
history, and collect the Qualifications extension's qualifiers whose criteria
select this certificate, with the service's AdditionalServiceInformation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import ExtensionOID

from microcred_vc.seal.trusted_list.lists import TrustedLists
from microcred_vc.seal.trusted_list.model import (
    CA_QC,
    EIDAS_START,
    GRANTED,
    GRANTED_BEFORE_EIDAS,
    STATUS,
    Criteria,
    Identity,
    Service,
    ServiceState,
    TrustedList,
)

QUALIFIER = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/"
SVC_INFO = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/"
FOR_SEALS = SVC_INFO + "ForeSeals"
#: AdditionalServiceInformation URIs that name what a CA/QC issues qualified certificates for
FOR_TYPES = {
    SVC_INFO + "ForeSignatures": "esign",
    SVC_INFO + "ForeSeals": "eseal",
    SVC_INFO + "ForWebSiteAuthentication": "web",
}


@dataclass(frozen=True)
class ServiceDecision:
    """What the Trusted Lists say about the CA at ``when``; ``code`` is None when granted."""

    code: str | None
    message: str
    tl: TrustedList | None = None
    service: Service | None = None
    state: ServiceState | None = None
    qualifiers: frozenset[str] = frozenset()

    @property
    def service_types(self) -> set[str]:
        info = self.state.additional_info if self.state else ()
        return {FOR_TYPES[u] for u in info if u in FOR_TYPES}


def identifies_issuer(identity: Identity, leaf: x509.Certificate) -> bool:
    """The identity is the CA that signed ``leaf``: its key verifies the certificate."""
    for cert in identity.certificates:
        if cert.subject != leaf.issuer:
            continue
        try:
            leaf.verify_directly_issued_by(cert)
        except (InvalidSignature, ValueError, TypeError):
            continue
        return True
    aki = _authority_key_id(leaf)
    return aki is not None and aki in identity.skis


def _authority_key_id(leaf: x509.Certificate) -> bytes | None:
    try:
        ext = leaf.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_KEY_IDENTIFIER)
    except x509.ExtensionNotFound:
        return None
    return ext.value.key_identifier  # type: ignore[attr-defined, no-any-return]


def _granted(state: ServiceState) -> bool:
    if state.status == GRANTED:
        return True
    return state.start < EIDAS_START and state.status in GRANTED_BEFORE_EIDAS


def decide(lists: TrustedLists, leaf: x509.Certificate, when: datetime) -> ServiceDecision:
    """The CA/QC service that issued ``leaf`` and its status at ``when``."""
    found = [
        (tl, svc)
        for tl, svc in lists.services()
        if any(identifies_issuer(s.identity, leaf) for s in svc.states)
    ]
    issuer = leaf.issuer.rfc4514_string()
    at = when.isoformat()
    if not found:
        return ServiceDecision(
            "SEAL_CA_NOT_GRANTED",
            f"the issuing CA ({issuer}) is not a service on any given Trusted List",
        )
    best: ServiceDecision | None = None
    for tl, svc in found:
        state = svc.state_at(when)
        where = f"'{svc.name}' of {svc.provider} ({tl.territory} Trusted List)"
        if state is None:
            decision = ServiceDecision(
                "SEAL_CA_NOT_GRANTED", f"{where} was not yet listed at {at}", tl, svc
            )
        elif state.type != CA_QC:
            decision = ServiceDecision(
                "SEAL_CA_NOT_GRANTED",
                f"{where} is a {state.type} service, not CA/QC",
                tl,
                svc,
                state,
            )
        elif _granted(state):
            qualifiers = frozenset(
                uri.removeprefix(QUALIFIER)
                for q in state.qualifications
                if matches(q.criteria, leaf)
                for uri in q.qualifiers
            )
            return ServiceDecision(
                None,
                f"issuing CA {where} was granted at {at} (since {state.start.isoformat()})",
                tl,
                svc,
                state,
                qualifiers,
            )
        else:
            status = state.status.removeprefix(STATUS)
            code = "SEAL_CA_WITHDRAWN" if status == "withdrawn" else "SEAL_CA_NOT_GRANTED"
            decision = ServiceDecision(
                code,
                f"{where} was {status} at {at} (since {state.start.isoformat()})",
                tl,
                svc,
                state,
            )
        if best is None or (
            best.code != "SEAL_CA_WITHDRAWN" and decision.code == "SEAL_CA_WITHDRAWN"
        ):
            best = decision
    assert best is not None
    return best


_KU_NAMES = {
    "digitalSignature": "digital_signature",
    "nonRepudiation": "content_commitment",
    "contentCommitment": "content_commitment",
    "keyEncipherment": "key_encipherment",
    "dataEncipherment": "data_encipherment",
    "keyAgreement": "key_agreement",
    "keyCertSign": "key_cert_sign",
    "crlSign": "crl_sign",
}


def matches(criteria: Criteria, cert: x509.Certificate) -> bool:
    """Whether a CriteriaList selects ``cert`` (TS 119 612 §5.5.9.2: assert all/atLeastOne/none)."""
    results: list[bool] = []
    if criteria.key_usage:
        results.append(_key_usage_matches(criteria.key_usage, cert))
    policies = _policies(cert)
    results += [set(ps) <= policies for ps in criteria.policy_sets]
    results += [matches(c, cert) for c in criteria.nested]
    if criteria.assert_ == "atLeastOne":
        return any(results)
    if criteria.assert_ == "none":
        return not any(results)
    return all(results)


def _key_usage_matches(bits: tuple[tuple[str, bool], ...], cert: x509.Certificate) -> bool:
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return all(
        name in _KU_NAMES and bool(getattr(ku, _KU_NAMES[name])) == wanted for name, wanted in bits
    )


def _policies(cert: x509.Certificate) -> set[str]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
    except x509.ExtensionNotFound:
        return set()
    return {p.policy_identifier.dotted_string for p in ext}
