"""Expansion and JSON-LD → RDF behind one narrow interface; the only pyld import.

Safe mode (on by default). Plain JSON-LD silently drops a property its context
does not define, and the credentials v2 context maps any undefined term into an
"issuer-dependent" ``@vocab``. Either way a signer could sign a document whose
signed quads do not say what its JSON says, and a verifier would accept
additions nobody signed. So in safe mode a dropped property, a term that only
exists through the issuer-dependent ``@vocab``, or a relative ``@type`` raises
:class:`UndefinedTerm` naming the JSON path where the term appears.

Expansion is done once: the safe-mode checks read the expanded form, and the
RDF dataset is built from that same expanded form (pyld's node-map step), not
by expanding again.

:func:`to_quads` (what canonicalisation uses) first tries the compiled walk of
:mod:`microcred_vc.jsonld.to_rdf`, which emits our quads in one pass over the
document with term tables processed once per loader; whatever it does not
cover, and every document the reference path would refuse, goes through the
pyld path here, so results and error wording are the reference's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pyld import jsonld as _pyld
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer

from microcred_vc.errors import ContextNotAllowed, JsonLdError, MicrocredError, UndefinedTerm
from microcred_vc.jsonld import budget, compiled
from microcred_vc.jsonld.canon_input import quads_from_pyld
from microcred_vc.jsonld.compiled_context import InvalidTerm, TermTable, initial_table
from microcred_vc.jsonld.loader import DocumentLoader, LoaderLike, default_loader
from microcred_vc.jsonld.node_map import NodeMapProcessor
from microcred_vc.jsonld.nquads import Quad
from microcred_vc.jsonld.to_rdf import Fallback, document_quads

#: @vocab of the credentials v2 context: terms here were never defined by anyone.
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"

Dataset = dict[str, list[dict[str, Any]]]


class _Resolver(ContextResolver):
    """pyld's resolver, with embedded (scoped) contexts looked up by identity.

    pyld keys an embedded context by its JCS serialisation, recomputed on every
    lookup. Scoped contexts are long-lived objects inside cached processed
    contexts, so the object itself (kept alive here) is a cheaper, exact key.
    """

    def __init__(self, shared_cache: Any, loader: Any, memo: dict[int, Any]) -> None:
        super().__init__(shared_cache, loader)
        self._memo = memo

    def resolve(self, active_ctx: Any, context: Any, base: Any, cycles: Any = None) -> Any:
        if isinstance(context, dict | _pyld.frozendict) and "@context" not in context:
            hit = self._memo.get(id(context))
            if hit is not None and hit[0] is context:
                return hit[1]
            resolved = super().resolve(active_ctx, context, base, cycles)
            if len(self._memo) > 4096:
                self._memo.clear()
            self._memo[id(context)] = (context, resolved)
            return resolved
        return super().resolve(active_ctx, context, base, cycles)


class _Processor(_pyld.JsonLdProcessor):
    """pyld's processor, reusing processed type-scoped contexts across calls.

    For a non-propagating (type-scoped) context pyld clones the active context
    and gives the clone a fresh random id, so the processed result it caches
    under that id is never found again: every credential re-processes the OB3
    type-scoped contexts. The clone is a pure function of its parent, so we
    give it an id derived from the parent's and keep one clone per parent.
    """

    def __init__(self, clones: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._clones = clones

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        if (
            not propagate
            and isinstance(local_ctx, dict | _pyld.frozendict)
            and "@propagate" not in local_ctx
            and not active_ctx.get("previousContext")
            and "_uuid" in active_ctx
        ):
            parent = active_ctx["_uuid"]
            clone = self._clones.get(parent)
            if clone is None:
                clone = self._clone_active_context(active_ctx)
                clone["previousContext"] = active_ctx
                clone["_uuid"] = f"{parent}+scoped"
                self._clones[parent] = clone
            active_ctx = clone
        return super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
        )


@dataclass
class _Caches:
    contexts: Any = field(default_factory=lambda: _pyld.LRUCache(maxsize=256))
    clones: Any = field(default_factory=lambda: _pyld.LRUCache(maxsize=1024))
    memo: dict[int, Any] = field(default_factory=dict)
    #: the compiled path's initial term table (its derived tables hang off it)
    table: TermTable | None = None


def _caches(loader: LoaderLike) -> _Caches:
    if isinstance(loader, DocumentLoader):
        if not isinstance(loader.context_cache, _Caches):
            loader.context_cache = _Caches()
        return loader.context_cache
    return _Caches()  # a foreign loader: no sharing we cannot invalidate


def _options(loader: LoaderLike | None, safe: bool = True) -> dict[str, Any]:
    loader = loader if loader is not None else default_loader()
    caches = _caches(loader)
    return {
        "documentLoader": loader,
        "contextResolver": _Resolver(caches.contexts, loader, caches.memo),
        "_caches": caches,
        # safe mode keeps relative IRIs relative so they are caught; plain mode
        # resolves them against pyld's default base, as pyld.normalize does
        "base": None if safe else "",
        "processingMode": "json-ld-1.1",
        "extractAllScripts": True,
    }


def _unwrap(exc: BaseException) -> MicrocredError | None:
    """Our own error raised inside pyld (e.g. by the loader) is returned as is."""
    seen = exc
    while seen is not None:
        if isinstance(seen, MicrocredError):
            return seen
        seen = seen.__cause__ or getattr(seen, "cause", None) or seen.__context__
    return None


def _translate(exc: Exception) -> MicrocredError:
    ours = _unwrap(exc)
    if ours is not None:
        return ours
    code = getattr(exc, "code", None)
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    cause = exc.__cause__
    while cause is not None and getattr(cause, "code", None) is None:
        cause = cause.__cause__
    if cause is not None:
        code = code or getattr(cause, "code", None)
        detail = f"{detail}: {str(cause).splitlines()[0]}"
    if code == "loading remote context failed":
        return ContextNotAllowed(f"a context could not be loaded: {detail}")
    return JsonLdError(f"JSON-LD processing failed ({code or 'error'}): {detail}")


@contextmanager
def _pyld_errors() -> Iterator[None]:
    """Our errors pass through; pyld's (JsonLdError, or plain ones on odd input) become ours."""
    try:
        yield
    except MicrocredError:
        raise
    except Exception as exc:
        raise _translate(exc) from exc


