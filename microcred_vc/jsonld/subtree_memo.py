"""Quads of repeated JSON subtrees, walked once and replayed (issue 22, batch signing).

Why: a batch signs hundreds of credentials that differ only in the learner's part;
the course (an OB3 ``achievement`` is ~80% of the document) is walked into the same
quads every time. The compiled walk of a subtree is a pure function of the active
term table, the property it sits under, two flags, its JSON content and the walk's
blank node counter at entry, provided it names no document blank node (``_:x``,
whose label depends on the rest of the document) and sits in the default graph.
So the quads are recorded with their fresh blank nodes as offsets from that
counter and replayed with the counter of the new document: the result is exactly
what walking would have produced, labels included, so parity with pyld holds.

What keeps it safe: the key is the subtree's exact JSON text (orjson, key order
kept), so two keys are equal only when the contents are; values that are not
plain JSON (datetimes, subclasses, dataclasses, integers beyond 64 bits) and
``null``, which orjson also writes for NaN, are never memoised. What keeps it
cheap: only the first :data:`MAX_DEPTH` levels below the root are keyed (the
cost is a serialisation of those subtrees, bounded by a few times the document),
a subtree is stored only once it is seen a second time (a learner's own part is
seen once and costs only its key), and both memos are bounded in bytes, per term
table and for the whole process, and start over when full.
"""

from __future__ import annotations

import weakref
from typing import Any

import orjson

from microcred_vc.jsonld.compiled import use_subtree_memo as use_memo
from microcred_vc.jsonld.nquads import BlankNode, Quad

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_TOTAL_BYTES",
    "SubtreeMemo",
    "content_key",
    "memo_of",
    "replay",
    "total_bytes",
    "use_memo",
]

#: element depths (the root is 0) whose subtrees are keyed: credentialSubject (1),
#: achievement (2) and their children (3) in an OB3 credential
MAX_DEPTH = 3
#: bytes of keys held per term table, in each of the two memos, before it starts over
MAX_BYTES = 4 << 20
#: bytes held by all memos of the process (documents can make many tables)
MAX_TOTAL_BYTES = 32 << 20
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS
_OPTIONS |= orjson.OPT_PASSTHROUGH_DATACLASS

#: one recorded subtree: quads as (subject, predicate, object, graph) with fresh blank
#: nodes as offsets (ints), the element's result (or its offset), and the fresh nodes
#: used. The graph is recorded too: the subtree starts in the default graph, but a
#: graph container inside it (a proof set) names its graphs with fresh blank nodes.
Template = tuple[tuple[tuple[Any, Any, Any, Any], ...], Any, int]


def content_key(el: dict[str, Any]) -> bytes | None:
    """The exact JSON text of ``el``, or None if it must not be memoised."""
    try:
        text = orjson.dumps(el, option=_OPTIONS)
    except TypeError:  # not plain JSON, or an integer orjson cannot write
        return None
    return None if b"null" in text else text


def _offset(term: Any, start: int) -> Any:
    if type(term) is BlankNode:
        return int(term.id[1:]) - start  # fresh labels are b<n>; see Walk.fresh
    return term


class SubtreeMemo:
    """Recorded subtrees of one term table (see the module docstring)."""

    __slots__ = ("__weakref__", "_seen", "_seen_bytes", "_stored", "_stored_bytes")

    def __init__(self) -> None:
        self._seen: set[tuple[Any, ...]] = set()
        self._seen_bytes = 0
        self._stored: dict[tuple[Any, ...], Template] = {}
        self._stored_bytes = 0
        _MEMOS.add(self)

    def get(self, key: tuple[Any, ...]) -> Template | None:
        return self._stored.get(key)

    def record(
        self, key: tuple[Any, ...], quads: list[Quad], result: Any, start: int, end: int
    ) -> None:
        """Keep the quads a walk of ``key`` emitted, if it is seen for the second time."""
        size = len(key[-1])
        if key not in self._seen:
            if self._seen_bytes + size > MAX_BYTES:
                _spent(-self._seen_bytes)
                self._seen.clear()
                self._seen_bytes = 0
            self._seen.add(key)
            self._seen_bytes += size
            _spent(size)
            return
        size *= 2  # the key and, about as large, its quads
        if self._stored_bytes + size > MAX_BYTES:
            _spent(-self._stored_bytes)
            self._stored.clear()
            self._stored_bytes = 0
        template = tuple(
            (_offset(q[0], start), q[1], _offset(q[2], start), _offset(q[3], start)) for q in quads
        )
        self._stored[key] = (template, _offset(result, start), end - start)
        self._stored_bytes += size
        _spent(size)

    def clear(self) -> None:
        self._seen.clear()
        self._stored.clear()
        self._seen_bytes = self._stored_bytes = 0


#: every memo of the process (tables are many: one per context combination), so that
#: their total stays under MAX_TOTAL_BYTES whatever documents choose
_MEMOS: weakref.WeakSet[SubtreeMemo] = weakref.WeakSet()
_total = 0


def _spent(size: int) -> None:
    """Count ``size`` bytes (negative: freed); past the process cap, every memo starts over."""
    global _total
    _total += size
    if _total > MAX_TOTAL_BYTES:
        for memo in list(_MEMOS):
            memo.clear()
        _total = 0


def total_bytes() -> int:
    """Bytes the memos of this process account for (bounded by MAX_TOTAL_BYTES)."""
    return _total


def replay(template: Template, out: list[Quad], start: int) -> Any:
    """Append the template's quads to ``out`` for a walk whose counter is ``start``;
    returns the element's result (the caller advances its counter by ``template[2]``)."""
    quads, result, _ = template
    nodes: dict[int, BlankNode] = {}

    def node(offset: int) -> BlankNode:
        got = nodes.get(offset)
        if got is None:
            got = nodes[offset] = BlankNode(f"b{start + offset}")
        return got

    append = out.append
    for s, p, o, g in quads:
        append(
            Quad(
                node(s) if type(s) is int else s,
                p,
                node(o) if type(o) is int else o,
                node(g) if type(g) is int else g,
            )
        )
    return node(result) if type(result) is int else result


def memo_of(table: Any) -> SubtreeMemo:
    """The memo kept on ``table`` (created on first use; tables live as long as their
    loader's context cache, so the memo does too)."""
    memo = table.subtrees
    if memo is None:
        memo = table.subtrees = SubtreeMemo()
    return memo
