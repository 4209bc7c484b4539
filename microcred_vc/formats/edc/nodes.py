"""A JSON-LD tree reader that remembers which keys it used, for honest loss reports.

EDC tools write compacted JSON-LD where a node may be described in one place
and referenced by ``{"id": ...}`` elsewhere; the reader resolves such
references and, at the end, names every key on a visited node that no mapping
consumed.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from microcred_vc.formats.base import Loss
from microcred_vc.formats.edc.common import lang_map, many, parse_datetime, read_concept
from microcred_vc.model import vocab

#: Keys that are JSON-LD or VC plumbing, regenerated on dump; never a loss.
PLUMBING = {"@context", "id", "type"}


class Reader:
    """Reads nodes and remembers which keys were used, for the loss report."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.visited: list[tuple[str, dict[str, Any], set[str]]] = []
        self.losses: list[Loss] = []
        self.described: dict[str, dict[str, Any]] = {}
        self._index(doc)

    def _index(self, value: Any) -> None:
        """Remember the fullest description of each node id: JSON-LD may reference
        a node by ``{"id": ...}`` and describe it elsewhere in the document."""
        if isinstance(value, dict):
            iri = value.get("id")
            if isinstance(iri, str) and len(value) > len(self.described.get(iri, {})):
                self.described[iri] = value
            for item in value.values():
                self._index(item)
        elif isinstance(value, list):
            for item in value:
                self._index(item)

    def node(self, value: Any, path: str) -> Node | None:
        if isinstance(value, str) and value in self.described:
            value = self.described[value]
        if not isinstance(value, dict):
            return None
        iri = value.get("id")
        if set(value) <= PLUMBING and isinstance(iri, str) and iri in self.described:
            value = self.described[iri]
        used: set[str] = set()
        self.visited.append((path, value, used))
        return Node(self, value, path, used)

    def nodes(self, value: Any, path: str) -> list[Node]:
        items = many(value)
        out = []
        for i, item in enumerate(items):
            node = self.node(item, f"{path}[{i}]" if len(items) > 1 else path)
            if node is not None:
                out.append(node)
        return out

    def unread(self) -> list[Loss]:
        out = list(self.losses)
        # a node visited twice at one path (by two mappings) is read once: a key is
        # unread only when no visit used it
        seen: dict[tuple[str, int], tuple[dict[str, Any], set[str]]] = {}
        for path, value, used in self.visited:
            _, union = seen.setdefault((path, id(value)), (value, set()))
            union |= used
        for (path, _), (value, used) in seen.items():
            for key in value:
                if key not in used and key not in PLUMBING:
                    out.append(
                        Loss(
                            f"{path}.{key}",
                            "no place for this EDC field in the micro-credential model",
                        )
                    )
        return out


class Node:
    def __init__(self, reader: Reader, value: dict[str, Any], path: str, used: set[str]) -> None:
        self.reader, self.value, self.path, self.used = reader, value, path, used

    def raw(self, key: str) -> Any:
        if key in self.value:
            self.used.add(key)
        return self.value.get(key)

    def child(self, key: str) -> Node | None:
        """The node under ``key``; when a list is found where the hub keeps one, the
        first is read and the others stay unread, hence reported."""
        found = self.children(key)
        return found[0] if found else None

    def children(self, key: str) -> list[Node]:
        return self.reader.nodes(self.raw(key), f"{self.path}.{key}")

    def text(self, key: str) -> dict[str, str] | None:
        return lang_map(self.raw(key))

    def note(self, key: str) -> dict[str, str] | None:
        found = self.child(key)
        return found.text("noteLiteral") if found else None

    def concept(self, key: str) -> vocab.Concept | None:
        found = self.child(key)
        if found is None:
            return read_concept(self.raw(key))
        found.raw("inScheme"), found.raw("prefLabel"), found.raw("notation")
        return read_concept(found.value)

    def concepts(self, key: str) -> list[vocab.Concept]:
        out = []
        for node in self.children(key):
            node.raw("inScheme"), node.raw("prefLabel"), node.raw("notation")
            found = read_concept(node.value)
            if found is not None:
                out.append(found)
        return out

    def moment(self, key: str) -> Any:
        """A date-time; one without a time zone (seen in EDCI samples) is read as UTC, and said so."""
        value = self.raw(key)
        parsed = parse_datetime(value)
        if parsed is None or parsed.tzinfo is not None:
            return value
        self.reader.losses.append(Loss(f"{self.path}.{key}", "no time zone given; read as UTC"))
        return parsed.replace(tzinfo=UTC)

    def lose(self, key: str, reason: str) -> None:
        if key in self.value:
            self.used.add(key)
            self.reader.losses.append(Loss(f"{self.path}.{key}", reason))