def _paths(doc: Any, hit: Callable[[str, Any], bool], path: str = "$") -> Iterator[str]:
    """JSON paths (outside @context) whose key and value satisfy ``hit``."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k == "@context":
                continue
            here = f"{path}.{k}"
            if hit(k, v):
                yield here
            yield from _paths(v, hit, here)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, hit, f"{path}[{i}]")


def _paths_of_key(doc: Any, key: str) -> Iterator[str]:
    return _paths(doc, lambda k, _: k == key)


def _paths_of_type(doc: Any, value: str) -> Iterator[str]:
    def hit(k: str, v: Any) -> bool:
        return k in ("type", "@type") and (v == value or (isinstance(v, list) and value in v))

    return _paths(doc, hit)


def _paths_of_value(doc: Any, value: str) -> Iterator[str]:
    return _paths(doc, lambda _, v: v == value)


def _first(paths: Iterator[str], fallback: str = "$") -> str:
    return next(paths, fallback)


def _undefined_property(doc: Any, term: str) -> UndefinedTerm:
    path = _first(_paths_of_key(doc, term))
    return UndefinedTerm(
        f"property {term!r} at {path} is not defined by the document's @context "
        "(it would be dropped or left issuer-dependent)",
        term=term,
        path=path,
    )


def _undefined_type(doc: Any, value: str) -> UndefinedTerm:
    path = _first(_paths_of_type(doc, value))
    return UndefinedTerm(
        f"type {value!r} at {path} is not defined by the document's @context",
        term=value,
        path=path,
    )


def _check_expanded(doc: Any, expanded: Any) -> None:
    """Walk the expanded form for issuer-dependent terms and relative types."""
    stack = [expanded]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key == "@type" and "@value" not in node:
                for t in value if isinstance(value, list) else [value]:
                    if not isinstance(t, str):
                        raise UndefinedTerm(f"a type in the document is not a term or IRI: {t!r}")
                    if t.startswith(ISSUER_DEPENDENT):
                        raise _undefined_type(doc, t[len(ISSUER_DEPENDENT) :])
                    if not _pyld._is_absolute_iri(t):
                        raise _undefined_type(doc, t)
            elif key == "@id" and isinstance(value, str):
                if not value.startswith("_:") and not _pyld._is_absolute_iri(value):
                    path = _first(_paths_of_value(doc, value))
                    raise UndefinedTerm(
                        f"identifier {value!r} at {path} is a relative IRI; its statements "
                        "would be dropped from the signed data",
                        term=value,
                        path=path,
                    )
            elif key.startswith(ISSUER_DEPENDENT):
                raise _undefined_property(doc, key[len(ISSUER_DEPENDENT) :])
            if isinstance(value, list | dict):
                stack.append(value)


def _expand(
    doc: Any, loader: LoaderLike | None, safe: bool, spent: bool = False
) -> tuple[Any, dict[str, Any]]:
    if not spent:
        budget.spend_on_document(doc, "JSON-LD expansion")
    dropped: list[str | None] = []
    options = _options(loader, safe)
    caches: _Caches = options.pop("_caches")
    processor = _Processor(
        caches.clones, on_property_dropped=dropped.append if safe else _pyld.noop
    )
    with _pyld_errors():
        expanded = processor.expand(doc, options)
    if safe:
        for term in dropped:
            if term is not None:
                raise _undefined_property(doc, term)
        if dropped:
            raise UndefinedTerm("a property of the document maps to null in its @context")
        _check_expanded(doc, expanded)
    return expanded, options


def expand(doc: Any, *, loader: LoaderLike | None = None, safe: bool = True) -> list[Any]:
    """Expanded JSON-LD of ``doc`` (safe mode raises :class:`UndefinedTerm`)."""
    expanded, _ = _expand(doc, loader, safe)
    return expanded


def to_dataset(doc: Any, *, loader: LoaderLike | None = None, safe: bool = True) -> Dataset:
    """The RDF dataset of ``doc`` in pyld's dict form {graph: [quad dicts]}."""
    return _to_dataset(doc, loader, safe)


