"""The Digital Credentials Consortium's issuer-registry JSON ("known issuers").

The DCC publishes its member, community and sandbox registries as one JSON
document: ``{"meta": {"created", "updated"}, "registry": {DID: {"name", "url",
"location"}}}`` (an older in-code form names the map ``entries``). An issuer is
vouched for when its DID is a key of that map; the entry's ``name`` is what a
wallet shows. DIDs are compared as :func:`~microcred_vc.trust.identifiers.identity_key`
does (a did:web's host case-insensitively, every other DID exactly).

The file is read as given: the caller decides which registries to use and in
which order (most authoritative first, as the DCC's own client does).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from microcred_vc.errors import TrustRegistryInvalid
from microcred_vc.trust.base import TrustAnswer
from microcred_vc.trust.identifiers import identity_key

MAP_KEYS = ("registry", "entries")


def is_dcc_registry(doc: Any) -> bool:
    """A JSON object whose ``registry`` (or ``entries`` beside ``meta``) maps DIDs to objects."""
    if not isinstance(doc, Mapping):
        return False
    table = doc.get("registry")
    if table is None and isinstance(doc.get("meta"), Mapping):
        table = doc.get("entries")
    return isinstance(table, Mapping) and all(isinstance(v, Mapping) for v in table.values())


class DccRegistry:
    """A DCC known-issuer registry read from its JSON."""

    def __init__(self, doc: Mapping[str, Any], name: str = "DCC issuer registry") -> None:
        if not is_dcc_registry(doc):
            raise TrustRegistryInvalid(
                'not a DCC issuer registry: expected {"registry": {DID: {name, url, location}}}'
            )
        table = doc.get("registry")
        if table is None:
            table = doc["entries"]
        self.name = name
        self.meta = doc.get("meta") if isinstance(doc.get("meta"), Mapping) else {}
        self.entries: dict[tuple[object, ...], tuple[str, Mapping[str, Any]]] = {}
        for did, entry in table.items():
            key = identity_key(did) if isinstance(did, str) and did.startswith("did:") else None
            if key is None:
                raise TrustRegistryInvalid(f"DCC registry key {did!r} is not a DID")
            self.entries.setdefault(key, (did, entry))

    def lookup(self, issuer_id: str, *, now: datetime | None = None) -> TrustAnswer:
        key = identity_key(issuer_id)
        found = self.entries.get(key) if key is not None else None
        if found is None:
            return TrustAnswer(
                "not-listed", self.name, issuer_id, detail=f"{issuer_id} is not in {self.name}"
            )
        did, entry = found
        label = entry.get("name")
        where = entry.get("location")
        detail = f"known issuer {did}" + (f", {where}" if isinstance(where, str) else "")
        return TrustAnswer(
            "vouched",
            self.name,
            issuer_id,
            entry=dict(entry),
            name=label if isinstance(label, str) else None,
            detail=detail,
        )
