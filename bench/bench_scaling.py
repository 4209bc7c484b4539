"""Benchmark: verification cost against list length, proof count and chain length.

Issue #16 V5 asked that cost be bounded by design: linear in the size of the
document, capped in the number of proofs and chains, and refused fast past the
caps. This measures exactly that, in one process:

* a credential with n tags, signed once, verified with ``verify_proof`` (and,
  for n up to 4,000, pyld's own node map step on the same expanded input, the
  quadratic step we replaced); the complexity property is time(4n)/time(n) < 8
  (linear gives about 4, quadratic about 16);
* proof sets of 1..32 proofs and ``previousProof`` chains of 1..8, then the
  refusals past the caps (33 and 200 proofs, a chain of 9);
* a PNG of 4 million empty chunks (time and peak memory to refusal).

Timings are for orientation (the machine is shared); the ratios are the claim.

    .venv/bin/python bench/bench_scaling.py [--out docs/performance.md] [--quick]
"""

from __future__ import annotations

import argparse
import copy
import math
import platform
import struct
import sys
import time
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pyld import jsonld as pyld  # noqa: E402  (reference only)
from pyld.identifier_issuer import IdentifierIssuer  # noqa: E402

from bench.common import best_of, write_section  # noqa: E402
from microcred_vc.bake import unbake  # noqa: E402
from microcred_vc.errors import MicrocredError  # noqa: E402
from microcred_vc.jsonld.budget import work_budget  # noqa: E402
from microcred_vc.jsonld.expand import expand  # noqa: E402
from microcred_vc.jsonld.node_map import NodeMapProcessor  # noqa: E402
from microcred_vc.keys import generate_key  # noqa: E402
from microcred_vc.proofs import add_proof, verify_proof  # noqa: E402
from microcred_vc.proofs.limits import MAX_CHAIN, MAX_PROOFS  # noqa: E402

VC2 = "https://www.w3.org/ns/credentials/v2"


def tagged(n: int) -> dict[str, Any]:
    return {
        "@context": [VC2, {"tag": "https://example.org/tag"}],
        "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:s", "tag": [f"t{i}" for i in range(n)]},
    }


def node_map_time(processor_cls: Any, expanded: Any) -> float:
    def run() -> None:
        graph_map: dict[str, Any] = {"@default": {}}
        processor_cls()._create_node_map(
            copy.deepcopy(expanded), graph_map, "@default", IdentifierIssuer("_:b")
        )

    return best_of(run, rounds=1, min_time=0.0)