def _to_dataset(doc: Any, loader: LoaderLike | None, safe: bool, spent: bool = False) -> Dataset:
    expanded, options = _expand(doc, loader, safe, spent)
    processor = NodeMapProcessor()  # pyld's node map, minus its quadratic duplicate checks
    options["produceGeneralizedRdf"] = False
    issuer = IdentifierIssuer("_:b")
    node_map: dict[str, Any] = {"@default": {}}
    dataset: Dataset = {}
    with _pyld_errors():
        processor._create_node_map(expanded, node_map, "@default", issuer)
        for graph_name, graph in sorted(node_map.items()):
            if graph_name == "@default" or _pyld._is_absolute_iri(graph_name):
                dataset[graph_name] = processor._graph_to_rdf(graph, issuer, options)
    budget.spend(budget.PER_QUAD * sum(map(len, dataset.values())), "JSON-LD to RDF")
    return dataset


def _root_table(loader: LoaderLike | None) -> TermTable:
    options = _options(loader, True)
    caches: _Caches = options.pop("_caches")
    if caches.table is None:
        caches.table = initial_table(options)
    return caches.table


def to_quads(doc: Any, *, loader: LoaderLike | None = None, safe: bool = True) -> list[Quad]:
    """The quads of ``doc`` as canonicalisation takes them (duplicates possible).

    Safe mode goes through the compiled walk unless it is switched off
    (:mod:`microcred_vc.jsonld.compiled`); a document it does not cover is
    counted by reason and handled by the pyld path, which also raises every
    refusal (``UndefinedTerm`` with its JSON path, ``ContextNotAllowed``, ...).
    """
    if not (safe and compiled.ENABLED):
        return quads_from_pyld(to_dataset(doc, loader=loader, safe=safe))
    budget.spend_on_document(doc, "JSON-LD expansion")
    try:
        quads = document_quads(doc, _root_table(loader))
    except Fallback as exc:
        compiled.count_fallback(exc.reason)
    except InvalidTerm as exc:
        compiled.count_fallback(str(exc))
    except RecursionError:
        compiled.count_fallback("too deep")
    except Exception as exc:  # a gap in the walk must cost speed, never a wrong answer
        compiled.count_fallback(f"internal {type(exc).__name__}")
    else:
        compiled.count_compiled()
        budget.spend(budget.PER_QUAD * len(quads), "JSON-LD to RDF")
        return quads
    return quads_from_pyld(_to_dataset(doc, loader, safe, spent=True))


def to_nquads(doc: Any, *, loader: LoaderLike | None = None, safe: bool = True) -> str:
    """N-Quads of ``doc`` (not canonical: blank node labels and order are arbitrary)."""
    return _pyld.serialize_nquads(to_dataset(doc, loader=loader, safe=safe))


def compact(doc: Any, context: Any, *, loader: LoaderLike | None = None) -> dict[str, Any]:
    """Compact ``doc`` against ``context`` (used by converters that read foreign JSON-LD)."""
    options = _options(loader)
    options.pop("_caches")
    with _pyld_errors():
        return _pyld.compact(doc, context, options)
