"""Resource attacks end with a clear error inside fixed bounds, never a hang."""

from __future__ import annotations

import json
import struct
import zlib

import pytest

from microcred_vc import canonicalize, verify
from microcred_vc.bake import unbake
from microcred_vc.errors import (
    CanonicalizationBudgetExceeded,
    ContextNotAllowed,
    InputTooLarge,
    JsonLdError,
    MicrocredError,
)
from microcred_vc.jsonld.canon import canonicalize_nquads
from microcred_vc.jsonld.loader import DocumentLoader

VC2 = "https://www.w3.org/ns/credentials/v2"


def test_deeply_nested_json_is_refused() -> None:
    text = '{"@context": "' + VC2 + '", "a": ' + "[" * 5000 + "]" * 5000 + "}"
    report = verify(text)
    assert not report.verified
    assert any(c.code == "INPUT_TOO_LARGE" for c in report.checks)


def test_huge_array_is_refused() -> None:
    text = json.dumps(
        {"@context": VC2, "type": ["VerifiableCredential"], "x": list(range(300_000))}
    )
    report = verify(text)
    assert any(c.code == "INPUT_TOO_LARGE" for c in report.checks)


def test_recursive_context_imports_end() -> None:
    loader = DocumentLoader(
        documents={
            "https://a.example/ctx": {"@context": ["https://b.example/ctx"]},
            "https://b.example/ctx": {"@context": ["https://a.example/ctx"]},
        }
    )
    with pytest.raises(JsonLdError):
        canonicalize({"@context": "https://a.example/ctx", "@id": "urn:x"}, loader=loader)


def test_context_chain_fan_out_is_bounded() -> None:
    """Billion-laughs shape: each context imports the next ten times; each is loaded once."""
    docs = {
        f"https://laugh.example/{i}": {"@context": [f"https://laugh.example/{i + 1}"] * 10}
        for i in range(30)
    }
    docs["https://laugh.example/30"] = {"@context": {"name": "https://schema.org/name"}}
    loads: list[str] = []

    class Counting(DocumentLoader):
        def load(self, url: str) -> object:
            loads.append(url)
            return super().load(url)

    loader = Counting(documents=docs)
    doc = {"@context": "https://laugh.example/0", "@id": "urn:x", "name": "n"}
    try:
        out = canonicalize(doc, loader=loader)
        assert "<https://schema.org/name>" in out
    except MicrocredError as exc:
        assert exc.code in ("JSONLD_ERROR", "INPUT_TOO_LARGE")
    assert len(loads) <= 31 * 2, f"{len(loads)} context loads for 31 contexts"


def test_unknown_context_is_never_fetched() -> None:
    with pytest.raises(ContextNotAllowed):
        canonicalize({"@context": "http://169.254.169.254/latest/meta-data", "@id": "urn:x"})


def _poison(n: int) -> str:
    """A graph of n indistinguishable blank nodes in a complete pattern."""
    lines = []
    for i in range(n):
        for j in range(n):
            if i != j:
                lines.append(f"_:b{i} <http://example.org/p> _:b{j} .")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("n", [6, 8, 10])
def test_generated_poison_graphs_hit_the_budget(n: int) -> None:
    with pytest.raises(CanonicalizationBudgetExceeded):
        canonicalize_nquads(_poison(n), max_work=2_000)


def _png_with_chunk(keyword: bytes, size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    itxt = keyword + b"\x00\x00\x00\x00\x00" + b"A" * size
    idat = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"iTXt", itxt)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def test_huge_png_chunk_is_refused() -> None:
    with pytest.raises(MicrocredError) as info:
        unbake(_png_with_chunk(b"openbadgecredential", 12_000_000))
    assert info.value.code in ("UNBAKE_FAILED", "INPUT_TOO_LARGE")


def test_input_limit_error_type() -> None:
    from microcred_vc.jsonld.limits import parse_json

    with pytest.raises(InputTooLarge):
        parse_json(b" " * 3_000_001)


# --- issue #16 V5: cost is bounded by design ------------------------------------
def _tagged(n: int) -> dict[str, object]:
    return {
        "@context": [VC2, {"tag": "https://example.org/tag"}],
        "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:s", "tag": [f"t{i}" for i in range(n)]},
    }


def test_twenty_thousand_element_list_verifies() -> None:
    """Before: pyld's duplicate check made this quadratic (20,000 tags never finished).

    Oracle: our signature over the same document, so the result must be a pass;
    the scaling itself is measured by bench/bench_scaling.py, not timed here.
    """
    from microcred_vc.keys import generate_key
    from microcred_vc.proofs import add_proof, verify_proof

    signed = add_proof(_tagged(20_000), generate_key())
    result = verify_proof(signed)
    assert result.verified, result.reason
    assert canonicalize(signed).count("<https://example.org/tag>") == 20_000


