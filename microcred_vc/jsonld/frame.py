"""JSON-LD framing through the project's loader: one tree out of any form of a graph.

A JSON-LD document may come compacted (one tree), expanded (full IRIs, no
context) or flattened (``@graph``: every node at top level, linked by id). The
three say the same RDF, but a reader written for the compacted tree only
understands the first. Framing rebuilds that tree from any of them.

Why here: pyld is imported only inside :mod:`microcred_vc.jsonld`, so every
context it meets comes through the project's offline
:class:`~microcred_vc.jsonld.loader.DocumentLoader` (pinned contexts, no
network unless the caller's loader allows it).

Why ``@embed: @once`` and not ``@always``: ``@always`` copies a shared node
into every place that references it, so a graph where each node points twice
at the next grows as 2^depth when framed (a billion-laughs by references).
``@once`` embeds each node once and references it by id elsewhere, so the
output is linear in the input; the EDC reader resolves those references.

Terms the document's own context does not define are dropped by expansion;
instead of losing them silently, :func:`frame` returns their names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyld import jsonld as _pyld

from microcred_vc.jsonld import budget
from microcred_vc.jsonld.expand import _options, _Processor, _pyld_errors
from microcred_vc.jsonld.loader import LoaderLike


@dataclass
class Framed:
    """The framed document and the properties expansion dropped on the way."""

    document: Any
    dropped: list[str]


def frame(doc: Any, frame_doc: dict[str, Any], *, loader: LoaderLike | None = None) -> Framed:
    """``doc`` (any JSON-LD form) framed by ``frame_doc`` with the project's loader.

    ``frame_doc`` should use ``@embed: @once`` (see the module docstring). The
    work is charged to the active :mod:`~microcred_vc.jsonld.budget`.
    """
    budget.spend_on_document(doc, "JSON-LD framing")
    dropped: list[str | None] = []
    options = _options(loader, safe=True)
    caches = options.pop("_caches")
    processor = _Processor(caches.clones, on_property_dropped=dropped.append)
    with _pyld_errors():
        expanded = processor.expand(doc, options)
        # expanded input expands to itself: pyld's frame() only re-reads it
        framed = _pyld.frame(expanded, frame_doc, {**options, "omitGraph": True})
    budget.spend_on_document(framed, "JSON-LD framing")
    names = sorted({term for term in dropped if term is not None})
    return Framed(framed, names)
