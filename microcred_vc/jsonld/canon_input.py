"""Adapters from term objects and pyld datasets to the canonicaliser's input.

The canonicaliser (:mod:`microcred_vc.jsonld.canon`) works on quads as four
canonical N-Quads term strings. Text goes through the strict parser; term
objects and pyld ``to_rdf`` datasets come through here, where each term is
checked with the same rules the parser applies, because a term the parser
would refuse (an IRI holding ``> <``, a label with a space, a language tag with
a newline) could make two different datasets serialise, hash and be signed
identically.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from microcred_vc.errors import CanonicalizationError
from microcred_vc.jsonld.nquads import (
    IRI,
    RDF_LANGSTRING,
    XSD_STRING,
    BlankNode,
    Literal,
    Quad,
    Term,
    escape_literal,
    has_surrogate,
    is_valid_bnode_id,
    is_valid_iri,
    is_valid_language,
)

SerializedQuad = tuple[str, str, str, str]


class TermSerializer:
    """Term objects to canonical strings, validating what the text parser would.

    Term objects may come from anywhere (pyld, callers); an IRI holding ``>``
    or a space, a blank node id with a space, or a language tag with a newline
    would make two different datasets serialise, hash and sign identically.
    Such terms are refused here with the rules the N-Quads parser applies.
    """

    def __init__(self) -> None:
        self.iris: dict[str, str] = {}
        self.bnodes: dict[str, str] = {}

    def iri(self, term: Any, where: str) -> str:
        if not isinstance(term, IRI):
            raise CanonicalizationError(f"{where} must be an IRI, not {type(term).__name__}")
        return self.iri_value(term.value)

    def iri_value(self, value: Any) -> str:
        got = self.iris.get(value) if isinstance(value, str) else None
        if got is None:
            if not isinstance(value, str) or not is_valid_iri(value):
                raise CanonicalizationError(f"not a valid absolute IRI: {value!r}", iri=str(value))
            got = self.iris[value] = f"<{value}>"
        return got

    def node(self, term: Any, where: str) -> str:
        if isinstance(term, BlankNode):
            got = self.bnodes.get(term.id) if isinstance(term.id, str) else None
            if got is None:
                if not isinstance(term.id, str) or not is_valid_bnode_id(term.id):
                    raise CanonicalizationError(
                        f"not a valid blank node label: {term.id!r}", label=str(term.id)
                    )
                got = self.bnodes[term.id] = f"_:{term.id}"
            return got
        if not isinstance(term, IRI):
            raise CanonicalizationError(
                f"{where} must be an IRI or a BlankNode, not {type(term).__name__}"
            )
        return self.iri_value(term.value)

    def object(self, term: Any) -> str:
        if isinstance(term, Literal):
            if not isinstance(term.value, str) or has_surrogate(term.value):
                raise CanonicalizationError(
                    f"literal value must be a str of Unicode characters: {term.value!r}"
                )
            body = f'"{escape_literal(term.value)}"'
            if term.language:
                if not isinstance(term.language, str) or not is_valid_language(term.language):
                    raise CanonicalizationError(
                        f"not a valid language tag: {term.language!r}", language=str(term.language)
                    )
                return f"{body}@{term.language}"
            if term.datatype and term.datatype != XSD_STRING:
                return f"{body}^^{self.iri_value(term.datatype)}"
            return body
        if not isinstance(term, IRI | BlankNode):
            raise CanonicalizationError(
                f"object must be an IRI, a BlankNode or a Literal, not {type(term).__name__}"
            )
        return self.node(term, "object")


def serialize_terms(quads: Iterable[Sequence[Any]]) -> Iterator[SerializedQuad]:
    """Yield each quad as canonical term strings, ``""`` for the default graph."""
    ts = TermSerializer()
    for q in quads:
        if len(q) == 4:
            s, p, o, g = q
        elif len(q) == 3:
            s, p, o = q
            g = None
        else:
            raise CanonicalizationError(f"a quad has 3 or 4 components, not {len(q)}")
        try:
            yield (
                ts.node(s, "subject"),
                ts.iri(p, "predicate"),
                ts.object(o),
                "" if g is None else ts.node(g, "graph name"),
            )
        except CanonicalizationError as exc:
            exc.details.setdefault("quad", repr(q)[:300])
            raise


def _pyld_term(node: Any) -> Term:
    if not isinstance(node, Mapping):
        raise CanonicalizationError(f"pyld term must be a dict, not {type(node).__name__}")
    kind = node.get("type")
    value = node.get("value")
    if not isinstance(value, str):
        raise CanonicalizationError(f"pyld term without a string value: {node!r}")
    if kind == "IRI":
        return IRI(value)
    if kind == "blank node":
        return BlankNode(value[2:] if value.startswith("_:") else value)
    if kind == "literal":
        language = node.get("language")
        if language:
            return Literal(value, RDF_LANGSTRING, language)
        return Literal(value, node.get("datatype") or XSD_STRING)
    raise CanonicalizationError(f"unknown pyld term type {kind!r}")


def quads_from_pyld(dataset: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[Quad]:
    """Convert pyld's ``to_rdf`` dataset (``{"@default": [triple, ...], name: [...]}``)."""
    if not isinstance(dataset, Mapping):
        raise CanonicalizationError("pyld dataset must be a dict of graph name to triples")
    out: list[Quad] = []
    for name, triples in dataset.items():
        graph: IRI | BlankNode | None
        if not isinstance(name, str):
            raise CanonicalizationError(f"pyld graph name must be a string, not {name!r}")
        if name == "@default":
            graph = None
        elif name.startswith("_:"):
            graph = BlankNode(name[2:])
        else:
            graph = IRI(name)
        if not isinstance(triples, Iterable) or isinstance(triples, str | bytes | Mapping):
            raise CanonicalizationError(f"pyld graph {name!r} must hold a list of triples")
        for t in triples:
            try:
                s, p, o = t["subject"], t["predicate"], t["object"]
            except (KeyError, TypeError):
                raise CanonicalizationError(f"malformed pyld triple: {t!r}") from None
            out.append(Quad(_pyld_term(s), _pyld_term(p), _pyld_term(o), graph))  # type: ignore[arg-type]
    return out
