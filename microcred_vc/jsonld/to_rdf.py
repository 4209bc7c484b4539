"""One walk over a JSON-LD document, emitting quads: expansion, node map and toRdf fused.

Why: the reference path builds an expanded document, a node map and pyld quad
dicts, then converts those into our terms; each step allocates the whole
document again and pyld's node map de-duplicates values by scanning lists
(quadratic in a property's value count). Here every key is resolved through a
memoised :class:`~microcred_vc.jsonld.compiled_context.TermTable` and each
statement becomes one :class:`~microcred_vc.jsonld.nquads.Quad` as soon as
its subject is known. Duplicates are left to the canonicaliser, which treats
the quads as a set (RDF dataset semantics), so cost is linear.

The walk mirrors pyld's ``_expand``/``_expand_object`` step by step (context
reverting, property-scoped then embedded then type-scoped contexts, keys in
sorted order) for the constructs credentials use. Anything else, and every
case where the reference path would raise (safe-mode refusals included),
raises :class:`Fallback` with a short reason: the caller then runs the
reference path, which produces the result or the exact error and JSON path
wording. So this module never has to reproduce an error message, only to
recognise that one is due.
"""

from __future__ import annotations

from typing import Any

from microcred_vc.jsonld import compiled
from microcred_vc.jsonld.compiled_context import (
    ContextFailed,
    Term,
    TermTable,
    is_absolute,
    literal,
)
from microcred_vc.jsonld.nquads import IRI, BlankNode, Literal, Quad
from microcred_vc.jsonld.subtree_memo import MAX_DEPTH, content_key, memo_of, replay
from microcred_vc.jsonld.to_rdf_rules import (
    ISSUER_DEPENDENT,
    LIST_KEYWORDS,
    NODE_KEYWORDS,
    RDF_FIRST,
    RDF_NIL,
    RDF_REST,
    RDF_TYPE,
    Fallback,
    check_property,
    checked,
    classify,
    has_list_object,
    intern_iri,
    is_list_object,
    prepare,
    value_object,
)

__all__ = ["Fallback", "Walk", "document_quads"]


def _node_id(value: str, walk: Walk) -> IRI | BlankNode:
    """A node identifier as pyld's safe mode accepts it (else the reference path raises)."""
    if value.startswith("_:"):
        return walk.label(value)
    if not is_absolute(value):
        raise Fallback("relative IRI")
    return intern_iri(value)


