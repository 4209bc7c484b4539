"""EBSI Trusted Issuers Registry (TIR) API responses, read from files (offline).

Two response shapes of the TIR API are read:

- ``GET /issuers/{did}``: ``{"did": …, "attributes": [{"hash", "body",
  "issuerType", "tao", "rootTao"}]}``. Each attribute's ``body`` is a verifiable
  accreditation (a JWT, or the credential as JSON) whose ``credentialSubject.id``
  is the accredited DID. ``issuerType`` is ``RootTAO``, ``TAO``, ``TI`` (trusted
  issuer) or ``Revoked``.
- ``GET /issuers``: a page ``{"self", "items": [{"did", "href"}], "total",
  "pageSize", "links"}`` — the DIDs registered in the TIR, without their
  accreditations.

An issuer is vouched for when the record holds an accreditation for that very
DID that is not revoked and is valid at ``now``, or when the list names it.
The accreditation's own signature (by its TAO, whose keys live on the EBSI DID
registry) is **not** verified here: the file is what the caller fetched from
the TIR and chose to rely on, as for the other registry files.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from microcred_vc.errors import InvalidJson, TrustRegistryInvalid
from microcred_vc.jsonld.limits import strict_loads
from microcred_vc.trust.base import TrustAnswer, moment, parse_instant

ACCREDITED_TYPES = ("TI", "TAO", "RootTAO")
REVOKED_TYPE = "Revoked"
LIST_KEYS = ("self", "total", "pageSize", "links")


def is_issuer_record(doc: Any) -> bool:
    return (
        isinstance(doc, Mapping)
        and isinstance(doc.get("did"), str)
        and isinstance(doc.get("attributes"), list)
    )


def is_issuer_list(doc: Any) -> bool:
    return (
        isinstance(doc, Mapping)
        and isinstance(doc.get("items"), list)
        and any(k in doc for k in LIST_KEYS)
    )


def accreditation(body: Any) -> dict[str, Any] | None:
    """The accreditation credential an attribute body carries (a JWT's ``vc``, or JSON)."""
    if isinstance(body, Mapping):
        return dict(body)
    if not isinstance(body, str):
        return None
    text = body.strip()
    try:
        if text.startswith("{"):
            doc = strict_loads(text)
        else:
            segments = text.split(".")
            if len(segments) != 3:
                return None
            payload = segments[1] + "=" * (-len(segments[1]) % 4)
            doc = strict_loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, InvalidJson, binascii.Error, UnicodeError):
        return None
    if not isinstance(doc, Mapping):
        return None
    vc = doc.get("vc")
    if isinstance(vc, Mapping):  # VC 1.1 JWT: claims beside the credential
        out = dict(vc)
        for claim, name in (("exp", "validUntil"), ("nbf", "validFrom")):
            if claim in doc and name not in out:
                out[name] = doc[claim]
        return out
    return dict(doc)


def _subject_ids(vc: Mapping[str, Any]) -> list[str]:
    subjects = vc.get("credentialSubject")
    subjects = subjects if isinstance(subjects, list) else [subjects]
    return [s["id"] for s in subjects if isinstance(s, Mapping) and isinstance(s.get("id"), str)]


def _subject_name(vc: Mapping[str, Any]) -> str | None:
    subject = vc.get("credentialSubject")
    if isinstance(subject, Mapping):
        for key in ("legalName", "name"):
            if isinstance(subject.get(key), str):
                return subject[key]
    return None


class EbsiIssuerRecord:
    """One ``GET /issuers/{did}`` response."""

    def __init__(self, doc: Mapping[str, Any], name: str = "EBSI Trusted Issuers Registry") -> None:
        if not is_issuer_record(doc):
            raise TrustRegistryInvalid('not an EBSI TIR issuer: expected {"did", "attributes"}')
        self.name = name
        self.did: str = doc["did"]
        self.attributes = [a for a in doc["attributes"] if isinstance(a, Mapping)]

    def lookup(self, issuer_id: str, *, now: datetime | None = None) -> TrustAnswer:
        if issuer_id != self.did:
            return TrustAnswer(
                "not-listed", self.name, issuer_id, detail=f"this record is about {self.did}"
            )
        at = moment(now)
        seen: list[str] = []
        for attribute in self.attributes:
            vc = accreditation(attribute.get("body"))
            if vc is None or issuer_id not in _subject_ids(vc):
                continue  # an attribute about someone else vouches for nobody here
            kind = attribute.get("issuerType")
            if kind == REVOKED_TYPE:
                seen.append("revoked")
                continue
            if kind not in ACCREDITED_TYPES:
                continue
            start = parse_instant(vc.get("validFrom", vc.get("issuanceDate")))
            end = parse_instant(vc.get("validUntil", vc.get("expirationDate")))
            if (end is not None and end < at) or (start is not None and start > at):
                seen.append("expired")
                continue
            types = vc.get("type")
            detail = f"accredited in the EBSI TIR as {kind}"
            if isinstance(types, list) and types:
                detail += f" ({types[-1]})"
            if isinstance(attribute.get("tao"), str):
                detail += f" by {attribute['tao']}"
            return TrustAnswer(
                "vouched",
                self.name,
                issuer_id,
                entry=dict(attribute),
                name=_subject_name(vc),
                detail=detail,
            )
        if "revoked" in seen:
            return TrustAnswer(
                "revoked", self.name, issuer_id, detail="its EBSI accreditation is revoked"
            )
        if "expired" in seen:
            return TrustAnswer(
                "expired",
                self.name,
                issuer_id,
                detail=f"its EBSI accreditation is not valid at {at.isoformat()}",
            )
        return TrustAnswer(
            "not-listed",
            self.name,
            issuer_id,
            detail=f"{issuer_id} is registered but holds no accreditation in this record",
        )


class EbsiIssuerList:
    """One page of ``GET /issuers``: the registered DIDs, without their accreditations."""

    def __init__(self, doc: Mapping[str, Any], name: str = "EBSI Trusted Issuers Registry") -> None:
        if not is_issuer_list(doc):
            raise TrustRegistryInvalid('not an EBSI TIR issuer list: expected {"items", "total"}')
        self.name = name
        self.items = {
            item["did"]: dict(item)
            for item in doc["items"]
            if isinstance(item, Mapping) and isinstance(item.get("did"), str)
        }

    def lookup(self, issuer_id: str, *, now: datetime | None = None) -> TrustAnswer:
        item = self.items.get(issuer_id)
        if item is None:
            return TrustAnswer(
                "not-listed", self.name, issuer_id, detail=f"{issuer_id} is not in this list"
            )
        return TrustAnswer(
            "vouched",
            self.name,
            issuer_id,
            entry=item,
            detail="registered in the EBSI TIR issuer list (accreditation not given)",
        )
