"""The data-model rule ids and the violation type, apart so docs and tests read one table.

Rule ids are stable (like error codes): integrators branch on them, and the
documentation's rule table is generated from :data:`RULES`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

#: Every rule id with the sentence of the specification it enforces (shown in the docs).
RULES: dict[str, str] = {
    "context.base": "@context MUST be an ordered set whose first item is the base context URL",
    "context.items": "later @context items MUST be URLs or objects",
    "context.processable": "each @context item MUST be processable as a JSON-LD context",
    "id.url": "an id, if present, MUST be a single URL",
    "type.required": "credentials and presentations MUST have a type",
    "type.value": "type values MUST be terms or absolute URL strings",
    "type.credential": "a credential's type MUST include VerifiableCredential",
    "type.presentation": "a presentation's type MUST include VerifiablePresentation",
    "issuer.required": "a verifiable credential MUST have an issuer",
    "issuer.url": "issuer MUST be a URL or an object whose id is a URL",
    "credentialSubject.required": "a verifiable credential MUST have a credentialSubject",
    "credentialSubject.claims": "each credentialSubject MUST be an object with at least one claim",
    "name.value": "name and description MUST be strings or language value objects",
    "validFrom.datetime": "validFrom MUST be an XML Schema dateTimeStamp (with a timezone)",
    "validUntil.datetime": "validUntil MUST be an XML Schema dateTimeStamp (with a timezone)",
    "validity.order": "validFrom MUST be the same as or earlier than validUntil",
    "issuanceDate.required": "a VC 1.1 credential MUST have an issuanceDate",
    "issuanceDate.datetime": "issuanceDate MUST be an XML Schema dateTime",
    "expirationDate.datetime": "expirationDate MUST be an XML Schema dateTime",
    "typed.object": "credentialStatus, credentialSchema, refreshService, termsOfUse, evidence "
    "and proof values MUST be objects",
    "typed.type": "each of those objects MUST specify its type (strings)",
    "typed.id": "credentialSchema (and in VC 1.1 credentialStatus, refreshService) MUST have an id",
    "relatedResource.object": "relatedResource entries MUST be objects",
    "relatedResource.id": "each related resource MUST have an id URL",
    "relatedResource.unique": "related resource ids MUST be unique in the list",
    "relatedResource.digest": "each related resource MUST have a digestSRI or digestMultibase",
    "relatedResource.match": "a related resource MUST have the digest it is given",
    "holder.url": "holder MUST be a URL or an object whose id is a URL",
    "verifiableCredential.object": "verifiableCredential values MUST be objects, never strings",
    "envelope.type": "an enveloped credential's (presentation's) type MUST be "
    "EnvelopedVerifiableCredential (EnvelopedVerifiablePresentation)",
    "envelope.id": "an enveloped credential's or presentation's id MUST be a data: URL",
    "envelope.context": "an enveloped credential or presentation MUST have an @context",
}


@dataclass(frozen=True)
class Violation:
    """One broken rule: where (a JSON path such as ``credentialStatus[0].type``), which, why."""

    path: str
    rule: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.rule}]"
