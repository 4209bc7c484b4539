"""Term tables: each active context processed once per process, then read by lookups.

Why: pyld re-derives every term's IRI, container and coercion while expanding
each credential, and re-processes scoped and type-scoped contexts per node.
The compiled walk (:mod:`microcred_vc.jsonld.to_rdf`) instead asks a
:class:`TermTable` that memoises every answer. A table is *derived* from pyld's
own context processing (``@import``, ``@protected``, ``@propagate``, scoped
and type-scoped contexts, ``@vocab``, ``@base``, ``@language``, keyword
aliases), so the meaning of a term is decided by exactly the code the
reference path uses; only the per-credential repetition is gone. Tables are
immutable from the outside: every memo is a pure function of the table's
context, so concurrent callers can only duplicate work, never disagree.

Contexts come only through the project's document loader: a table tree hangs
off the loader's ``context_cache`` (see :mod:`microcred_vc.jsonld.expand`), so
``add_document``/``add_folder`` on a loader drop its tables with its caches.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pyld import jsonld as _pyld

from microcred_vc.jsonld.nquads import IRI, RDF_LANGSTRING, XSD_STRING, Literal, is_valid_language

_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")
_get = _pyld.JsonLdProcessor.get_context_value
_XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
#: entries per memo before it starts over: documents choose their keys and
#: identifiers, so a long-running verifier must not keep all of them
MEMO_CAP = 8192
_good_languages: set[str] = set()


class InvalidTerm(Exception):
    """A term N-Quads cannot carry: the reference path reports it (in its order)."""


class ContextFailed(Exception):
    """Context processing raised: the reference path must raise it (or its twin)."""


_absolute: dict[str, bool] = {}


def is_absolute(value: str) -> bool:
    """pyld's own absolute-IRI test (blank node labels count as absolute).

    Memoised process-wide (a pure function of the string; the walk asks it of
    every key's IRI in every node), bounded like the tables' memos.
    """
    got = _absolute.get(value)
    if got is None:
        if len(_absolute) > MEMO_CAP:
            _absolute.clear()
        got = _absolute[value] = _ABSOLUTE.match(value) is not None
    return got


class Term:
    """What the walk needs about one key in one active context."""

    __slots__ = (
        "container",
        "direction",
        "index",
        "iri",
        "iri_term",
        "language",
        "list",
        "reverse",
        "scoped",
        "type",
    )

    def __init__(self, ctx: Any, key: str, iri: str | None) -> None:
        self.iri = iri
        self.iri_term = IRI(iri) if iri is not None and not iri.startswith("@") else None
        container = _get(ctx, key, "@container")
        self.container: frozenset[str] = frozenset(
            container if isinstance(container, list) else [] if container is None else [container]
        )
        self.list = "@list" in self.container
        self.type = _get(ctx, key, "@type")
        self.language = _get(ctx, key, "@language")
        self.direction = _get(ctx, key, "@direction")
        self.scoped = _get(ctx, key, "@context")
        self.index = _get(ctx, key, "@index")
        mapping = ctx["mappings"].get(key)
        self.reverse = bool(mapping and mapping.get("reverse"))


def _json_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


class TermTable:
    """One processed active context plus memos of every lookup the walk makes."""

    def __init__(self, ctx: Any, options: dict[str, Any]) -> None:
        self.ctx = ctx
        self._options = options
        self.has_previous = bool(ctx.get("previousContext"))
        self._terms: dict[str, Term] = {}
        self._vocab: dict[str, str | None] = {}
        self._doc: dict[str, str | None] = {}
        self._children: dict[Any, tuple[Any, TermTable]] = {}
        self._reverted: TermTable | None = None
        #: a node's keys (in order) -> their keyword classification, or why it falls back
        self.kinds_memo: dict[tuple[str, ...], dict[str, str] | str] = {}
        #: a node's keys (in order) -> those that expand to ``@type``, sorted
        self._type_keys: dict[tuple[str, ...], tuple[str, ...]] = {}
        #: quads of repeated subtrees walked under this table (``subtree_memo``)
        self.subtrees: Any = None

    # -- lookups ---------------------------------------------------------------
    def term(self, key: str) -> Term:
        got = self._terms.get(key)
        if got is None:
            if len(self._terms) > MEMO_CAP:
                self._terms.clear()
            got = self._terms[key] = Term(self.ctx, key, self.vocab(key))
        return got

    def vocab(self, value: str) -> str | None:
        """``value`` expanded as a term or vocabulary-relative IRI (keys, types)."""
        try:
            return self._vocab[value]
        except KeyError:
            if len(self._vocab) > MEMO_CAP:
                self._vocab.clear()
            got = self._vocab[value] = _processor()._expand_iri(self.ctx, value, vocab=True)
            return got

    def doc(self, value: str) -> str | None:
        """``value`` expanded as a document-relative IRI (``@id``), base unset (safe mode)."""
        try:
            return self._doc[value]
        except KeyError:
            if len(self._doc) > MEMO_CAP:
                self._doc.clear()  # identifiers are per credential: keep the memo bounded
            got = self._doc[value] = _processor()._expand_iri(self.ctx, value, base=None)
            return got

    def type_keys(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        """Which of ``keys`` expand to ``@type`` in this table, in sorted order."""
        got = self._type_keys.get(keys)
        if got is None:
            if len(self._type_keys) > MEMO_CAP:
                self._type_keys.clear()
            got = tuple(k for k in sorted(keys) if self.vocab(k) == "@type")
            self._type_keys[keys] = got
        return got

    # -- derived tables --------------------------------------------------------
    def revert(self) -> TermTable:
        """The table before a non-propagated (type-scoped) context, or this one."""
        if not self.has_previous:
            return self
        if self._reverted is None:
            self._reverted = TermTable(self.ctx["previousContext"], self._options)
        return self._reverted

    def with_local(
        self, local: Any, *, override_protected: bool = False, propagate: bool = True
    ) -> TermTable:
        """This table with ``local`` (a context value) processed on top, memoised.

        Scoped contexts live inside the long-lived processed contexts, so they
        are keyed by identity (kept alive in the memo); embedded contexts of a
        document are keyed by their JSON text.
        """
        ident = isinstance(local, dict | list | _pyld.frozendict)
        key: Any = (id(local) if ident else _json_key(local), override_protected, propagate)
        hit = self._children.get(key)
        if hit is not None and (not ident or hit[0] is local):
            return hit[1]
        if ident:
            text_key = (_json_key(local), override_protected, propagate)
            hit = self._children.get(text_key)
            if hit is not None:
                self._children[key] = (local, hit[1])
                return hit[1]
        try:
            ctx = _processor()._process_context(
                self.ctx,
                local,
                self._options,
                override_protected=override_protected,
                propagate=propagate,
            )
        except Exception as exc:
            raise ContextFailed(str(exc).splitlines()[0] if str(exc) else repr(exc)) from exc
        table = TermTable(ctx, self._options)
        if len(self._children) > 4096:
            self._children.clear()
        self._children[key] = (local, table)
        if ident:
            self._children[(_json_key(local), override_protected, propagate)] = (local, table)
        return table


_shared_processor: Any = None


def _processor() -> Any:
    global _shared_processor
    if _shared_processor is None:
        _shared_processor = _pyld.JsonLdProcessor()
    return _shared_processor


def initial_table(options: dict[str, Any]) -> TermTable:
    """The empty JSON-LD 1.1 active context, as a table."""
    return TermTable(_processor()._get_initial_context(options), options)


def literal(value: Any, datatype: str | None, language: str | None) -> Literal:
    """The RDF literal pyld's toRdf makes of a value object (same lexical forms)."""
    if isinstance(value, str) and datatype != "@json" and datatype != _XSD_DOUBLE:
        if language:
            if language not in _good_languages:
                if not is_valid_language(language):
                    # the reference path names the first bad tag in its own order
                    raise InvalidTerm("invalid language tag")
                _good_languages.add(language)
            return Literal(value, RDF_LANGSTRING, language)
        return Literal(value, datatype or XSD_STRING)
    item: dict[str, Any] = {"@value": value}
    if datatype is not None:
        item["@type"] = datatype
    if language is not None:
        item["@language"] = language
    obj = _processor()._object_to_rdf(item, None, [], {"processingMode": "json-ld-1.1"})
    if obj.get("language"):
        return Literal(obj["value"], RDF_LANGSTRING, obj["language"])
    return Literal(obj["value"], obj.get("datatype") or XSD_STRING)
