"""SHACL validation of Europass EDC documents (pyshacl over rdflib).

The official EDC shapes are not shipped (licence and size: the caller points
to them, or sets ``MICROCRED_EDC_SHAPES``); the project's own micro-credential
shapes, which require every mandatory Council element, are. The credential is
turned into RDF by the library's JSON-LD layer (the same offline loader and
expansion as signing), so SHACL sees exactly the triples a proof would cover.

pyshacl is slow to *load* shapes, not to run them, so parsed shapes graphs are
cached by file path and modification time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyshacl
import rdflib
from rdflib.namespace import RDF, RDFS, SH, XSD

from microcred_vc.errors import InputError, SchemaUnavailable
from microcred_vc.jsonld.expand import to_dataset
from microcred_vc.jsonld.loader import LoaderLike
from microcred_vc.validate.findings import Finding

#: Our authored micro-credential shapes (Council Recommendation 2022, Annex I).
MICROCREDENTIAL_SHAPES = Path(__file__).with_name("shapes") / "microcredential.ttl"

#: Environment variable naming the official EDC shapes file(s), ``os.pathsep`` separated.
SHAPES_ENV = "MICROCRED_EDC_SHAPES"

ShapesArg = str | Path | Sequence[str | Path] | None


@lru_cache(maxsize=16)
def _load_graph(path: str, mtime: float) -> rdflib.Graph:
    """Parsed Turtle for ``path``; ``mtime`` is part of the key so edits are seen."""
    del mtime
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many parser-specific types
        raise SchemaUnavailable(
            f"SHACL shapes {path} could not be parsed: {exc}", path=path
        ) from exc
    return graph


def load_turtle(path: str | Path) -> rdflib.Graph:
    """A cached, parsed Turtle file (shapes or ontology)."""
    file = Path(path)
    if not file.is_file():
        raise SchemaUnavailable(f"SHACL shapes file not found: {file}", path=str(file))
    return _load_graph(str(file.resolve()), file.stat().st_mtime)


def _shape_paths(shapes: ShapesArg) -> tuple[list[Path], list[Finding]]:
    notes: list[Finding] = []
    if shapes is None:
        configured = [Path(p) for p in os.environ.get(SHAPES_ENV, "").split(os.pathsep) if p]
        if not configured:
            notes.append(
                Finding(
                    "$",
                    f"official EDC shapes not configured (pass shapes= or set {SHAPES_ENV}); "
                    "validated against the micro-credential shapes only",
                    "warning",
                )
            )
        return [*configured, MICROCREDENTIAL_SHAPES], notes
    if isinstance(shapes, str | Path):
        return [Path(shapes)], notes
    return [Path(p) for p in shapes], notes


def _shapes_graph(paths: Sequence[Path]) -> rdflib.Graph:
    if len(paths) == 1:
        return load_turtle(paths[0])
    return _combined(
        tuple(str(p.resolve()) for p in paths),
        tuple(p.stat().st_mtime for p in paths if p.is_file()),
    )


@lru_cache(maxsize=8)
def _combined(paths: tuple[str, ...], mtimes: tuple[float, ...]) -> rdflib.Graph:
    del mtimes
    graph = rdflib.Graph()
    for path in paths:
        for triple in load_turtle(path):
            graph.add(triple)
    return graph


def _rdf_term(node: dict[str, Any]) -> rdflib.term.Node:
    kind, value = node.get("type"), node["value"]
    if kind == "IRI":
        return rdflib.URIRef(value)
    if kind == "blank node":
        return rdflib.BNode(value.removeprefix("_:"))
    language = node.get("language")
    if language:
        try:  # real EDCs carry tags like "en " that rdflib rejects; trim, else keep the text
            return rdflib.Literal(value, lang=language.strip())
        except ValueError:
            return rdflib.Literal(value)
    return rdflib.Literal(value, datatype=rdflib.URIRef(node.get("datatype") or str(XSD.string)))


def to_graph(doc: dict[str, Any], *, loader: LoaderLike | None = None) -> rdflib.Graph:
    """The credential's RDF, all graphs merged (SHACL validates one data graph).

    Built from the JSON-LD layer's dataset directly rather than by re-parsing
    N-Quads: the same triples, without a text round-trip.
    """
    if not isinstance(doc, dict):
        raise InputError(f"an EDC must be a JSON object, got {type(doc).__name__}")
    graph = rdflib.Graph()
    for quads in to_dataset(doc, loader=loader, safe=False).values():
        for quad in quads:
            graph.add(
                (
                    _rdf_term(quad["subject"]),
                    _rdf_term(quad["predicate"]),
                    _rdf_term(quad["object"]),
                )
            )
    return graph


_PREFIXES = rdflib.Graph(bind_namespaces="none")
for _prefix, _iri in {
    "elm": "http://data.europa.eu/snb/model/elm/",
    "cred": "https://www.w3.org/2018/credentials#",
    "dc": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rov": "http://www.w3.org/ns/regorg#",
    "adms": "http://www.w3.org/ns/adms#",
    "rdf": str(RDF),
}.items():
    _PREFIXES.bind(_prefix, _iri)


def _term(graph: rdflib.Graph, node: Any) -> str:
    """A readable name for a result path: prefixed IRI, or a/b/c for a sequence path."""
    if node is None:
        return "$"
    if isinstance(node, rdflib.URIRef):
        try:
            return _PREFIXES.namespace_manager.normalizeUri(node)
        except Exception:
            return str(node)
    if isinstance(node, rdflib.BNode):
        items = (
            list(rdflib.collection.Collection(graph, node))
            if (node, RDF.first, None) in graph
            else []
        )
        return "/".join(_term(graph, i) for i in items) if items else "_:" + str(node)[:8]
    return str(node)


def _leaf_messages(
    report: rdflib.Graph, shapes: rdflib.Graph, result: Any, depth: int = 0
) -> list[str]:
    """The innermost reasons under a result's sh:detail chain (sh:node, sh:or wrappers)."""
    out: list[str] = []
    for detail in report.objects(result, SH.detail):
        inner = _leaf_messages(report, shapes, detail, depth + 1) if depth < 8 else []
        if inner:
            out.extend(inner)
            continue
        path = report.value(detail, SH.resultPath)
        text = "; ".join(str(m) for m in report.objects(detail, SH.resultMessage))
        out.append(f"{_term(shapes, path)}: {text}" if path is not None else text)
    return out


