"""Benchmark: JSON-LD credential → canonical N-Quads, ours vs calling pyld naively.

Ours: ``microcred_vc.canonicalize(doc)`` — the offline loader with its cache of
processed contexts, one expansion, and our RDFC-1.0. The reference is what a
developer writes with plain pyld: ``jsonld.normalize(doc, {"algorithm":
"URDNA2015", "format": "application/n-quads", "documentLoader": loader})``
with a loader that reads the context files. Both run in this process on the
same documents (the OB3 credentials of ../shared/fixtures/ob3 that our
offline contexts cover), interleaved; outputs must be byte-identical.

    .venv/bin/python bench/bench_jsonld.py [--out docs/performance.md] [--quick]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pyld import jsonld  # noqa: E402  (reference only)

from bench.common import geomean, official_context_loader, paired, write_section  # noqa: E402
from microcred_vc.errors import MicrocredError  # noqa: E402
from microcred_vc.jsonld import canonicalize  # noqa: E402
from microcred_vc.jsonld.loader import contexts_dir  # noqa: E402
from tests.fixture_paths import FIXTURES  # noqa: E402


def cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted((FIXTURES / "ob3").rglob("*.json")):
        try:
            doc = json.loads(path.read_text())
        except ValueError:
            continue
        if not isinstance(doc, dict) or "@context" not in doc:
            continue
        doc = {k: v for k, v in doc.items() if k != "proof"}
        try:
            canonicalize(doc)
        except MicrocredError:
            continue  # outside what the offline contexts cover (e.g. extensions.json)
        out.append((str(path.relative_to(FIXTURES)), doc))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    loader = official_context_loader(cache=False)
    rows, ratios, mismatches = [], [], 0
    min_time = 0.05 if args.quick else 0.3
    for name, doc in cases():
        opts = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}
        ours_out = canonicalize(doc)
        ref_out = jsonld.normalize(doc, opts)
        same = ours_out == ref_out
        mismatches += not same
        t_ours, t_ref = paired(
            lambda d=doc: canonicalize(d),
            lambda d=doc, o=opts: jsonld.normalize(d, o),
            min_time=min_time,
        )
        ratios.append(t_ref / t_ours)
        rows.append(
            f"| `{name}` | {t_ours * 1e3:.2f} | {t_ref * 1e3:.2f} | {t_ref / t_ours:.2f}× | {'yes' if same else '**no**'} |"
        )
    body = [
        "## JSON-LD credential → canonical N-Quads (full path)",
        "",
        f"`canonicalize(doc)` vs plain pyld `jsonld.normalize` with a file loader, {len(rows)} OB3 fixtures,",
        "same process, interleaved rounds (best of 5). Ratio > 1 means ours is faster.",
        "",
        "| credential | ours (ms) | pyld (ms) | ratio | identical bytes |",
        "|---|---:|---:|---:|---|",
        *rows,
        "",
        f"**Geometric mean speed-up: {geomean(ratios):.2f}×** (target ≥ 1.5×); byte mismatches: {mismatches}.",
        f"Contexts served from `{contexts_dir().name}/` (authored here).",
        "",
    ]
    text = "\n".join(body)
    print(text)
    if args.out:
        write_section(args.out, "bench_jsonld", text)
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
