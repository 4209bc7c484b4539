"""Benchmark: our RDFC-1.0 ``canonicalize_nquads`` against pyld's ``normalize``.

Run from the repository root::

    .venv/bin/python bench/bench_canon.py [--out docs/performance.md] [--quick]

Inputs: every evaluation input of the W3C rdf-canon suite (SHA-256 ones; pyld
has no SHA-384), the N-Quads of every OB3/CLR credential in
``../shared/fixtures/ob3`` (obtained here with pyld ``to_rdf`` and a loader that
serves ``../shared/fixtures/contexts`` through its INDEX.json; bench only), and
the canonical N-Quads published with the OB3 and Data Integrity specs.
Both canonicalisers run in this same process on the same N-Quads text, so the
ratios are fair on a shared machine. Output bytes are compared: ours must equal
the suite's expected output, and pyld's wherever pyld itself agrees with the
suite (pyld 3.3 does not apply RDF 1.2 canonical escaping, e.g. test060).
Exit status 1 if any output differs where it must not.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pyld import jsonld  # noqa: E402  (reference only, never in the library)

from bench.common import geomean, official_context_loader, paired, write_section  # noqa: E402
from microcred_vc.errors import MicrocredError  # noqa: E402
from microcred_vc.jsonld.canon import canonicalize_nquads  # noqa: E402
from microcred_vc.jsonld.nquads import parse_serialized  # noqa: E402
from tests.fixture_paths import FIXTURES  # noqa: E402

PYLD_OPTS = {
    "algorithm": "URDNA2015",
    "inputFormat": "application/n-quads",
    "format": "application/n-quads",
}


def _root_cause(exc: BaseException) -> str:
    """pyld wraps errors several levels deep; the innermost says what went wrong."""
    while True:
        inner = getattr(exc, "cause", None) or exc.__cause__
        if not isinstance(inner, BaseException):
            break
        exc = inner
    text = str(exc.args[0]) if exc.args else type(exc).__name__
    return text[:160]


def suite_cases() -> list[tuple[str, str, str | None]]:
    base = FIXTURES / "rdf-canon" / "tests"
    manifest = json.loads((base / "manifest.jsonld").read_text(encoding="utf-8"))
    cases = []
    for e in manifest["entries"]:
        if e["type"] != "rdfc:RDFC10EvalTest" or e.get("hashAlgorithm", "SHA256") != "SHA256":
            continue
        text = (base / e["action"]).read_text(encoding="utf-8")
        cases.append((e["id"].lstrip("#"), text, (base / e["result"]).read_text(encoding="utf-8")))
    return cases


#: The JSON-LD source of each ob3 case, to ask pyld again without its N-Quads parser.
OB3_DOCS: dict[str, dict] = {}


def pyld_from_jsonld_agrees(name: str, ours: str) -> bool:
    """pyld's canonical form of the JSON-LD document itself equals ours.

    pyld 3.3's N-Quads *parser* mis-reads ``\\n`` (an escaped backslash then
    ``n``) as a backslash and a newline; its JSON-LD path never parses N-Quads,
    so when it agrees with us the difference is that parser bug, not ours.
    """
    doc = OB3_DOCS.get(name)
    if doc is None:
        return False
    opts = {"algorithm": "URDNA2015", "format": "application/n-quads"}
    return jsonld.normalize(doc, {**opts, "documentLoader": official_context_loader()}) == ours


def ob3_cases() -> tuple[list[tuple[str, str, str | None]], list[str]]:
    loader = official_context_loader()
    cases: list[tuple[str, str, str | None]] = []
    skipped: list[str] = []
    root = FIXTURES / "ob3"
    for path in sorted(root.rglob("*.json")):
        if "schemas" in path.parts:
            continue
        rel = str(path.relative_to(root))
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            skipped.append(f"{rel} (not JSON)")
            continue
        if not isinstance(doc, dict) or "@context" not in doc:
            skipped.append(f"{rel} (not JSON-LD)")
            continue
        try:
            nq = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": loader})
        except Exception as exc:  # pyld raises its own errors; record and go on
            skipped.append(f"{rel} ({_root_cause(exc)})")
            continue
        if nq.strip():
            cases.append((rel, nq, None))
            OB3_DOCS[rel] = doc
    return cases, skipped


def vector_cases() -> list[tuple[str, str, str | None]]:
    """Canonical N-Quads published with the OB3 and DI specs (SHA-256 ones: pyld's only)."""
    paths = sorted((FIXTURES / "ob3" / "spec-test-vectors").rglob("*-canon.txt"))
    paths += sorted(
        p
        for p in (FIXTURES / "di-vectors").rglob("*.txt")
        if "anon" in p.name and "JCS" not in p.name.upper() and "p384" not in str(p).lower()
    )
    return [(str(p.relative_to(FIXTURES)), p.read_text(encoding="utf-8"), None) for p in paths]


def poison_time() -> str:
    path = FIXTURES / "rdf-canon" / "tests" / "rdfc10" / "test074-in.nq"
    text = path.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    try:
        canonicalize_nquads(text)
    except MicrocredError as exc:
        return f"{exc.code} after {(time.perf_counter() - t0) * 1000:.1f} ms"
    return "no error (unexpected)"


def run(quick: bool) -> tuple[str, bool]:
    min_time = 0.005 if quick else 0.03
    rows: list[str] = []
    ok = True
    groups = ("suite", "ob3", "vectors")
    ratios: dict[str, list[float]] = {g: [] for g in groups}
    totals: dict[str, list[float]] = {g: [0.0, 0.0] for g in groups}
    notes: list[str] = []
    ob3, skipped = ob3_cases()
    for group, cases in (("suite", suite_cases()), ("ob3", ob3), ("vectors", vector_cases())):
        for name, text, expected in cases:
            ours_out = canonicalize_nquads(text)
            pyld_out = jsonld.normalize(text, PYLD_OPTS)
            if expected is not None and ours_out != expected:
                ok = False
                notes.append(f"FAIL {name}: our output differs from the suite's expected output")
            same = ours_out == pyld_out
            if not same:
                if expected is not None and pyld_out != expected:
                    notes.append(
                        f"{name}: pyld deviates from the W3C expected output; ours matches"
                    )
                elif expected is None and pyld_from_jsonld_agrees(name, ours_out):
                    notes.append(
                        f"{name}: pyld's N-Quads parser mis-reads an escaped backslash; "
                        "pyld from the JSON-LD document gives our output"
                    )
                else:
                    ok = False
                    notes.append(f"FAIL {name}: our output differs from pyld's")
            t_ours, t_pyld = paired(
                lambda t=text: canonicalize_nquads(t),
                lambda t=text: jsonld.normalize(t, PYLD_OPTS),
                rounds=5,
                min_time=min_time,
            )
            ratios[group].append(t_pyld / t_ours)
            totals[group][0] += t_ours
            totals[group][1] += t_pyld
            quads = parse_serialized(text)
            bnodes = {t for q in quads for t in (q[0], q[2], q[3]) if t.startswith("_:")}
            rows.append(
                f"| {group} | {name} | {len(set(quads))} | {len(bnodes)} | {t_ours * 1e3:.3f} "
                f"| {t_pyld * 1e3:.3f} | {t_pyld / t_ours:.2f}x | {'yes' if same else 'no'} |"
            )

    out = [
        "## RDFC-1.0: `canonicalize_nquads` vs pyld `normalize`",
        "",
        f"Python {sys.version.split()[0]}, pyld {getattr(jsonld, '__version__', '?')}; "
        "same process, same N-Quads text, best of 5 interleaved batches; "
        "speed-up = pyld time / ours. Sets: `suite` = W3C rdf-canon evaluation inputs "
        "(SHA-256), `ob3` = N-Quads of the OB3/CLR fixture credentials (pyld to_rdf), "
        "`vectors` = canonical N-Quads published with the OB3 and Data Integrity specs.",
        "",
        "| set | inputs | ours total (ms) | pyld total (ms) | total speed-up | geo-mean speed-up |",
        "|---|---|---|---|---|---|",
    ]
    for group in groups:
        t_o, t_p = totals[group]
        if ratios[group]:
            out.append(
                f"| {group} | {len(ratios[group])} | {t_o * 1e3:.2f} | {t_p * 1e3:.2f} "
                f"| {t_p / t_o:.2f}x | {geomean(ratios[group]):.2f}x |"
            )
    out += [
        "",
        f"Poison graph (rdf-canon test074, 10-node clique): {poison_time()} (pyld: no limit).",
        "",
        "| set | input | quads | blank nodes | ours (ms) | pyld (ms) | speed-up | identical |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    if notes:
        out += ["", "Notes:", "", *[f"- {n}" for n in notes]]
    if skipped:
        out += ["", "OB3 files not benchmarked (no N-Quads from pyld to_rdf):", ""]
        out += [f"- {s}" for s in skipped]
    return "\n".join(out) + "\n", ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write/replace a bench_canon section here")
    parser.add_argument("--quick", action="store_true", help="shorter timing batches")
    args = parser.parse_args(argv)
    body, ok = run(args.quick)
    print(body)
    if args.out:
        write_section(args.out, "bench_canon", body)
    if not ok:
        print("output mismatch: see FAIL notes above", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