def _results(report: rdflib.Graph, shapes: rdflib.Graph) -> list[Finding]:
    nested = set(report.objects(None, SH.detail))
    findings: list[Finding] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if result in nested:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        severity = report.value(result, SH.resultSeverity)
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        shape = report.value(result, SH.sourceShape)
        name = shapes.value(shape, SH.name) if shape is not None else None
        details = _leaf_messages(report, shapes, result)
        value = report.value(result, SH.value)
        text = "; ".join(messages) or "constraint violated"
        if name and str(name) not in text:
            text = f"{name}: {text}"
        if value is not None and str(value) not in text:
            text += f" (value {value})"
        if details:
            text += " [" + " | ".join(details) + "]"
        findings.append(
            Finding(
                path=_term(shapes, path),
                message=f"{focus}: {text}",
                severity="error" if severity in (None, SH.Violation) else "warning",
            )
        )
    findings.sort(key=lambda f: (f.severity != "error", f.path, f.message))
    return findings


def _add_ontology(graph: rdflib.Graph, ontology: Iterable[str | Path]) -> None:
    """Add the ontology's class hierarchy so sh:class sees Person as an Agent."""
    for path in ontology:
        for triple in load_turtle(path).triples((None, RDFS.subClassOf, None)):
            graph.add(triple)


def validate_edc(
    doc: dict[str, Any],
    shapes: ShapesArg = None,
    *,
    loader: LoaderLike | None = None,
    ontology: Iterable[str | Path] = (),
) -> list[Finding]:
    """SHACL findings for an EDC (plain or JAdES-sealed); no errors means it conforms.

    ``shapes`` is a Turtle file or a list of files. ``None`` means the official
    shapes named by ``MICROCRED_EDC_SHAPES`` (if set) plus our micro-credential
    shapes (:data:`MICROCREDENTIAL_SHAPES`). ``ontology`` files (e.g. ELM.ttl)
    contribute their ``rdfs:subClassOf`` hierarchy to class checks.
    """
    if isinstance(doc, dict) and "payload" in doc and ("signatures" in doc or "signature" in doc):
        from microcred_vc.seal import decode_sealed_payload  # a sealed EDC: validate what it seals

        doc = decode_sealed_payload(doc)
    paths, notes = _shape_paths(shapes)
    shapes_graph = _shapes_graph(paths)
    data = to_graph(doc, loader=loader)
    _add_ontology(data, ontology)
    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    del conforms  # warnings do not break conformance; the findings say everything
    return notes + _results(report, shapes_graph)


def errors_only(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
