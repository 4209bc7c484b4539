"""Canonical N-Quads published with the OB3 and Data Integrity specs are fixed points.

These are real credentials and proof configurations canonicalised by other
implementations; canonicalising them again, or any relabelled and shuffled
copy of them, must give back the same bytes, or our signatures would not
verify theirs.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from microcred_vc.jsonld.canon import canonicalize_nquads
from microcred_vc.jsonld.nquads import parse_serialized
from tests.fixture_paths import FIXTURES


def _vectors() -> list[Path]:
    found: list[Path] = []
    ob3 = FIXTURES / "ob3" / "spec-test-vectors"
    if ob3.is_dir():
        found += sorted(ob3.rglob("*-canon.txt"))
    di = FIXTURES / "di-vectors"
    if di.is_dir():
        found += sorted(
            p for p in di.rglob("*.txt") if "anon" in p.name and "JCS" not in p.name.upper()
        )
    return found


VECTORS = _vectors()


def _hash_for(path: Path) -> str:
    """ecdsa-rdfc-2019 with P-384 canonicalises with SHA-384 (VC DI ECDSA spec)."""
    return "SHA384" if "p384" in str(path).lower() else "SHA256"


def _id(path: Path) -> str:
    return str(path.relative_to(FIXTURES))


@pytest.mark.parametrize("path", VECTORS, ids=[_id(p) for p in VECTORS])
def test_official_canonical_nquads_are_fixed_points(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    algorithm = _hash_for(path)
    assert canonicalize_nquads(text, hash_algorithm=algorithm) == text
    quads = parse_serialized(text)
    rng = random.Random(path.name)
    names = {t for q in quads for t in (q[0], q[2], q[3]) if t.startswith("_:")}
    fresh = [f"_:x{n}" for n in rng.sample(range(10 * len(names) + 1), len(names))]
    rename = dict(zip(sorted(names), fresh, strict=True))
    shuffled = [(rename.get(s, s), p, rename.get(o, o), rename.get(g, g)) for s, p, o, g in quads]
    rng.shuffle(shuffled)
    variant = "".join(
        f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n" for s, p, o, g in shuffled
    )
    assert canonicalize_nquads(variant, hash_algorithm=algorithm) == text


def test_vectors_found() -> None:
    assert len(VECTORS) >= 15, f"expected OB3 and DI canonical vectors under {FIXTURES}"
    assert any(_hash_for(p) == "SHA384" for p in VECTORS)


def test_p384_vector_needs_sha384() -> None:
    """With blank nodes in play the hash algorithm changes the labels."""
    (path,) = [p for p in VECTORS if "p384" in str(p).lower() and "employ/canonDoc" in str(p)]
    text = path.read_text(encoding="utf-8")
    assert canonicalize_nquads(text, hash_algorithm="SHA256") != text
