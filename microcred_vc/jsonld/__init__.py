"""JSON-LD core: offline loader, safe-mode expansion, RDFC-1.0 and JCS canonicalisation.

pyld is imported only in :mod:`microcred_vc.jsonld.expand`; RDFC-1.0 is ours
(:mod:`microcred_vc.jsonld.canon`), so the bytes that get signed never depend
on another project's canonicaliser.
"""

from __future__ import annotations

from typing import Any, Literal

from microcred_vc.errors import MicrocredError
from microcred_vc.jsonld.loader import DocumentLoader, LoaderLike, default_loader

Algorithm = Literal["RDFC-1.0", "JCS"]

__all__ = ["DocumentLoader", "canonicalize", "default_loader"]


def canonicalize(
    doc: Any,
    algorithm: Algorithm | str = "RDFC-1.0",
    *,
    loader: LoaderLike | None = None,
    hash_algorithm: str = "SHA256",
    safe: bool = True,
    max_work: int | None = None,
) -> str:
    """Canonical form of a JSON-LD document: N-Quads (RDFC-1.0) or JSON text (JCS).

    RDFC-1.0 goes JSON-LD → quads (the compiled walk, or pyld for what it does
    not cover; safe mode on) → our canonicaliser, without an N-Quads round
    trip in between.
    """
    if algorithm in ("RDFC-1.0", "rdfc-1.0", "URDNA2015"):
        from microcred_vc.jsonld.canon import canonicalize_quads
        from microcred_vc.jsonld.expand import to_quads

        return canonicalize_quads(
            to_quads(doc, loader=loader, safe=safe),
            hash_algorithm=hash_algorithm,
            max_work=max_work,
        )
    if algorithm in ("JCS", "jcs", "RFC8785"):
        from microcred_vc.jsonld.jcs import jcs

        return jcs(doc).decode("utf-8")
    raise MicrocredError(
        f"unknown canonicalisation algorithm {algorithm!r}; use 'RDFC-1.0' or 'JCS'",
        code="UNKNOWN_ALGORITHM",
    )
