"""A plain allow-list: the issuer DIDs, URLs and domains a verifier vouches for itself.

Text (one entry a line, an optional display name after it, ``#`` comments) or
JSON (a list of ids, or ``{"name": …, "issuers": [id | {"id", "name"}]}``).
Three kinds of entry, each compared structurally (:mod:`.identifiers`):

- a DID (``did:web:uni.example``, ``did:key:z6Mk…``): that issuer only;
- a URL (``https://uni.example/issuers/1``): that issuer id only, scheme and host
  case-insensitive, the path exact;
- a domain (``uni.example``, ``uni.example:8443``): every did:web and https issuer
  served by exactly that host and port — not its subdomains, not other ports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microcred_vc.errors import TrustRegistryInvalid
from microcred_vc.trust.base import TrustAnswer
from microcred_vc.trust.identifiers import Origin, identity_key, origin_of, parse_domain


@dataclass(frozen=True)
class AllowEntry:
    """One line of an allow-list, parsed."""

    text: str
    kind: str  # "did", "url" or "domain"
    key: tuple[object, ...] | None = None
    origin: Origin | None = None
    name: str | None = None


def parse_entry(text: str, name: str | None = None) -> AllowEntry:
    """An entry, or :class:`TrustRegistryInvalid` naming what is wrong with it."""
    text = text.strip()
    if text.startswith("did:") or "://" in text:
        key = identity_key(text)
        if key is None:
            raise TrustRegistryInvalid(
                f"{text!r} is not a DID or an http(s) URL the allow-list can match "
                "(no userinfo, no percent-encoded host)"
            )
        return AllowEntry(text, "did" if text.startswith("did:") else "url", key=key, name=name)
    origin = parse_domain(text)
    if origin is None:
        raise TrustRegistryInvalid(
            f"{text!r} is neither a DID, an http(s) URL nor a domain name (host[:port])"
        )
    return AllowEntry(text, "domain", origin=origin, name=name)


class AllowList:
    """Issuers the caller vouches for, given in memory or read from a file."""

    def __init__(
        self, entries: Iterable[str | AllowEntry | tuple[str, str | None]], name: str = "allow-list"
    ) -> None:
        self.name = name
        self.entries: list[AllowEntry] = []
        for entry in entries:
            if isinstance(entry, AllowEntry):
                self.entries.append(entry)
            elif isinstance(entry, tuple):
                self.entries.append(parse_entry(entry[0], entry[1]))
            elif isinstance(entry, str):
                self.entries.append(parse_entry(entry))
            else:
                raise TrustRegistryInvalid(f"allow-list entry {entry!r} is not a string")

    @classmethod
    def from_text(cls, text: str, name: str = "allow-list") -> AllowList:
        """One entry a line; what follows the first whitespace is the display name."""
        entries: list[AllowEntry] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            ident, *label = line.split(None, 1)
            try:
                entries.append(parse_entry(ident, label[0].strip() if label else None))
            except TrustRegistryInvalid as exc:
                raise TrustRegistryInvalid(f"line {number}: {exc.message}") from None
        if not entries:
            raise TrustRegistryInvalid("the allow-list has no entries")
        return cls(entries, name)

    @classmethod
    def from_json(cls, doc: Any, name: str = "allow-list") -> AllowList:
        """A JSON list of ids, or an object with ``issuers`` (ids or {id, name})."""
        items = doc.get("issuers") if isinstance(doc, Mapping) else doc
        if isinstance(doc, Mapping) and isinstance(doc.get("name"), str):
            name = doc["name"]
        if not isinstance(items, list) or not items:
            raise TrustRegistryInvalid("an allow-list needs a non-empty list of issuers")
        entries: list[tuple[str, str | None]] = []
        for index, item in enumerate(items):
            if isinstance(item, str):
                entries.append((item, None))
            elif isinstance(item, Mapping) and isinstance(item.get("id"), str):
                label = item.get("name")
                entries.append((item["id"], label if isinstance(label, str) else None))
            else:
                raise TrustRegistryInvalid(
                    f"issuers[{index}] is neither an id nor an object with an id"
                )
        return cls(entries, name)

    def lookup(self, issuer_id: str, *, now: datetime | None = None) -> TrustAnswer:
        key = identity_key(issuer_id)
        origin = origin_of(issuer_id)
        for entry in self.entries:
            exact = entry.key is not None and entry.key == key
            by_domain = entry.origin is not None and entry.origin == origin
            if exact or by_domain:
                how = f"entry {entry.text}" if exact else f"domain entry {entry.origin}"
                return TrustAnswer(
                    "vouched",
                    self.name,
                    issuer_id,
                    entry=entry.text,
                    name=entry.name,
                    detail=how,
                )
        return TrustAnswer(
            "not-listed", self.name, issuer_id, detail=f"{issuer_id} is not in {self.name}"
        )
