"""What the signature actually covers: the facts every semantic check must judge.

A Data Integrity signature over an RDF suite covers the RDF dataset, not the
JSON keys. ``validUntil`` written as its full IRI with ``{"@value", "@type"}``,
or under an alias from an appended inline ``@context``, yields the *same*
signed quads as the plain key, so a check that reads ``doc["validUntil"]``
finds nothing while the signed credential has expired. The same holds for
``credentialStatus``, ``statusListIndex`` and the issuer.

So the checks read their values here, from the dataset that was verified: the
canonical N-Quads an RDF suite hashed (byte for byte what was signed), or the
dataset of the JSON a JCS suite signed. :func:`json_facts` reads the same
facts the naive way (the JSON keys a user interface displays), and
:func:`disagreements` names every fact where the two differ, so verification
can fail with ``JSON_GRAPH_MISMATCH`` instead of showing a learner one thing
while the signature says another.

Only terms of the vocabularies listed in :data:`VOCABULARIES` get short names:
a property from any other namespace keeps its full IRI, so an issuer's own
``ex:statusListIndex`` can never stand in for the status vocabulary's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from microcred_vc.jsonld.nquads import IRI, BlankNode, Literal, Quad, parse_nquads

CRED = "https://www.w3.org/2018/credentials#"
STATUS = "https://www.w3.org/ns/credentials/status#"
SL2021 = "https://w3id.org/vc/status-list#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: Namespaces whose terms the status and date checks understand by local name.
VOCABULARIES = (CRED, STATUS, SL2021)

CREDENTIAL_TYPE = CRED + "VerifiableCredential"
PRESENTATION_TYPE = CRED + "VerifiablePresentation"

#: The dates a credential's validity period is made of (VC 2.0 and VC 1.1 names).
DATE_TERMS = ("validFrom", "issuanceDate", "validUntil", "expirationDate")
#: The status-entry fields compared between the JSON and the signed graph.
STATUS_FIELDS = ("id", "statusPurpose", "statusListIndex", "statusListCredential", "statusSize")
#: A status entry's nested objects (statusMessage items) are read this deep.
MAX_NODE_DEPTH = 3


class SignedGraphError(ValueError):
    """The signed dataset has no single credential (or presentation) node."""


@dataclass(frozen=True)
class Facts:
    """The values semantic checks need, from one source (``signed graph`` or ``JSON``)."""

    source: str
    #: date term -> lexical values (more than one value is itself suspicious)
    dates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: issuer IRIs (an issuer without an id has none)
    issuers: tuple[str, ...] = ()
    #: holder IRIs (presentations)
    holders: tuple[str, ...] = ()
    #: ``credentialSubject`` ids (a subject without an id has none): who it is about
    subjects: tuple[str, ...] = ()
    #: ``credentialStatus`` entries as JSON objects, in the status vocabulary's names
    status: tuple[Mapping[str, Any], ...] = ()

    @property
    def issuer(self) -> str | None:
        return self.issuers[0] if len(self.issuers) == 1 else None

    def date(self, name: str) -> str | None:
        values = self.dates.get(name, ())
        return values[0] if values else None

    def view(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        """``doc`` with the checked keys replaced by these facts (for status checkers)."""
        out = {k: v for k, v in doc.items() if k not in (*DATE_TERMS, "credentialStatus")}
        for name, values in self.dates.items():
            if values:
                out[name] = values[0] if len(values) == 1 else list(values)
        if self.status:
            out["credentialStatus"] = [dict(e) for e in self.status]
        if self.issuers:
            issuer = doc.get("issuer")
            if len(self.issuers) == 1 and isinstance(issuer, Mapping):
                out["issuer"] = {**issuer, "id": self.issuers[0]}
            else:
                out["issuer"] = self.issuers[0] if len(self.issuers) == 1 else list(self.issuers)
        return out


# --- the signed graph ---------------------------------------------------------------
Node = IRI | BlankNode
Graph = dict[Node, dict[str, list[Any]]]


def _graph(quads: Iterable[Quad]) -> tuple[Graph, set[Node]]:
    """Default-graph statements by subject, and every node used as an object."""
    graph: Graph = {}
    objects: set[Node] = set()
    for quad in quads:
        if quad.graph is not None:
            continue
        graph.setdefault(quad.subject, {}).setdefault(quad.predicate.value, []).append(quad.object)
        if isinstance(quad.object, IRI | BlankNode):
            objects.add(quad.object)
    return graph, objects


def _root(graph: Graph, objects: set[Node], root_type: str, named: Any = None) -> Node:
    typed = [s for s, props in graph.items() if IRI(root_type) in props.get(RDF_TYPE, [])]
    roots = [s for s in typed if s not in objects] or typed
    if len(roots) != 1 and isinstance(named, str) and IRI(named) in roots:
        # A cycle (an endorsement whose refreshService id is the credential's own id, as
        # in the 1EdTech validator's complete.json) leaves no unreferenced node; the
        # document's own id then names which signed node it is. Only a signed node of
        # the right type can be chosen, so the JSON cannot make up a root.
        return IRI(named)
    if len(roots) != 1:
        what = root_type.rsplit("#", 1)[-1]
        raise SignedGraphError(f"the signed data holds {len(roots)} top-level {what} nodes")
    return roots[0]


def _short(iri: str) -> str:
    for namespace in VOCABULARIES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return iri[len(namespace) :]
    return iri


def _value(term: Any, graph: Graph, depth: int) -> Any:
    if isinstance(term, Literal):
        return term.value
    if isinstance(term, IRI):  # a reference (list URL, id): never inlined
        return term.value
    if depth < MAX_NODE_DEPTH:
        return _node_json(term, graph, depth + 1)
    return {}


def _node_json(node: Node, graph: Graph, depth: int = 0) -> dict[str, Any]:
    """A node as a JSON object with the known vocabularies' short names."""
    out: dict[str, Any] = {}
    if isinstance(node, IRI):
        out["id"] = node.value
    for predicate, values in sorted(graph.get(node, {}).items()):
        if predicate == RDF_TYPE:
            types = sorted(_short(v.value) for v in values if isinstance(v, IRI))
            out["type"] = types[0] if len(types) == 1 else types
            continue
        items = [_value(v, graph, depth) for v in values]
        out[_short(predicate)] = items[0] if len(items) == 1 else items
    return out


