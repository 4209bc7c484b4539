"""Which document may speak for a verification method, and what it allows it.

A verification method entry carries its own ``controller`` field, but that
field is only a claim made by whoever wrote the document. Trusting it lets
``did:web:attacker`` publish ``{controller: did:key:<victim>}`` next to the
attacker's own key and have credentials verify as the victim's (issue #16 V1).
So a method is accepted only from its controller's own document, following the
"retrieve verification method" steps of W3C Controlled Identifiers 1.0:

1. the document served for a URL must carry that URL (without fragment) as id;
2. the method's id must lie inside that document (base equals the document id);
3. the method's ``controller`` must be the document id.

The relationships (assertionMethod, ...) are read from the same document, so
the third question the brief asks -- is the key listed for this purpose -- is
answered by the controller and nobody else; callers check it with
``VerificationMethod.allows``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from microcred_vc.errors import DidResolutionError
from microcred_vc.keys.errors import KeyControllerMismatch

RELATIONSHIPS = (
    "assertionMethod",
    "authentication",
    "capabilityInvocation",
    "capabilityDelegation",
    "keyAgreement",
)


@dataclass(frozen=True)
class LocatedMethod:
    """A method entry found in, and vouched for by, its controller's document."""

    id: str
    controller: str
    item: Mapping[str, Any]
    relationships: frozenset[str]


def _absolute(ref: str, base: str) -> str:
    return base + ref if ref.startswith("#") else ref


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def base_of(url: str) -> str:
    """The URL without its fragment: the id of the document that defines it."""
    return url.split("#", 1)[0]


def _document_id(document: Mapping[str, Any], vm_url: str) -> tuple[str, str]:
    """(document id, absolute vm URL); the document must be the one the URL names."""
    wanted = base_of(vm_url)
    doc_id = document.get("id", wanted)
    if not isinstance(doc_id, str) or not doc_id:
        raise DidResolutionError(f"the controller document for {vm_url!r} has no string id")
    if not wanted:  # a bare fragment ("#key-1") is relative to the document
        return doc_id, doc_id + vm_url
    if doc_id != wanted:
        raise KeyControllerMismatch(
            f"the document obtained for {wanted!r} says its id is {doc_id!r}; a document "
            "may only define verification methods under its own id",
            vm=vm_url,
        )
    return doc_id, vm_url


def locate_method(document: Mapping[str, Any], vm_url: str) -> LocatedMethod:
    """Find ``vm_url`` in ``document`` and prove the document is its controller's."""
    doc_id, vm_url = _document_id(document, vm_url)
    candidates: dict[str, Mapping[str, Any]] = {}
    for item in _as_list(document.get("verificationMethod")):
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            candidates[_absolute(item["id"], doc_id)] = item
    relationships: dict[str, set[str]] = {}
    for rel in RELATIONSHIPS:
        for entry in _as_list(document.get(rel)):
            if isinstance(entry, str):
                relationships.setdefault(_absolute(entry, doc_id), set()).add(rel)
            elif isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                vm_id = _absolute(entry["id"], doc_id)
                candidates.setdefault(vm_id, entry)
                relationships.setdefault(vm_id, set()).add(rel)
    if "#" not in vm_url:
        if len(candidates) != 1:
            raise DidResolutionError(
                f"{vm_url!r} names no key fragment and its document has {len(candidates)} keys"
            )
        vm_url = next(iter(candidates))
    item = candidates.get(vm_url)
    if item is None:
        raise DidResolutionError(f"verification method {vm_url!r} not found in its document")
    if base_of(vm_url) != doc_id:
        raise KeyControllerMismatch(
            f"verification method {vm_url!r} lies outside the document {doc_id!r} that lists it",
            vm=vm_url,
        )
    controller = item.get("controller")
    if not isinstance(controller, str):
        raise DidResolutionError(f"verification method {vm_url!r} has no controller")
    if controller != doc_id:
        raise KeyControllerMismatch(
            f"verification method {vm_url!r} claims controller {controller!r}, but it was "
            f"published by {doc_id!r}; only the controller's own document can vouch for a key",
            vm=vm_url,
        )
    return LocatedMethod(
        id=vm_url,
        controller=controller,
        item=item,
        relationships=frozenset(relationships.get(vm_url, ())),
    )
