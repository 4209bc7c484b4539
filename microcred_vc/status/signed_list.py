"""The status list's own values as its proof covers them (encodedList, statusPurpose, ttl).

A list's JSON keys are not what its signature covers: an RDF suite signs the
dataset, so an inline ``@context`` can make the key ``encodedList`` mean
nothing (or something else) while the signed bits sit under an alias or a full
IRI. A verifier that read ``credentialSubject.encodedList`` from the JSON would
then read bits nobody signed — a cleared list "un-revoking" everything under a
proof that still verifies. So, as ``proofs/signed_facts.py`` does for dates,
issuer and status entries, the values are read from the verified dataset and the
JSON must say the same (DESIGN.md, "Checks judge the signed data").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from microcred_vc.jsonld.nquads import IRI, Literal, Quad, parse_nquads
from microcred_vc.proofs.signed_facts import CRED, RDF_TYPE, SL2021, STATUS

#: Subject properties of a status list, under both vocabularies.
LIST_TERMS = ("statusPurpose", "encodedList", "ttl")
MISMATCH = "STATUS_LIST_JSON_MISMATCH"


def _values(quads: Iterable[Quad]) -> dict[str, tuple[str, ...]]:
    """Each list term's literal values on the subjects of the top-level credential(s)."""
    triples = [q for q in quads if q.graph is None]
    credentials = {
        q.subject
        for q in triples
        if q.predicate.value == RDF_TYPE and q.object == IRI(CRED + "VerifiableCredential")
    }
    subjects = {
        q.object
        for q in triples
        if q.subject in credentials and q.predicate.value == CRED + "credentialSubject"
    }
    found: dict[str, list[str]] = {term: [] for term in LIST_TERMS}
    for q in triples:
        if q.subject not in subjects or not isinstance(q.object, Literal):
            continue
        for namespace in (STATUS, SL2021):
            term = q.predicate.value.removeprefix(namespace)
            if term in found and q.predicate.value.startswith(namespace):
                found[term].append(q.object.value)
    return {term: tuple(sorted(values)) for term, values in found.items()}


def signed_list_values(
    doc: Mapping[str, Any], result: Any, loader: Any = None
) -> dict[str, tuple[str, ...]] | None:
    """The list terms of the data the verified proofs cover; None when none verified."""
    verified = [p for p in result.proofs if p.verified and p.signed_document is not None]
    rdf = next((p for p in verified if p.signed_form == "nquads"), None)
    if rdf is not None:
        return _values(parse_nquads(rdf.signed_document))
    if not (verified or result.verified):
        return None
    from microcred_vc.jsonld.canon_input import quads_from_pyld
    from microcred_vc.jsonld.expand import to_dataset

    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    return _values(quads_from_pyld(to_dataset(unsecured, loader=loader)))


def mismatch(
    signed: Mapping[str, tuple[str, ...]], purposes: Iterable[str], encoded: str
) -> str | None:
    """Why the JSON's purposes / encodedList are not the signed ones, or None."""
    lists = signed.get("encodedList", ())
    if len(lists) != 1:
        return f"the signed data holds {len(lists)} encodedList values, not one"
    if lists[0] != encoded:
        return (
            "the JSON encodedList is not the one the proof covers (renamed keys or aliased terms)"
        )
    if tuple(sorted(set(purposes))) != tuple(sorted(set(signed.get("statusPurpose", ())))):
        return (
            f"the JSON statusPurpose {sorted(set(purposes))} is not the signed "
            f"{sorted(set(signed.get('statusPurpose', ())))}"
        )
    return None