def _iris(values: Sequence[Any]) -> tuple[str, ...]:
    return tuple(sorted(v.value for v in values if isinstance(v, IRI)))


def facts_from_quads(
    quads: Iterable[Quad], root_type: str = CREDENTIAL_TYPE, named: Any = None
) -> Facts:
    """The facts of the one top-level node of ``root_type`` in the default graph
    (``named``: the document's own ``id``, deciding between nodes that cite each other)."""
    graph, objects = _graph(quads)
    props = graph.get(_root(graph, objects, root_type, named), {})
    dates = {
        name: tuple(sorted(v.value for v in props.get(CRED + name, []) if isinstance(v, Literal)))
        for name in DATE_TERMS
        if props.get(CRED + name)
    }
    status = tuple(
        _node_json(entry, graph) if not isinstance(entry, Literal) else {"id": entry.value}
        for entry in props.get(CRED + "credentialStatus", [])
    )
    return Facts(
        "signed graph",
        dates=dates,
        issuers=_iris(props.get(CRED + "issuer", [])),
        holders=_iris(props.get(CRED + "holder", [])),
        subjects=_iris(props.get(CRED + "credentialSubject", [])),
        status=tuple(sorted(status, key=_entry_key)),
    )


def facts_from_nquads(
    text: str | bytes, root_type: str = CREDENTIAL_TYPE, named: Any = None
) -> Facts:
    """Facts of canonical (or any) N-Quads, e.g. the bytes an RDF suite signed."""
    return facts_from_quads(parse_nquads(text), root_type, named)


#: Safe-mode datasets of unsecured documents, for one verification (see shared_expansion).
_DATASETS: ContextVar[dict[tuple[int, int], tuple[Any, Any, Any]] | None] = ContextVar(
    "microcred_unsecured_datasets", default=None
)


@contextmanager
def shared_expansion() -> Iterator[None]:
    """Within one verification, expand each document (safe mode) once for every check.

    Why: for a JCS suite nothing in the proof expands the document, so the
    context check (safe mode) and the signed-data check (its dataset) each
    expanded it, the most expensive step of a JCS verification, twice. Scoped
    to one ``verify`` call so a caller who changes the dict and verifies again
    is never answered from a stale entry.
    """
    token = _DATASETS.set({})
    try:
        yield
    finally:
        _DATASETS.reset(token)


def unsecured_dataset(doc: Mapping[str, Any], loader: Any, *, remember: bool = True) -> Any:
    """The safe-mode dataset of ``doc`` without its proofs (raises as safe-mode expansion)."""
    from microcred_vc.jsonld.expand import to_dataset

    memo = _DATASETS.get()
    key = (id(doc), id(loader))
    if memo is not None and key in memo:
        return memo[key][2]
    dataset = to_dataset({k: v for k, v in doc.items() if k != "proof"}, loader=loader)
    if memo is not None and remember:
        memo[key] = (doc, loader, dataset)  # holding doc and loader keeps their ids unique
    return dataset


def sharing_expansion() -> bool:
    """True inside :func:`shared_expansion` (a dataset made now is used again)."""
    return _DATASETS.get() is not None


def facts_from_document(
    doc: Mapping[str, Any], *, loader: Any = None, root_type: str = CREDENTIAL_TYPE
) -> Facts:
    """Facts of a JSON-LD document's dataset (JCS suites and JSON payloads)."""
    from microcred_vc.jsonld.canon_input import quads_from_pyld

    quads = quads_from_pyld(unsecured_dataset(doc, loader))
    return facts_from_quads(quads, root_type, doc.get("id"))


