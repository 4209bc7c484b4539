"""The walk's rules that need no walk state: key classification, contexts, value objects.

Split from :mod:`microcred_vc.jsonld.to_rdf` to keep both readable; each
function mirrors one step of pyld's expansion and raises :class:`Fallback`
wherever pyld would raise or the construct is not covered.
"""

from __future__ import annotations

from typing import Any

from microcred_vc.jsonld.compiled_context import ContextFailed, TermTable, is_absolute, literal
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
    """Keyword → key for the keys of ``el`` (safe mode: every other key must be a property)."""
    kinds: dict[str, str] = {}
    for key in el:
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
    """pyld's ``_prepare_nested_context``: embedded, then type-scoped contexts."""
    if "@context" in el:
        local = el["@context"]
        if isinstance(local, dict) and len(local) == 1 and "@context" in local:
            raise ContextFailed("keyword redefinition")
        table = table.with_local(local)
    type_table = table
    for key in sorted(el):
        if table.vocab(key) != "@type":
            continue
        value = el[key]
        types = [t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)]
        for t in sorted(types):
            ctx = type_table.term(t).scoped
            if ctx is not None and ctx is not False:
                table = table.with_local(ctx, propagate=False)
    return table, type_table


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
