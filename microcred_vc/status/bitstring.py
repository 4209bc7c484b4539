"""Bitstring Status List (W3C Recommendation) and the older StatusList2021.

A status list is one GZIP-compressed bitstring per purpose, published as a
credential so that a verifier learns the status of *one* credential without
telling the issuer which one it is looking at (herd privacy). The bitstring is
therefore always at least 131,072 entries long, and the issuer never shrinks it.

This module holds the credential shapes (entries, list credentials); the
bitstring and its bounded decoding live in ``bits.py`` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from microcred_vc.errors import StatusListInvalid
from microcred_vc.status.bits import DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES
from microcred_vc.status.bits import MIN_ENTRIES as MIN_ENTRIES
from microcred_vc.status.bits import Bitstring as Bitstring
from microcred_vc.status.bits import decode_bits as decode_bits
from microcred_vc.status.bits import encode_bits as encode_bits

#: Purposes defined by the Recommendation.
PURPOSES = frozenset({"revocation", "suspension", "message", "refresh"})

BITSTRING_ENTRY = "BitstringStatusListEntry"
BITSTRING_CREDENTIAL = "BitstringStatusListCredential"
BITSTRING_LIST = "BitstringStatusList"
SL2021_ENTRY = "StatusList2021Entry"
SL2021_CREDENTIAL = "StatusList2021Credential"
SL2021_LIST = "StatusList2021"
SL2021_CONTEXT = "https://w3id.org/vc/status-list/2021/v1"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"

ENTRY_TYPES = frozenset({BITSTRING_ENTRY, SL2021_ENTRY})
LIST_CREDENTIAL_TYPES = frozenset({BITSTRING_CREDENTIAL, SL2021_CREDENTIAL})


@dataclass(frozen=True)
class StatusMessage:
    """One ``statusMessage`` item: a status value (hex in JSON) and what it means."""

    status: int
    message: str

    def to_json(self) -> dict[str, str]:
        return {"status": hex(self.status), "message": self.message}


@dataclass(frozen=True)
class StatusEntry:
    """A ``credentialStatus`` entry pointing into a status list."""

    purpose: str
    index: int
    list_url: str
    type: str = BITSTRING_ENTRY
    id: str | None = None
    status_size: int = 1
    messages: tuple[StatusMessage, ...] = field(default_factory=tuple)
    reference: str | None = None

    def message_for(self, value: int) -> str | None:
        return next((m.message for m in self.messages if m.status == value), None)

    def to_json(self) -> dict[str, Any]:
        """The JSON-LD entry as it goes into an issued credential."""
        out: dict[str, Any] = {}
        if self.id:
            out["id"] = self.id
        out["type"] = self.type
        out["statusPurpose"] = self.purpose
        out["statusListIndex"] = str(self.index)
        out["statusListCredential"] = self.list_url
        if self.type == BITSTRING_ENTRY and self.status_size != 1:
            out["statusSize"] = self.status_size
        if self.type == BITSTRING_ENTRY and self.messages:
            out["statusMessage"] = [m.to_json() for m in self.messages]
        if self.reference:
            out["statusReference"] = self.reference
        return out


def make_entry(
    list_url: str,
    index: int,
    purpose: str,
    *,
    status_size: int = 1,
    messages: Iterable[StatusMessage] = (),
) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` whose ``id`` is ``<list url>#<index>``."""
    if purpose not in PURPOSES:
        raise StatusListInvalid(f"unknown statusPurpose {purpose!r}")
    entry = StatusEntry(
        purpose,
        index,
        list_url,
        id=f"{list_url}#{index}",
        status_size=status_size,
        messages=tuple(messages),
    )
    return entry.to_json()


VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
#: Defines BitstringStatusListEntry for VC 1.1 documents (VC 2.0 has it in its own context).
STATUS_V1_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"


def attach_status(doc: dict[str, Any], status: Mapping[str, Any] | list[Any]) -> None:
    """Put ``status`` (an entry or a list of them) in ``doc`` as its ``credentialStatus``,
    with the context that defines it.

    A VC 1.1 document (an EDC) has no term for ``statusListCredential`` in its
    own contexts; signed as it is, safe mode refuses it (``UNDEFINED_TERM``), and
    an unsafe signer would sign a status entry whose quads say nothing. So the
    status context is appended whenever the VC 2.0 context is not there.
    """
    doc["credentialStatus"] = (
        [dict(e) for e in status] if isinstance(status, list) else dict(status)
    )
    contexts = doc.get("@context")
    if isinstance(contexts, str):
        contexts = [contexts]
    if isinstance(contexts, list) and not {VC2_CONTEXT, STATUS_V1_CONTEXT} & set(contexts):
        doc["@context"] = [*contexts, STATUS_V1_CONTEXT]


