"""Byte-for-byte parity with plain pyld on every fixture document our contexts cover.

The reference is what a developer writes with pyld alone: ``jsonld.normalize`` with a
loader serving the *official* context files. Ours is ``canonicalize`` with the contexts
authored in this repository, our processed-context caching and our RDFC-1.0. Equal
bytes here mean the speed-ups in docs/performance.md change nothing that gets signed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld  # reference only: the library reaches pyld through jsonld/expand.py

from microcred_vc.errors import MicrocredError
from microcred_vc.jsonld import canonicalize
from tests.fixture_paths import FIXTURES

INDEX = json.loads((FIXTURES / "contexts" / "INDEX.json").read_text())
EDC = "http://data.europa.eu/snb/model/context/edc-ap"
# the EDCI test credentials name development copies of the EDC context (see MANIFEST.md)
for alias in (
    "http://dev.everisdx.io/datamodel/edc-ap-context.jsonld",
    "http://dev.everisdx.io/datamodel/test/edc-ap-context.jsonld",
):
    INDEX[alias] = INDEX[EDC]


def _official_loader(url: str, options: Any = None) -> dict[str, Any]:
    path = FIXTURES / "contexts" / INDEX[url.split("#")[0]]
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(path.read_text())}


def _documents() -> list[Path]:
    out = []
    for folder in ("ob3", "di-vectors", "vc2", "status", "edc"):
        for path in sorted((FIXTURES / folder).rglob("*.json*")):
            try:
                doc = json.loads(path.read_text())
            except (ValueError, UnicodeDecodeError):
                continue
            if isinstance(doc, dict) and "@context" in doc:
                out.append(path)
    return out


DOCS = _documents()


def test_enough_documents_are_compared() -> None:
    assert len(DOCS) > 250


@pytest.mark.parametrize("path", DOCS, ids=[str(p.relative_to(FIXTURES)) for p in DOCS])
@pytest.mark.parametrize("safe", [True, False], ids=["safe", "plain"])
def test_same_bytes_as_pyld(path: Path, safe: bool) -> None:
    doc = json.loads(path.read_text())
    try:
        ours = canonicalize(doc, safe=safe)
    except MicrocredError as exc:
        # refused: an undefined term in safe mode, a context no fixture provides, or
        # RDF that is not valid (e.g. the EDCI samples' language tag "en ", which pyld
        # would write into N-Quads no parser accepts)
        assert exc.code in (
            "UNDEFINED_TERM",
            "CONTEXT_NOT_ALLOWED",
            "JSONLD_ERROR",
            "CANON_ERROR",
        ), exc
        return
    opts = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": _official_loader,
    }
    try:
        reference = jsonld.normalize(doc, opts)
    except Exception:  # pyld refusing where we did not is a finding
        pytest.fail(f"pyld refuses a document we canonicalised: {path.name}")
    assert ours == reference