class Walk:
    """State of one document's walk: the quads so far and blank node labels."""

    def __init__(self) -> None:
        self.quads: list[Quad] = []
        #: the graph statements go to (``None``: default; a graph container's blank node)
        self.graph: BlankNode | None = None
        self._count = 0
        self._labels: dict[str, BlankNode] = {}
        #: how many ``label`` calls so far: a subtree that made one is not memoised
        self._label_calls = 0
        #: enclosing ``element`` calls (the root is walked at depth 0)
        self._depth = 0
        #: whether repeated subtrees are replayed (:mod:`~microcred_vc.jsonld.subtree_memo`)
        self.memo = compiled.MEMO

    def fresh(self) -> BlankNode:
        self._count += 1
        return BlankNode(f"b{self._count}")

    def label(self, label: str) -> BlankNode:
        """The document's own ``_:x`` labels, mapped consistently (pyld relabels them too)."""
        self._label_calls += 1
        got = self._labels.get(label)
        if got is None:
            got = self._labels[label] = BlankNode(f"d{len(self._labels)}")
        return got

    # -- elements ------------------------------------------------------------
    def values(
        self,
        value: Any,
        table: TermTable,
        key: str | None,
        inside_list: bool,
        inside_index: bool = False,
    ) -> list[Any]:
        """Objects (terms, or ``("list", [...])``) of ``value`` under property ``key``."""
        if value is None:
            return []
        if isinstance(value, list):
            term = table.term(key) if key is not None else None
            inner = inside_list or (term is not None and term.list)
            out: list[Any] = []
            for item in value:
                if isinstance(item, list):
                    # pyld: an array in a list is a nested list, elsewhere it is flattened
                    if inner:
                        out.append(self.make_list(self.values(item, table, key, True)))
                    else:
                        out.extend(self.values(item, table, key, False, inside_index))
                    continue
                if isinstance(item, dict):
                    got = self.element(item, table, key, inner, inside_index)
                    if got is not None:
                        out.append(got)
                elif item is not None:
                    got = self.scalar(item, table, key, inner)
                    if got is not None:
                        out.append(got)
            return out
        if isinstance(value, dict):
            got = self.element(value, table, key, inside_list, inside_index)
        else:
            got = self.scalar(value, table, key, inside_list)
        return [] if got is None else [got]

    def scalar(self, value: Any, table: TermTable, key: str | None, inside_list: bool) -> Any:
        """pyld's ``_expand_value`` followed by ``_object_to_rdf``."""
        if key is None:
            return None
        term = table.term(key)
        if not inside_list and term.iri == "@graph":
            return None
        if term.iri is None or term.iri.startswith("@"):
            raise Fallback("keyword scalar")
        coerce = term.type
        if isinstance(value, str):
            if coerce == "@id":
                return _node_id(checked(table.doc(value)), self)
            if coerce == "@vocab":
                return _node_id(checked(table.vocab(value)), self)
        if coerce is not None and coerce not in ("@id", "@vocab", "@none"):
            return literal(value, coerce, None)
        if isinstance(value, str):
            return literal(value, None, term.language)  # a direction is left out, as in pyld
        return literal(value, None, None)

    def element(
        self,
        el: dict[str, Any],
        table: TermTable,
        key: str | None,
        inside_list: bool,
        inside_index: bool = False,
    ) -> Any:
        """A JSON object: a value, list or node object (its quads emitted).

        Near the root, a subtree walked before under the same table is replayed
        from its memo instead (see :mod:`~microcred_vc.jsonld.subtree_memo`).
        """
        depth = self._depth
        memo = mkey = None
        if self.memo and key is not None and depth <= MAX_DEPTH and self.graph is None:
            content = content_key(el)
            if content is not None:
                memo, mkey = memo_of(table), (key, inside_list, inside_index, content)
                template = memo.get(mkey)
                if template is not None:
                    start = self._count
                    self._count += template[2]
                    return replay(template, self.quads, start)
        first, start, labels = len(self.quads), self._count, self._label_calls
        self._depth = depth + 1
        try:
            got = self._element(el, table, key, inside_list, inside_index)
        finally:
            self._depth = depth
        if memo is not None and self._label_calls == labels:
            memo.record(mkey, self.quads[first:], got, start, self._count)
        return got

    def _element(
        self,
        el: dict[str, Any],
        table: TermTable,
        key: str | None,
        inside_list: bool,
        inside_index: bool,
    ) -> Any:
        scoped = table.term(key).scoped if key is not None else None
        free = not inside_list and (key is None or table.vocab(key) == "@graph")
        type_scoped = table if table.has_previous else None
        revert = not inside_index
        if revert and type_scoped is not None and len(el) <= 2 and "@context" not in el:
            for k in sorted(el):
                e = type_scoped.vocab(k)
                if e == "@value":
                    revert = False
                    table = type_scoped
                    break
                if e == "@id" and len(el) == 1:
                    revert = False
                    break
        if revert:
            table = table.revert()
        try:
            if scoped is not None:
                table = table.with_local(scoped, override_protected=True)
            table, type_table = prepare(table, el)
        except ContextFailed:
            raise Fallback("context error") from None
        kinds = classify(el, table)
        if "@value" in kinds or "@list" in kinds:
            if len(kinds) != len(el) - ("@context" in el):
                raise Fallback("value or list object with properties")
            if "@value" in kinds:
                return None if free else value_object(el, kinds, type_table)
            if free or set(kinds) - LIST_KEYWORDS:
                raise Fallback("free-floating or invalid list object")
            return self.make_list(self.values(el[kinds["@list"]], table, key, True))
        return self.node(el, kinds, table, type_table, free)

    def node(
        self,
        el: dict[str, Any],
        kinds: dict[str, str],
        table: TermTable,
        type_table: TermTable,
        free: bool,
        subject: IRI | BlankNode | None = None,
    ) -> Any:
        if set(kinds) - NODE_KEYWORDS:
            raise Fallback("keyword " + min(set(kinds) - NODE_KEYWORDS))
        if "@graph" in kinds:
            return self._graph(el, kinds, table, free)
        if subject is None:
            if "@id" in kinds:
                raw = el[kinds["@id"]]
                if not isinstance(raw, str):
                    raise Fallback("invalid @id")
                subject = _node_id(checked(table.doc(raw)), self)
            else:
                subject = self.fresh()
        if "@type+" in kinds:
            for k in el:
                if k != "@context" and table.vocab(k) == "@type":
                    self._types(el[k], type_table, subject)
        elif "@type" in kinds:
            self._types(el[kinds["@type"]], type_table, subject)
        if "@index" in kinds and not isinstance(el[kinds["@index"]], str):
            raise Fallback("invalid @index")
        self._properties(el, table, subject)
        if "@nest" in kinds:
            raise Fallback("@nest")
        return subject

    def _graph(
        self, el: dict[str, Any], kinds: dict[str, str], table: TermTable, free: bool
    ) -> Any:
        """Only the top-level ``{"@context": ..., "@graph": [...]}`` envelope is covered."""
        if (
            not free
            or len(kinds) != 1
            or any(k != "@context" and k not in kinds.values() for k in el)
        ):
            raise Fallback("@graph")
        gkey = kinds["@graph"]
        value = el[gkey]
        if not isinstance(value, dict | list):
            raise Fallback("invalid @graph")
        self.values(value, table, gkey, False)
        return None

    def _types(self, raw: Any, table: TermTable, subject: IRI | BlankNode) -> None:
        quads = self.quads
        for t in raw if isinstance(raw, list) else [raw]:
            if not isinstance(t, str):
                raise Fallback("invalid @type")
            iri = table.vocab(t)
            if iri is None or not is_absolute(iri) or iri.startswith(ISSUER_DEPENDENT):
                raise Fallback("undefined type")
            obj = self.label(iri) if iri.startswith("_:") else intern_iri(iri)
            quads.append(Quad(subject, RDF_TYPE, obj, self.graph))

    def _properties(self, el: dict[str, Any], table: TermTable, subject: IRI | BlankNode) -> None:
        quads = self.quads
        for key, value in el.items():
            if key == "@context":
                continue
            term = table.term(key)
            pred = term.iri_term
            if pred is None:
                continue  # a keyword, handled by the caller
            check_property(term.iri)  # type: ignore[arg-type]
            term_table = table
            if term.scoped is not None:
                try:
                    term_table = table.with_local(term.scoped, override_protected=True)
                except ContextFailed:
                    raise Fallback("context error") from None
            objs = self._objects(key, value, term, table, term_table)
            if objs is None:
                continue
            if term.reverse:
                for o in objs:
                    if isinstance(o, Literal | tuple):
                        raise Fallback("invalid reverse value")
                    quads.append(Quad(o, pred, subject, self.graph))
                continue
            for o in objs:
                if type(o) is tuple:
                    o = self.make_list(o[1])
                quads.append(Quad(subject, pred, o, self.graph))

    def _objects(
        self, key: str, value: Any, term: Term, table: TermTable, term_table: TermTable
    ) -> list[Any] | None:
        container = term.container
        if container:
            if "@id" in container or "@type" in container:
                raise Fallback("container " + "/".join(sorted(container)))
            if "@graph" in container:
                if container - {"@graph", "@set"} or term.type == "@json":
                    raise Fallback("container " + "/".join(sorted(container)))
                if value is None:
                    return None  # null expands to nothing, in a graph container too
                return self._graphs(key, value, term_table)
            if isinstance(value, dict):
                if "@language" in container:
                    return self._language_map(value, term, term_table)
                if "@index" in container:
                    return self._index_map(key, value, term_table)
        if term.type == "@json":
            if term.list or term.reverse:
                raise Fallback("@json list or reverse")
            return [literal(value, "@json", None)]
        if term.reverse and (term.list or has_list_object(value, term_table)):
            raise Fallback("invalid reverse value")
        if value is None:
            return None
        objs = self.values(value, term_table, key, False)
        if term.list and not (isinstance(value, dict) and is_list_object(value, term_table)):
            return [("list", objs)]
        return objs

    def _graphs(self, key: str, value: Any, table: TermTable) -> list[Any]:
        """A graph container: each value is a node in a graph of its own, named by a blank node."""
        out: list[Any] = []
        outer = self.graph
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            if not isinstance(item, dict) or any(
                table.vocab(k) in ("@list", "@value", "@set") for k in item if k != "@context"
            ):
                raise Fallback("graph container value")  # only node objects are covered
            self.graph = name = self.fresh()
            try:
                got = self.element(item, table, key, False)
            finally:
                self.graph = outer
            if not isinstance(got, IRI | BlankNode):
                raise Fallback("graph container value")
            out.append(name)
        return out

    def _language_map(self, value: dict[str, Any], term: Term, table: TermTable) -> list[Any]:
        out: list[Any] = []
        for lang, items in sorted(value.items()):
            none = table.vocab(lang) == "@none"
            for item in items if isinstance(items, list) else [items]:
                if item is None:
                    continue
                if not isinstance(item, str):
                    raise Fallback("invalid language map value")
                out.append(literal(item, None, None if none else lang.lower()))
        return out

    def _index_map(self, key: str, value: dict[str, Any], table: TermTable) -> list[Any]:
        index = table.term(key).index
        if index is not None and index != "@index":
            raise Fallback("property-valued index")
        out: list[Any] = []
        for v in value.values():
            out.extend(self.values(v if isinstance(v, list) else [v], table, key, False, True))
        return out

    def make_list(self, items: list[Any]) -> IRI | BlankNode:
        """An rdf:List of ``items`` (the head), its quads emitted; linear in its length."""
        if not items:
            return RDF_NIL
        quads = self.quads
        head = node = self.fresh()
        last = len(items) - 1
        for i, item in enumerate(items):
            if type(item) is tuple:
                item = self.make_list(item[1])
            quads.append(Quad(node, RDF_FIRST, item, self.graph))
            nxt = RDF_NIL if i == last else self.fresh()
            quads.append(Quad(node, RDF_REST, nxt, self.graph))
            node = nxt  # type: ignore[assignment]
        return head


def document_quads(doc: Any, root: TermTable) -> list[Quad]:
    """Quads of ``doc`` walked from the initial table ``root`` (raises :class:`Fallback`)."""
    walk = Walk()
    if isinstance(doc, list):
        raise Fallback("top-level array")
    if not isinstance(doc, dict):
        raise Fallback("not an object")
    walk.element(doc, root, None, False)
    return walk.quads
