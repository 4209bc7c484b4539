"""Any JSON-LD form of an EDC (expanded, flattened) framed into the compacted tree the reader knows.

EDC tools write the compacted tree (``credentialSubject.hasClaim.specifiedBy…``),
but the same credential is equally valid JSON-LD expanded (full IRIs, no
context) or flattened (every node in ``@graph``, linked by id), as EDCI's own
``credFlatten.jsonld`` test resource is. The reader in :mod:`.reading` walks the
tree, so such a document is first framed (JSON-LD 1.1 framing, through the
project's document loader and pinned contexts) on the EDC credential node and
compacted with the VC 1.1 + EDC AP contexts the reader is written for.

Framing is for reading and converting only. A signature covers the bytes (a
JAdES seal) or the RDF dataset (a Data Integrity proof) of the document as it
was given; verification never sees the framed tree.
"""

from __future__ import annotations

import re
from typing import Any

from microcred_vc.detect import EDC_TYPE_IRI, EDC_TYPE_IRI_OLD, is_edc_graph
from microcred_vc.errors import ConversionError
from microcred_vc.formats.base import Loss
from microcred_vc.formats.edc.common import EDC_CONTEXT, VC_V1, many

#: The contexts an expanded EDC (which has none) is compacted with: the pinned ELM 3 ones.
PINNED_CONTEXT: list[Any] = [VC_V1, EDC_CONTEXT]


def edc_frame(context: Any) -> dict[str, Any]:
    """The frame: the EDC node (ELM 3 or EDCI's older namespace) as root, every node
    embedded once (see jsonld/frame.py), compacted with ``context``."""
    return {
        "@context": context,
        "@type": [EDC_TYPE_IRI, EDC_TYPE_IRI_OLD],
        "@embed": "@once",
    }


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def _is_language_map(item: dict[str, Any]) -> bool:
    """Every key a language tag and every value text: ``{"en": "…", "pt-BR": ["…"]}``.
    A node (``id``, ``type``, properties holding objects) never is one."""
    return bool(item) and all(
        isinstance(key, str)
        and _LANGUAGE_TAG.match(key)
        and key.lower() not in ("id", "type")
        and (
            isinstance(text, str)
            or (isinstance(text, list) and all(isinstance(t, str) for t in text))
        )
        for key, text in item.items()
    )


def _tags_as_given(value: Any, found: dict[str, str]) -> dict[str, str]:
    """Lower-cased tag → the tag as the document spells it (``pt-BR``), from language
    maps and ``@language`` values (JSON-LD processors lower-case tags on expansion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            tags = list(item) if _is_language_map(item) else []
            language = item.get("@language")
            if isinstance(language, str) and _LANGUAGE_TAG.match(language):
                tags.append(language)
            for tag in tags:
                if tag != tag.lower():
                    found.setdefault(tag.lower(), tag)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _restore_tags(value: Any, tags: dict[str, str]) -> Any:
    """Language-map keys back in the document's own spelling: never change what was given."""
    if isinstance(value, list):
        return [_restore_tags(item, tags) for item in value]
    if not isinstance(value, dict):
        return value
    if _is_language_map(value):
        return {tags.get(key, key): text for key, text in value.items()}
    return {key: _restore_tags(inner, tags) for key, inner in value.items()}


def needs_framing(doc: Any) -> bool:
    """True for an expanded (an array, or IRI-typed) or flattened (``@graph``) EDC.

    A compacted EDC (typed ``EuropeanDigitalCredential`` at its root) is read as is,
    so what the reader reports keeps the document's own paths.
    """
    if isinstance(doc, list):
        return is_edc_graph(doc)
    if not isinstance(doc, dict):
        return False
    if "EuropeanDigitalCredential" in many(doc.get("type")):
        return False
    types = {t for t in many(doc.get("@type")) if isinstance(t, str)}  # not {} or [[]]
    return "@graph" in doc or bool({EDC_TYPE_IRI, EDC_TYPE_IRI_OLD} & types)


def frame_edc(doc: Any, *, loader: Any = None) -> tuple[dict[str, Any], list[Loss]]:
    """The compacted EDC tree of an expanded or flattened EDC, and what framing lost.

    Raises :class:`ConversionError` when the graph holds no EDC node, or several
    (a graph of two credentials is not one credential; convert each).
    """
    from microcred_vc.jsonld.frame import frame

    # a flattened EDC keeps its own context (the reader reads the terms a compacted
    # EDC with that context would have); an expanded one gets the pinned ELM 3 context
    own = doc.get("@context") if isinstance(doc, dict) else None
    framed = frame(doc, edc_frame(own if own is not None else PINNED_CONTEXT), loader=loader)
    tags = _tags_as_given(doc, {})
    tree = _restore_tags(framed.document, tags) if tags else framed.document
    graph = tree.get("@graph") if isinstance(tree, dict) else None
    if isinstance(graph, list):
        if len(graph) != 1:
            raise ConversionError(
                f"the JSON-LD graph holds {len(graph)} EuropeanDigitalCredential nodes; "
                "an EDC is one credential (convert each separately)"
                if graph
                else "the JSON-LD graph holds no EuropeanDigitalCredential node"
            )
        tree = {"@context": tree.get("@context"), **graph[0]}
    if not isinstance(tree, dict) or "EuropeanDigitalCredential" not in many(tree.get("type")):
        if isinstance(tree, dict) and EDC_TYPE_IRI_OLD in many(tree.get("type")):
            raise ConversionError(
                "an expanded EDC in EDCI's pre-ELM 3 vocabulary (…/snb/model/, not …/model/elm/): "
                "no pinned context compacts it; give it compacted or flattened with its own @context"
            )
        raise ConversionError("the JSON-LD graph holds no EuropeanDigitalCredential node")
    losses = [
        Loss(
            term,
            "not defined by the document's @context: JSON-LD drops it, so framing the "
            "expanded/flattened EDC could not carry it",
        )
        for term in framed.dropped
    ]
    return tree, losses


def frame_if_needed(doc: Any) -> tuple[Any, list[Loss]]:
    """The reader's hook: ``doc`` unchanged when compacted, else framed (with its losses)."""
    if needs_framing(doc):
        return frame_edc(doc)
    return doc, []
