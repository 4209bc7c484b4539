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

#: Process-wide: IRIs and blank node labels already checked, to their N-Quads form.
#: Checking is a pure function of the exact string, so the answer is shared by every
#: call (a credential's vocabulary IRIs and ``b0``… labels recur in every credential);
#: only exact ``str`` values are kept, and a cache past :data:`CACHE_CAP` starts over
#: (documents choose their IRIs: a long-running verifier must not keep them all).
_CHECKED_IRIS: dict[str, str] = {}
_CHECKED_LABELS: dict[str, str] = {}
#: Literals of exact ``str`` parts, (value, datatype, language) -> N-Quads form: the same
#: rule (checking and escaping are pure functions of the three strings); a batch's
#: course literals recur in every credential, and escaping them was a tenth of signing.
_CHECKED_LITERALS: dict[tuple[str, str, str | None], str] = {}
CACHE_CAP = 65536


class TermSerializer:
    """Term objects to canonical strings, validating what the text parser would.

    Term objects may come from anywhere (pyld, callers); an IRI holding ``>``
    or a space, a blank node id with a space, or a language tag with a newline
    would make two different datasets serialise, hash and sign identically.
    Such terms are refused here with the rules the N-Quads parser applies.
    """

    def __init__(self) -> None:
        if len(_CHECKED_IRIS) > CACHE_CAP:
            _CHECKED_IRIS.clear()
        if len(_CHECKED_LABELS) > CACHE_CAP:
            _CHECKED_LABELS.clear()
        if len(_CHECKED_LITERALS) > CACHE_CAP:
            _CHECKED_LITERALS.clear()
        self.iris = _CHECKED_IRIS
        self.bnodes = _CHECKED_LABELS

    def iri(self, term: Any, where: str) -> str:
        if not isinstance(term, IRI):
            raise CanonicalizationError(f"{where} must be an IRI, not {type(term).__name__}")
        return self.iri_value(term.value)

    def iri_value(self, value: Any) -> str:
        got = self.iris.get(value) if type(value) is str else None
        if got is None:
            if not isinstance(value, str) or not is_valid_iri(value):
                raise CanonicalizationError(f"not a valid absolute IRI: {value!r}", iri=str(value))
            got = f"<{value}>"
            if type(value) is str:
                self.iris[value] = got
        return got

    def node(self, term: Any, where: str) -> str:
        if isinstance(term, BlankNode):
            label = term.id
            got = self.bnodes.get(label) if type(label) is str else None
            if got is None:
                if not isinstance(label, str) or not is_valid_bnode_id(label):
                    raise CanonicalizationError(
                        f"not a valid blank node label: {label!r}", label=str(label)
                    )
                got = f"_:{label}"
                if type(label) is str:
                    self.bnodes[label] = got
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
    """Yield each quad as canonical term strings, ``""`` for the default graph.

    Terms of exactly our types take an inline path (a dict lookup for an IRI or a
    label seen before in this call); anything else, and every first sighting, goes
    through :class:`TermSerializer`, whose checks and errors are the rules. Why: this
    runs once per quad of every credential signed or verified, and the method calls
    and ``isinstance`` chains were a fifth of signing an OB3 credential.
    """
    ts = TermSerializer()
    iris, bnodes, literals = ts.iris, ts.bnodes, _CHECKED_LITERALS
    iri_t, bnode_t, literal_t = IRI, BlankNode, Literal
    for q in quads:
        if len(q) == 4:
            s, p, o, g = q
        elif len(q) == 3:
            s, p, o = q
            g = None
        else:
            raise CanonicalizationError(f"a quad has 3 or 4 components, not {len(q)}")
        try:
            kind = type(s)
            if kind is iri_t:
                subject = iris.get(s.value) or ts.node(s, "subject")
            elif kind is bnode_t:
                subject = bnodes.get(s.id) or ts.node(s, "subject")
            else:
                subject = ts.node(s, "subject")
            predicate = (iris.get(p.value) if type(p) is iri_t else None) or ts.iri(p, "predicate")
            kind = type(o)
            if kind is literal_t:
                key = (o.value, o.datatype, o.language)
                obj = literals.get(key) or _literal(o, ts)
            elif kind is iri_t:
                obj = iris.get(o.value) or ts.node(o, "object")
            elif kind is bnode_t:
                obj = bnodes.get(o.id) or ts.node(o, "object")
            else:
                obj = ts.object(o)
            yield (subject, predicate, obj, "" if g is None else ts.node(g, "graph name"))
        except CanonicalizationError as exc:
            exc.details.setdefault("quad", repr(q)[:300])
            raise
        except TypeError:  # an unhashable value where a string belongs: the checks say so
            try:
                ts.node(s, "subject"), ts.iri(p, "predicate"), ts.object(o)
            except CanonicalizationError as exc:
                exc.details.setdefault("quad", repr(q)[:300])
                raise
            raise


def _literal(term: Literal, ts: TermSerializer) -> str:
    """A literal of the common shapes (ASCII or BMP text, plain or typed), else the checks;
    remembered when its three parts are exact strings (or no language)."""
    value, language, datatype = term.value, term.language, term.datatype
    if type(value) is not str or language or has_surrogate(value):
        got = ts.object(term)
    else:
        got = f'"{escape_literal(value)}"'
        if datatype and datatype != XSD_STRING:
            got = f"{got}^^{ts.iris.get(datatype) or ts.iri_value(datatype)}"
    if type(value) is str and type(datatype) is str and (language is None or type(language) is str):
        _CHECKED_LITERALS[(value, datatype, language)] = got
    return got


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