# --- the JSON a user interface shows ---------------------------------------------
def _id_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def json_facts(doc: Mapping[str, Any]) -> Facts:
    """The same facts read from the plain JSON keys (what a UI would display)."""
    dates = {
        name: (doc[name] if isinstance(doc[name], str) else repr(doc[name]),)
        for name in DATE_TERMS
        if name in doc
    }
    raw = doc.get("credentialStatus")
    entries = raw if isinstance(raw, list) else [] if raw is None else [raw]
    status = tuple(
        dict(e) if isinstance(e, Mapping) else {"id": e} for e in entries if e is not None
    )
    issuer, holder = _id_of(doc.get("issuer")), _id_of(doc.get("holder"))
    raw_subjects = doc.get("credentialSubject")
    subjects = raw_subjects if isinstance(raw_subjects, list) else [raw_subjects]
    subject_ids = {i for i in map(_id_of, subjects) if i}
    return Facts(
        "JSON",
        dates=dates,
        issuers=(issuer,) if issuer else (),
        holders=(holder,) if holder else (),
        subjects=tuple(sorted(subject_ids)),
        status=tuple(sorted(status, key=_entry_key)),
    )


def _norm(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(sorted(str(_norm(v)) for v in value))
    if isinstance(value, bool) or value is None:
        return repr(value)
    return str(value) if not isinstance(value, Mapping) else repr(sorted(value.items()))


def _entry_key(entry: Mapping[str, Any]) -> str:
    return repr([(f, _norm(entry.get(f))) for f in STATUS_FIELDS])


def _types_agree(shown: Any, signed: Any) -> bool:
    def names(value: Any) -> set[str]:
        items = value if isinstance(value, list | tuple) else [] if value is None else [value]
        return {str(t).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in items}

    return names(shown) == names(signed)


def disagreements(signed: Facts, shown: Facts) -> list[str]:
    """Every fact the JSON shows differently from the signed graph, as sentences."""
    out: list[str] = []
    for name in DATE_TERMS:
        a, b = signed.dates.get(name, ()), shown.dates.get(name, ())
        if a != b:
            out.append(f"{name}: signed {list(a) or 'nothing'}, JSON shows {list(b) or 'nothing'}")
    for what, a, b in (
        ("issuer", signed.issuers, shown.issuers),
        ("holder", signed.holders, shown.holders),
        ("credentialSubject id", signed.subjects, shown.subjects),
    ):
        if a != b:
            out.append(f"{what}: signed {list(a) or 'no id'}, JSON shows {list(b) or 'no id'}")
    if len(signed.status) != len(shown.status):
        out.append(
            f"credentialStatus: {len(signed.status)} entr(y/ies) signed, "
            f"{len(shown.status)} in the JSON"
        )
        return out
    for number, (a, b) in enumerate(zip(signed.status, shown.status, strict=True), 1):
        fields = [f for f in STATUS_FIELDS if _norm(a.get(f)) != _norm(b.get(f))]
        if not _types_agree(b.get("type"), a.get("type")):
            fields.append("type")
        if fields:
            out.append(f"credentialStatus entry {number}: {', '.join(fields)} differ")
    return out


def payload_facts(
    doc: Mapping[str, Any], *, loader: Any = None, root_type: str = CREDENTIAL_TYPE
) -> tuple[Facts, Any]:
    """Facts and a ``signed_data`` check for a payload signed as bytes (JWT, JAdES).

    The signature covers the JSON text, but the credential's meaning is its
    JSON-LD reading, so the same renamed-key tricks apply. A payload that
    cannot be read as JSON-LD offline (an unknown context) is judged on its
    JSON keys, and the check says so instead of failing a credential that may
    be fine.
    """
    from microcred_vc.errors import MicrocredError
    from microcred_vc.report import Check

    shown = json_facts(doc)
    try:
        signed = facts_from_document(doc, loader=loader, root_type=root_type)
    except SignedGraphError as exc:
        return shown, Check("signed_data", "fail", str(exc), "JSON_GRAPH_MISMATCH")
    except MicrocredError as exc:
        return shown, Check(
            "signed_data", "skip", f"payload not read as JSON-LD ({exc.message}); JSON keys used"
        )
    return compared(signed, shown)


def compared(signed: Facts, shown: Facts) -> tuple[Facts, Any]:
    """The signed facts, and the ``signed_data`` check of the JSON against them."""
    from microcred_vc.report import Check

    differences = disagreements(signed, shown)
    if differences:
        return signed, Check(
            "signed_data",
            "fail",
            "the JSON does not show what was signed (renamed keys or aliased terms): "
            + "; ".join(differences),
            "JSON_GRAPH_MISMATCH",
        )
    return signed, Check(
        "signed_data",
        "pass",
        "dates, issuer, holder, subject ids and status in the JSON are the signed ones",
    )