def _as_int(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise StatusListInvalid(f"{what} must be an integer, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise StatusListInvalid(f"{what} must be an integer, got {value!r}")
    if number < 0:
        raise StatusListInvalid(f"{what} must not be negative, got {number}")
    return number


def _types(obj: Mapping[str, Any]) -> list[str]:
    value = obj.get("type", [])
    return [value] if isinstance(value, str) else [t for t in value if isinstance(t, str)]


def parse_messages(raw: Any) -> tuple[StatusMessage, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise StatusListInvalid("statusMessage must be a list of {status, message}")
    out = []
    for item in raw:
        if not isinstance(item, Mapping) or "status" not in item:
            raise StatusListInvalid(f"statusMessage item is malformed: {item!r}")
        status = item["status"]
        try:
            value = int(status, 16) if isinstance(status, str) else _as_int(status, "status")
        except ValueError:
            raise StatusListInvalid(f"statusMessage status is not hex: {status!r}") from None
        out.append(StatusMessage(value, str(item.get("message", ""))))
    return tuple(out)


def parse_entry(raw: Mapping[str, Any]) -> StatusEntry:
    """Read a BitstringStatusListEntry or StatusList2021Entry; other types → error."""
    if not isinstance(raw, Mapping):
        raise StatusListInvalid("credentialStatus entry must be an object")
    kinds = [t for t in _types(raw) if t in ENTRY_TYPES]
    if not kinds:
        raise StatusListInvalid(f"unsupported credentialStatus type {raw.get('type')!r}")
    purpose = raw.get("statusPurpose")
    if not isinstance(purpose, str) or not purpose:
        raise StatusListInvalid("credentialStatus has no statusPurpose")
    url = raw.get("statusListCredential")
    if not isinstance(url, str) or not url:
        raise StatusListInvalid("credentialStatus has no statusListCredential URL")
    size = _as_int(raw.get("statusSize", 1), "statusSize")
    if not 1 <= size <= 16:
        raise StatusListInvalid(f"statusSize must be 1..16, got {size}")
    return StatusEntry(
        purpose=purpose,
        index=_as_int(raw.get("statusListIndex"), "statusListIndex"),
        list_url=url,
        type=kinds[0],
        id=raw.get("id") if isinstance(raw.get("id"), str) else None,
        status_size=size,
        messages=parse_messages(raw.get("statusMessage")),
        reference=raw.get("statusReference")
        if isinstance(raw.get("statusReference"), str)
        else None,
    )


def status_entries(credential: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The raw ``credentialStatus`` objects of a credential (one or many)."""
    raw = credential.get("credentialStatus")
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    return [item for item in items if isinstance(item, Mapping)]


@dataclass(frozen=True)
class StatusListSubject:
    """What a verifier needs from a status list credential's subject."""

    purposes: tuple[str, ...]
    encoded_list: str
    kind: str
    ttl: int | None = None

    def bitstring(
        self,
        status_size: int = 1,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        min_entries: int = MIN_ENTRIES,
    ) -> Bitstring:
        """Decode and enforce the minimum length (``min_entries`` × ``status_size`` bits).

        The Recommendation's minimum is 131,072 entries (herd privacy); an
        ecosystem may set a larger one, or a smaller one for legacy lists.
        """
        bits = Bitstring.decode(self.encoded_list, status_size=status_size, max_bytes=max_bytes)
        if bits.bit_length < min_entries * status_size:
            raise StatusListInvalid(
                f"status list holds {bits.bit_length} bits; the minimum is "
                f"{min_entries * status_size} ({min_entries:,} entries × statusSize {status_size})",
                code="STATUS_LIST_LENGTH_ERROR",
            )
        return bits


def parse_list_credential(credential: Mapping[str, Any]) -> StatusListSubject:
    """Read a BitstringStatusListCredential or StatusList2021Credential."""
    if not isinstance(credential, Mapping):
        raise StatusListInvalid("status list credential must be a JSON object")
    kinds = [t for t in _types(credential) if t in LIST_CREDENTIAL_TYPES]
    if not kinds:
        raise StatusListInvalid(f"not a status list credential (type {credential.get('type')!r})")
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, Mapping):
        raise StatusListInvalid("status list credential has no single credentialSubject")
    purpose = subject.get("statusPurpose")
    purposes = (purpose,) if isinstance(purpose, str) else tuple(purpose or ())
    if not purposes or not all(isinstance(p, str) for p in purposes):
        raise StatusListInvalid("status list credentialSubject has no statusPurpose")
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise StatusListInvalid("status list credentialSubject has no encodedList")
    ttl = subject.get("ttl")
    return StatusListSubject(
        purposes=purposes,
        encoded_list=encoded,
        kind=kinds[0],
        ttl=ttl if isinstance(ttl, int) and not isinstance(ttl, bool) else None,
    )


def build_list_credential(
    list_url: str,
    issuer: str | Mapping[str, Any],
    bits: Bitstring,
    purpose: str,
    *,
    valid_from: str | None = None,
    valid_until: str | None = None,
    ttl: int | None = None,
) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential (VC Data Model 2.0)."""
    if purpose not in PURPOSES:
        raise StatusListInvalid(f"unknown statusPurpose {purpose!r}")
    if bits.entries < MIN_ENTRIES:
        raise StatusListInvalid(
            f"a published status list needs at least {MIN_ENTRIES} entries, got {bits.entries}"
        )
    subject: dict[str, Any] = {
        "id": f"{list_url}#list",
        "type": BITSTRING_LIST,
        "statusPurpose": purpose,
        "encodedList": bits.encode(),
    }
    if ttl is not None:
        subject["ttl"] = ttl
    doc: dict[str, Any] = {
        "@context": [VC2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", BITSTRING_CREDENTIAL],
        "issuer": dict(issuer) if isinstance(issuer, Mapping) else issuer,
    }
    if valid_from:
        doc["validFrom"] = valid_from
    if valid_until:
        doc["validUntil"] = valid_until
    doc["credentialSubject"] = subject
    return doc
