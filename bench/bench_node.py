"""Benchmark: this library against Digital Bazaar's JavaScript stack and plain pyld, one run.

Run from the repository root (``make bench`` installs ``bench/node`` with ``npm ci``)::

    .venv/bin/python bench/bench_node.py [--out docs/performance.md] [--quick]

Why a separate script: the node side runs as one subprocess (``bench/node/dbvc.mjs``,
exact versions in ``bench/node/package-lock.json``), so its start-up is excluded
and its timings are its own ``performance.now()``; ours are taken in this process
just before and just after it (the spread column shows how much the machine
moved meanwhile). Without node the section says so and shows ours vs pyld only.

Two parts: sign and verify on a small and a big OB3 credential, and RDFC-1.0 on
generated graphs of 1k/10k/100k quads with few and with many blank nodes (pyld
only up to 10k: it takes tens of seconds beyond).

The credential rows are eddsa-rdfc-2022 (the proofValues of both sides must be
identical: Ed25519 is deterministic) and ecdsa-rdfc-2019 with P-256 and P-384
keys, whose signatures are random on Digital Bazaar's side; their oracle (each
side verifies the other's credential, and both hash byte-identical canonical
N-Quads) lives in ``bench/node_ecdsa.py``. A failed oracle is marked in the row
and makes the exit status 1.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pyld import jsonld  # noqa: E402  (reference only)

from bench import node_ecdsa  # noqa: E402
from bench.bench_proofs import CREATED, SEEDS  # noqa: E402
from bench.common import best_of, write_section  # noqa: E402
from microcred_vc.jsonld.canon import canonicalize_nquads  # noqa: E402
from microcred_vc.jsonld.loader import DocumentLoader  # noqa: E402
from microcred_vc.keys import KeyPair  # noqa: E402
from microcred_vc.keys.multikey import encode_secret  # noqa: E402
from microcred_vc.proofs import add_proof, verify_proof  # noqa: E402
from tests.fixture_paths import FIXTURES  # noqa: E402

NODE_DIR = REPO / "bench" / "node"
PYLD_OPTS = {
    "algorithm": "URDNA2015",
    "inputFormat": "application/n-quads",
    "format": "application/n-quads",
}


def credentials() -> dict[str, dict[str, Any]]:
    """A small VC 2.0 credential and the big OB3 fixture (363 quads, many blank nodes)."""
    small = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": None,
        "validFrom": CREATED,
        "credentialSubject": {"id": "did:example:learner"},
    }
    big = json.loads(
        (FIXTURES / "ob3" / "validator-fixtures" / "ob30" / "complete.json").read_text()
    )
    big.pop("proof", None)
    big.pop("credentialStatus", None)  # no status service here: both sides alike
    return {"small": small, "big OB3": big}


def graph(quads: int, blank: bool) -> str:
    """N-Quads of ``quads`` quads; ``blank``: every subject is a blank node (a chain)."""
    lines = []
    for i in range(quads // 2):
        s = f"_:b{i}" if blank else f"<urn:example:s{i}>"
        nxt = f"_:b{i + 1}" if blank else f"<urn:example:s{i + 1}>"
        lines.append(f'{s} <urn:example:value> "v{i}" .\n')
        lines.append(f"{s} <urn:example:next> {nxt} .\n")
    if not blank:  # "few": one blank node in a thousand quads
        lines += [f'_:x{i} <urn:example:value> "x{i}" .\n' for i in range(max(1, quads // 1000))]
    return "".join(lines)


def run_node(request: dict[str, Any]) -> dict[str, Any] | None:
    if shutil.which("node") is None or not (NODE_DIR / "node_modules").is_dir():
        return None
    done = subprocess.run(
        ["node", str(NODE_DIR / "dbvc.mjs")],
        input=json.dumps(request).encode(),
        capture_output=True,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        print(done.stderr.decode()[-2000:], file=sys.stderr)
        return None
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def contexts() -> dict[str, Any]:
    ctx_dir = FIXTURES / "contexts"
    index = json.loads((ctx_dir / "INDEX.json").read_text(encoding="utf-8"))
    return {
        url: json.loads((ctx_dir / name).read_text(encoding="utf-8")) for url, name in index.items()
    }


def timing_row(
    name: str,
    before: tuple[float, ...],
    after: tuple[float, ...],
    theirs: dict[str, Any] | None,
    oracle: str,
) -> str:
    """One credential row: ours in seconds (before and after node), theirs in ms or None."""
    (s0, v0), (s1, v1) = before, after
    if theirs is not None:
        cells = f"{theirs['sign_ms']:.2f} | {theirs['sign_ms'] / (s0 * 1e3):.1f}x"
        vcells = f"{theirs['verify_ms']:.2f} | {theirs['verify_ms'] / (v0 * 1e3):.1f}x"
    else:
        cells = vcells = "– | –"
    return (
        f"| {name} | {s0 * 1e3:.2f} | {s1 / s0:.2f} | {cells} "
        f"| {v0 * 1e3:.2f} | {v1 / v0:.2f} | {vcells} | {oracle} |"
    )


def run(quick: bool) -> tuple[str, bool]:
    seconds = 0.02 if quick else 0.1
    loader = DocumentLoader(extra_dirs=[FIXTURES / "contexts"])
    key = KeyPair.from_multikey({"secretKeyMultibase": encode_secret("Ed25519", SEEDS["Ed25519"])})
    creds = credentials()
    creds["small"]["issuer"] = key.did
    # Digital Bazaar checks the issuer is the key's controller
    creds["big OB3"] = node_ecdsa.with_issuer(creds["big OB3"], key.did)
    ecdsa = node_ecdsa.curves(creds)
    sizes = [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    graphs = {
        f"{n // 1000}k {'many' if b else 'few'} bnodes": graph(n, b)
        for n in sizes
        for b in (False, True)
    }

    def ours_round() -> dict[str, tuple[float, ...]]:
        times: dict[str, tuple[float, ...]] = {}
        for name, doc in creds.items():
            signed = add_proof(
                doc, key, cryptosuite="eddsa-rdfc-2022", created=CREATED, loader=loader
            )
            times[name] = (
                best_of(
                    lambda d=doc: add_proof(
                        d, key, cryptosuite="eddsa-rdfc-2022", created=CREATED, loader=loader
                    ),
                    min_time=seconds,
                ),
                best_of(lambda s=signed: verify_proof(s, loader=loader), min_time=seconds),
            )
        times |= node_ecdsa.time_ours(ecdsa, CREATED, loader, seconds)
        for name, text in graphs.items():
            times[name] = (
                best_of(lambda t=text: canonicalize_nquads(t), rounds=3, min_time=seconds),
            )
        return times

    before = ours_round()
    public = key.public.multibase
    request = {
        "contexts": contexts(),
        "key": {
            "publicKeyMultibase": public,
            "secretKeyMultibase": encode_secret("Ed25519", SEEDS["Ed25519"]),
        },
        "created": CREATED,
        "credentials": creds,
        "ecdsa": node_ecdsa.node_request(ecdsa, CREATED, loader),
        # rdf-canonize grows faster than linearly on these: 100k quads would take it minutes
        "nquads": {k: v for k, v in graphs.items() if not k.startswith("100k")},
        "seconds": seconds,
    }
    node = run_node(request)
    after = ours_round()
    pyld: dict[str, float] = {}
    for name, text in graphs.items():
        if name.startswith("1k"):  # pyld takes 30-50 s on the 10k graphs
            pyld[name] = best_of(
                lambda t=text: jsonld.normalize(t, PYLD_OPTS), rounds=2, min_time=seconds
            )
    ok = True
    out = [
        "## Against Digital Bazaar's JavaScript stack (node) and pyld, one run",
        "",
        "`@digitalbazaar/vc` 7.3.0 with `eddsa-rdfc-2022-cryptosuite` 1.3.0 (eddsa rows) and "
        "`ecdsa-rdfc-2019-cryptosuite` 1.3.0 + `ecdsa-multikey` 1.8.0 (ecdsa rows, one fresh key "
        "per curve from our `generate_key`) on node "
        + (
            subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
            if shutil.which("node")
            else "absent"
        )
        + ", RDFC-1.0 with `rdf-canonize` 4.0.1 and pyld "
        f"{getattr(jsonld, '__version__', '?')}. Ours timed just before and just after the node "
        "process (best of 5 batches each; `spread` = after / before). Speed-up = their time / ours (before). "
        "Oracle: eddsa, the two proofValues are identical; ecdsa (random signatures on their side), "
        "each side verifies the other's credential and both sign byte-identical canonical N-Quads "
        "of the document and proof configuration, and hash data. A row whose ecdsa oracle fails "
        "shows no time of theirs.",
        "",
    ]
    if node is None:
        out += [
            "node or `bench/node/node_modules` not found (`make bench` runs `npm ci` when npm exists): node columns empty.",
            "",
        ]
    out += [
        "| credential | sign ms ours | spread | sign ms DB | speed-up | verify ms ours | spread | verify ms DB | speed-up | oracle |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, doc in creds.items():
        ours_pv = add_proof(
            doc, key, cryptosuite="eddsa-rdfc-2022", created=CREATED, loader=loader
        )["proof"]["proofValue"]
        n = (node or {}).get("credentials", {}).get(name)
        tail = "–"
        if n is not None:
            same = n["proofValue"] == ours_pv
            ok &= same and n["verified"]
            tail = ("yes" if same else "**no**") + (
                "" if n["verified"] else f" (DB verify failed: {n['error']})"
            )
        out.append(timing_row(name, before[name], after[name], n, tail))
    for curve in ecdsa:
        for name in creds:
            label = curve.label(name)
            n = (node or {}).get("ecdsa", {}).get(curve.name, {}).get(name)
            tail = "–"
            if n is not None:
                failed = node_ecdsa.oracle(curve, name, n, CREATED, loader)
                ok &= not failed
                tail = f"**no** ({failed})" if failed else "yes"
                n = None if failed else n
            out.append(timing_row(label, before[label], after[label], n, tail))
    out += [
        "",
        "RDFC-1.0 on generated N-Quads (`few`: IRI subjects plus one blank node per 1,000 quads; "
        "`many`: every subject a blank node, in one chain, each with a unique literal):",
        "",
        "| graph | ours ms | spread | pyld ms | vs pyld | rdf-canonize ms | vs rdf-canonize | identical |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, text in graphs.items():
        t0, t1 = before[name][0], after[name][0]
        p = pyld.get(name)
        n = (node or {}).get("nquads", {}).get(name)
        same = "–"
        if n is not None:
            same_b = n["canonical"] == canonicalize_nquads(text)
            ok &= same_b
            same = "yes" if same_b else "**no**"
        pc = f"{p * 1e3:.1f} | {p / t0:.1f}x" if p else "– | –"
        nc = f"{n['ms']:.1f} | {n['ms'] / (t0 * 1e3):.1f}x" if n else "– | –"
        out.append(f"| {name} | {t0 * 1e3:.1f} | {t1 / t0:.2f} | {pc} | {nc} | {same} |")
    growth = []
    for kind in ("few", "many"):
        pts = [(n, before[f"{n // 1000}k {kind} bnodes"][0]) for n in sizes]
        import math

        (n_a, t_a), (n_b, t_b) = pts[0], pts[-1]
        growth.append(f"{kind}: exponent {math.log(t_b / t_a) / math.log(n_b / n_a):.2f}")
    out += [
        "",
        f"Growth of ours from {sizes[0]:,} to {sizes[-1]:,} quads (log-log slope): {'; '.join(growth)}.",
    ]
    return "\n".join(out) + "\n", ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    body, ok = run(args.quick)
    print(body)
    if args.out:
        write_section(args.out, "bench_node", body)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