def fitted_exponent(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of log(time) on log(size): 1.0 is linear, 2.0 quadratic."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def lists_section(sizes: list[int]) -> tuple[str, bool]:
    key = generate_key()
    rows, times = [], {}
    for n in sizes:
        signed = add_proof(tagged(n), key)
        assert verify_proof(signed).verified
        t = best_of(lambda signed=signed: verify_proof(signed), rounds=3, min_time=0.0)
        times[n] = t
        expanded = expand(signed, safe=False)
        ours = node_map_time(NodeMapProcessor, expanded)
        theirs = f"{node_map_time(pyld.JsonLdProcessor, expanded) * 1e3:.0f}" if n <= 4000 else "—"
        rows.append(f"| {n} | {t * 1e3:.0f} | {t * 1e6 / n:.1f} | {ours * 1e3:.1f} | {theirs} |")
    ratios = [(n, times[4 * n] / times[n]) for n in sizes if 4 * n in times and times[n] > 0]
    ok = all(r < 8 for _, r in ratios)
    lines = [
        "## Scaling: verification time against list length",
        "",
        f"Python {platform.python_version()}, pyld {pyld.__version__ if hasattr(pyld, '__version__') else '3.x'}; "
        "a credential with n tags signed with eddsa-rdfc-2022, `verify_proof` best of 3; "
        "the node map columns time only the step pyld made quadratic, ours vs pyld's, "
        "on the same expanded document.",
        "",
        "| tags | verify ms | µs per tag | node map ms (ours) | node map ms (pyld) |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "Complexity property time(4n) / time(n) < 8 (linear ≈ 4, quadratic ≈ 16): "
        + ", ".join(f"n={n}: {r:.1f}" for n, r in ratios)
        + (" — **holds**." if ok else " — **VIOLATED**."),
        "",
        f"Fitted exponent (log-log least squares over all sizes): "
        f"{fitted_exponent(sorted(times.items())):.2f} (target ≤ 1.1).",
    ]
    return "\n".join(lines), ok


def _copies(doc: dict[str, Any], count: int, chain: bool) -> dict[str, Any]:
    template = doc["proof"]
    proofs = []
    for i in range(count):
        p = copy.deepcopy(template)
        p["id"] = f"urn:p:{i}"
        if chain and i:
            p["previousProof"] = f"urn:p:{i - 1}"
        proofs.append(p)
    return {**doc, "proof": proofs}


def proofs_section(tags: int) -> str:
    key = generate_key()
    base = tagged(tags)
    rows = []
    set_times: list[tuple[float, float]] = []
    for count in (1, 2, 4, 8, 16, MAX_PROOFS):
        doc = base
        for i in range(count):
            doc = add_proof(doc, key, proof_id=f"urn:s:{i}")
        t = best_of(lambda doc=doc: verify_proof(doc), rounds=3, min_time=0.0)
        set_times.append((count, t))
        rows.append(f"| set | {count} | {t * 1e3:.1f} | {verify_proof(doc).code or 'verified'} |")
    doc = base
    for i in range(MAX_CHAIN):
        doc = add_proof(
            doc, key, proof_id=f"urn:c:{i}", previous_proof=f"urn:c:{i - 1}" if i else None
        )
        t = best_of(lambda doc=doc: verify_proof(doc), rounds=3, min_time=0.0)
        rows.append(f"| chain | {i + 1} | {t * 1e3:.1f} | {verify_proof(doc).code or 'verified'} |")
    one = add_proof(base, key, proof_id="urn:p:0")
    for label, count, chain in (
        ("set", MAX_PROOFS + 1, False),
        ("set", 200, False),
        ("chain", MAX_CHAIN + 1, True),
        ("chain", 200, True),
    ):
        doc = _copies(one, count, chain)
        t = best_of(lambda doc=doc: verify_proof(doc), rounds=3, min_time=0.0)
        rows.append(f"| {label} | {count} | {t * 1e3:.2f} | {verify_proof(doc).code} |")
    worst = worst_case(20_000)
    return "\n".join(
        [
            "## Scaling: verification time against proofs per set and chain length",
            "",
            f"A credential with {tags} tags; proofs by one Ed25519 key. Proofs of a set share "
            "the canonical document; each chain link re-canonicalises the document with the "
            f"proofs it names. Past {MAX_PROOFS} proofs or a chain of {MAX_CHAIN} the set is "
            "refused before any proof is processed.",
            "",
            "| shape | proofs | verify ms | result |",
            "|---|---|---|---|",
            *rows,
            "",
            "Fitted exponent of set verification time against proof count: "
            f"{fitted_exponent(set_times):.2f} (the proofs share one canonical document, so "
            "the per-proof cost is a signature check and the proof options' hash).",
            "",
            worst,
        ]
    )


def worst_case(tags: int) -> str:
    """32 proofs over a 200 KB credential, 30 of them with distinct previousProof lists.

    Every distinct list re-canonicalises the whole document: within the caps,
    only the shared work budget stops this (before: about 30 canonicalisations).
    """
    one = add_proof(tagged(tags), generate_key(), proof_id="urn:p:0")
    doc = _copies(one, MAX_PROOFS, chain=False)
    for i in range(2, MAX_PROOFS):
        doc["proof"][i]["previousProof"] = ["urn:p:0"] * (i - 1) + ["urn:p:1"]
    start = time.perf_counter()
    with work_budget() as budget:
        result = verify_proof(doc)
    elapsed = time.perf_counter() - start
    codes = [p.code for p in result.proofs]
    refused = codes.count("WORK_BUDGET_EXCEEDED")
    return (
        f"Worst case inside the caps: {MAX_PROOFS} proofs over a {tags}-tag credential, "
        f"{MAX_PROOFS - 2} with distinct previousProof lists (each re-canonicalises the "
        f"document): {elapsed:.1f} s, {budget.spent:,} work units, then "
        f"{refused} proofs refused with WORK_BUDGET_EXCEEDED (budget {budget.limit:,})."
    )


def png_section(chunks: int) -> str:
    def chunk(kind: bytes, data: bytes = b"") -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    image = (
        b"\x89PNG\r\n\x1a\n"
        + header
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"prVt") * chunks
        + chunk(b"IEND")
    )

    def refuse() -> str:
        try:
            unbake(image)
        except MicrocredError as exc:
            return exc.code
        return "accepted"

    start = time.perf_counter()
    code = refuse()
    elapsed = time.perf_counter() - start
    tracemalloc.start()  # a second run for memory: tracing slows the first down
    refuse()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return "\n".join(
        [
            "## Scaling: PNG of empty chunks",
            "",
            f"{chunks:,} empty chunks ({len(image) / 2**20:.0f} MiB): {code} after "
            f"{elapsed * 1e3:.1f} ms, {peak / 2**20:.2f} MiB allocated while reading "
            "(before: 15 s and 679 MiB, then no badge found).",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = (
        [100, 500, 1000, 2000, 4000]
        if args.quick
        else [100, 500, 1000, 2000, 4000, 8000, 16000, 20000]
    )
    lists, ok = lists_section(sizes)
    body = "\n\n".join([lists, proofs_section(200 if args.quick else 2000), png_section(4_000_000)])
    print(body)
    if args.out:
        write_section(args.out, "bench_scaling", body)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