def test_deep_dict_gets_the_same_error_as_deep_json() -> None:
    """A dict from the Python API or an HTTP body is capped like JSON text."""
    deep: object = "x"
    for _ in range(10_000):
        deep = {"a": deep}
    as_dict = {"@context": VC2, "type": ["VerifiableCredential"], "a": deep}
    text = '{"@context": "' + VC2 + '", "a": ' + '{"a": ' * 10_000 + '"x"' + "}" * 10_001
    codes = []
    for value in (as_dict, text):
        report = verify(value)
        assert not report.verified
        codes.append([(c.name, c.code) for c in report.checks if c.code])
    assert codes[0] == codes[1] == [("format", "INPUT_TOO_LARGE")]


def test_cyclic_dict_is_refused() -> None:
    doc: dict[str, object] = {"@context": VC2, "type": ["VerifiableCredential"]}
    doc["self"] = doc
    report = verify(doc)
    assert any(c.code == "INPUT_TOO_LARGE" for c in report.checks)


@pytest.mark.parametrize("n", [1_500, 2_000])
def test_blank_node_ring_gives_a_typed_error(n: int) -> None:
    """Before: a bare RecursionError from Hash N-Degree Quads."""
    ring = "".join(f"_:n{i} <http://example.org/p> _:n{(i + 1) % n} .\n" for i in range(n))
    with pytest.raises(CanonicalizationBudgetExceeded):
        canonicalize_nquads(ring)


def test_png_of_four_million_empty_chunks_is_refused() -> None:
    from microcred_vc.errors import ImageLimitExceeded

    base = _png_with_chunk(b"openbadgecredential", 10)
    empty = struct.pack(">I", 0) + b"prVt" + struct.pack(">I", zlib.crc32(b"prVt"))
    image = base[:-12] + empty * 4_000_000 + base[-12:]
    with pytest.raises(ImageLimitExceeded):
        unbake(image)


def test_cost_bounds_table_states_the_constants() -> None:
    """docs/security.md *Cost bounds* shows the values the code enforces (oracle: the constants)."""
    from pathlib import Path

    from microcred_vc.bake.png import MAX_CHUNKS, MAX_PIXELS
    from microcred_vc.jsonld.budget import DEFAULT_WORK_BUDGET
    from microcred_vc.jsonld.limits import DEFAULT_LIMITS
    from microcred_vc.proofs.limits import MAX_CHAIN, MAX_PROOFS

    text = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text()
    section = text.split("## Cost bounds", 1)[1].split("\n## ", 1)[0]
    rows = {
        line.split("|")[1].strip(): line.split("|")[2].strip()
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("| Bound")
    }
    assert rows["JSON depth / nodes, text **and dicts**"] == (
        f"{DEFAULT_LIMITS.max_depth} / {DEFAULT_LIMITS.max_nodes:,}"
    )
    assert rows["Proofs per set"] == str(MAX_PROOFS)
    assert rows["`previousProof` chain length (transitive)"] == str(MAX_CHAIN)
    assert rows["Work budget per verification"].startswith(f"{DEFAULT_WORK_BUDGET:,} units")
    assert rows["RDFC-1.0 recursion depth"].startswith("none (iterative")
    assert rows["PNG chunks"] == f"{MAX_CHUNKS:,}"
    assert rows["PNG pixels (IHDR width × height)"] == f"{MAX_PIXELS:,}"


def test_a_presentation_shares_one_work_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every proof of every credential inside one verify() spends from the same budget.

    Otherwise a presentation of many small credentials, each with many proof chains,
    would get a fresh budget per credential. Oracle: the budget objects seen.
    """
    from microcred_vc.jsonld import budget
    from microcred_vc.keys import generate_key
    from microcred_vc.proofs import create_presentation, issue_document, verifying

    seen: list[object] = []
    original = verifying._verify_proof

    def recording(*args: object, **kwargs: object) -> object:
        seen.append(budget.active())
        return original(*args, **kwargs)

    monkeypatch.setattr(verifying, "_verify_proof", recording)
    issuer, holder = generate_key("Ed25519"), generate_key("Ed25519")
    vcs = [issue_document({**_tagged(3), "issuer": issuer.did}, issuer) for _ in range(3)]
    report = verify(create_presentation(vcs, holder, challenge="c"), challenge="c")
    assert report.verified, [(c.name, c.code, c.message) for c in report.checks]
    assert len(seen) == 4
    assert all(b is seen[0] and b is not None for b in seen)
