"""EBSI TIR responses written for these tests (never copied from EBSI).

The shapes follow the TIR API: ``GET /issuers/{did}`` answers ``{"did",
"attributes": [{"hash", "body", "issuerType", "tao", "rootTao"}]}`` with each
body a verifiable accreditation JWT whose ``vc.credentialSubject.id`` is the
accredited DID. The JWT signatures are placeholders: the reader does not verify
them (the caller chose the file), so the tests need none.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

TAO = "did:ebsi:zTestTrustedAccreditationOrg01"
ROOT_TAO = "did:ebsi:zTestRootTrustedAccreditOrg01"
ATTEST = "VerifiableAccreditationToAttest"


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def accreditation_jwt(
    subject: str,
    *,
    valid_from: str = "2025-01-01T00:00:00Z",
    valid_until: str | None = "2030-01-01T00:00:00Z",
    name: str | None = None,
) -> str:
    subject_claims: dict[str, Any] = {
        "id": subject,
        "accreditedFor": [
            {
                "schemaId": "https://schemas.example/ebsi/microcredential",
                "types": ["VerifiableCredential", "VerifiableAttestation", "Microcredential"],
                "limitJurisdiction": "https://publications.europa.eu/resource/authority/atu/FIN",
            }
        ],
    }
    if name:
        subject_claims["legalName"] = name
    vc: dict[str, Any] = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": [
            "VerifiableCredential",
            "VerifiableAttestation",
            "VerifiableAccreditation",
            ATTEST,
        ],
        "issuer": TAO,
        "validFrom": valid_from,
        "credentialSubject": subject_claims,
    }
    if valid_until:
        vc["validUntil"] = valid_until
    header = {"alg": "ES256", "typ": "JWT", "kid": f"{TAO}#key-1"}
    payload = {"iss": TAO, "sub": subject, "vc": vc}
    return f"{_b64(header)}.{_b64(payload)}.cGxhY2Vob2xkZXItc2lnbmF0dXJl"


def attribute(body: str, issuer_type: str = "TI") -> dict[str, Any]:
    return {
        "hash": hashlib.sha256(body.encode()).hexdigest(),
        "body": body,
        "issuerType": issuer_type,
        "tao": TAO,
        "rootTao": ROOT_TAO,
    }


def issuer_record(did: str, *attributes: dict[str, Any]) -> dict[str, Any]:
    return {"did": did, "attributes": list(attributes)}
