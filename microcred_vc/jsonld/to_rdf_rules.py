"""The walk's rules that need no walk state: key classification, contexts, value objects.

Split from :mod:`microcred_vc.jsonld.to_rdf` to keep both readable; each
function mirrors one step of pyld's expansion and raises :class:`Fallback`
wherever pyld would raise or the construct is not covered.
"""

from __future__ import annotations

from typing import Any

from microcred_vc.jsonld.compiled_context import (
    MEMO_CAP,
    ContextFailed,
    TermTable,
    is_absolute,
    literal,
)
from microcred_vc.jsonld.nquads import IRI, Literal

ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = IRI(RDF + "type")
RDF_FIRST = IRI(RDF + "first")
RDF_REST = IRI(RDF + "rest")
RDF_NIL = IRI(RDF + "nil")
#: keywords a node object may carry in the covered subset
NODE_KEYWORDS = frozenset(("@id", "@type", "@type+", "@index", "@nest", "@graph"))
VALUE_KEYWORDS = frozenset(("@value", "@type", "@language", "@index", "@direction"))
LIST_KEYWORDS = frozenset(("@list", "@index"))
_iris: dict[str, IRI] = {}


class Fallback(Exception):
    """The fast path does not cover this document; ``reason`` names why (counted)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def intern_iri(value: str) -> IRI:
    got = _iris.get(value)
    if got is None:
        if len(_iris) > 65536:
            _iris.clear()
        got = _iris[value] = IRI(value)
    return got


def checked(iri: str | None) -> str:
    if iri is None:
        raise Fallback("null IRI")
    return iri


def check_property(iri: str) -> None:
    if iri.startswith(ISSUER_DEPENDENT):
        raise Fallback("issuer-dependent term")
    if iri.startswith("_:"):
        raise Fallback("blank node property")
    if not is_absolute(iri):
        raise Fallback("dropped property")


def has_list_object(value: Any, table: TermTable) -> bool:
    items = value if isinstance(value, list) else [value]
    return any(isinstance(v, dict) and is_list_object(v, table) for v in items)


def is_list_object(value: dict[str, Any], table: TermTable) -> bool:
    return any(table.vocab(k) == "@list" for k in value if k != "@context")


def classify(el: dict[str, Any], table: TermTable) -> dict[str, str]:
    """Keyword → key for the keys of ``el`` (safe mode: every other key must be a property).

    The answer depends only on the table and the keys in their order, so it is
    memoised on the table (nodes of one shape recur in every credential); callers
    must not change the dict they get.
    """
    keys = tuple(el)
    memo = table.kinds_memo
    got = memo.get(keys)
    if got is None:
        if len(memo) > MEMO_CAP:
            memo.clear()
        try:
            got = _classify(keys, table)
        except Fallback as exc:
            got = exc.reason
        memo[keys] = got
    if type(got) is str:
        raise Fallback(got)
    return got  # type: ignore[return-value]


def _classify(keys: tuple[str, ...], table: TermTable) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for key in keys:
        if key == "@context":
            continue
        e = table.vocab(key)
        if e is None:
            raise Fallback("dropped property")
        if e.startswith("@"):
            if e in kinds and e != "@type":
                raise Fallback("colliding keywords")
            if e == "@type" and e in kinds:
                kinds["@type+"] = key  # several keys alias @type: the node reads them all
                continue
            kinds[e] = key
        elif not is_absolute(e):
            raise Fallback("dropped property")
    return kinds


def prepare(table: TermTable, el: dict[str, Any]) -> tuple[TermTable, TermTable]:
    """pyld's ``_prepare_nested_context``: embedded, then type-scoped contexts.

    pyld checks each key, in sorted order, against the context as the type-scoped
    contexts of the keys before it left it; the table's memo of which keys are
    ``@type`` holds until a type-scoped context is applied, and the keys after
    that one are checked as pyld checks them.
    """
    if "@context" in el:
        local = el["@context"]
        if isinstance(local, dict) and len(local) == 1 and "@context" in local:
            raise ContextFailed("keyword redefinition")
        table = table.with_local(local)
    type_table = table
    for key in table.type_keys(tuple(el)):
        scoped = _type_scoped(table, type_table, el[key])
        if scoped is not table:
            table = scoped
            for later in sorted(k for k in el if k > key):
                if table.vocab(later) == "@type":
                    table = _type_scoped(table, type_table, el[later])
            break
    return table, type_table


def _type_scoped(table: TermTable, type_table: TermTable, value: Any) -> TermTable:
    """``table`` with the scoped contexts of the types in ``value`` (sorted) applied."""
    types = [t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)]
    for t in sorted(types):
        ctx = type_table.term(t).scoped
        if ctx is not None and ctx is not False:
            table = table.with_local(ctx, propagate=False)
    return table


def value_object(el: dict[str, Any], kinds: dict[str, str], table: TermTable) -> Literal | None:
    if set(kinds) - VALUE_KEYWORDS:
        raise Fallback("invalid value object")
    value = el[kinds["@value"]]
    if value is None:
        return None
    if isinstance(value, dict | list):
        raise Fallback("invalid value object value")
    datatype = None
    if "@type" in kinds:
        raw = el[kinds["@type"]]
        if not isinstance(raw, str):
            raise Fallback("invalid typed value")
        datatype = table.vocab(raw)
        if datatype is None or datatype == "@json" or not is_absolute(datatype):
            raise Fallback("typed value " + ("@json" if datatype == "@json" else "invalid"))
        if datatype.startswith("_:"):
            raise Fallback("invalid typed value")
    language = None
    if "@language" in kinds:
        raw = el[kinds["@language"]]
        if raw is not None:
            if not isinstance(raw, str) or not isinstance(value, str) or datatype is not None:
                raise Fallback("invalid language-tagged value")
            language = raw.lower()
    if "@index" in kinds and not isinstance(el[kinds["@index"]], str):
        raise Fallback("invalid @index")
    # without rdfDirection (pyld's default) toRdf leaves a direction out
    if "@direction" in kinds and (
        el[kinds["@direction"]] not in ("ltr", "rtl") or datatype is not None
    ):
        raise Fallback("invalid @direction")
    return literal(value, datatype, language)
