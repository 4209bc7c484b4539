"""The figures section of docs/security.md, computed from what the suite really runs.

Run ``.venv/bin/python -m tests.security.figures --write docs/security.md`` to
regenerate it: the tamper counts come from the same generators the matrix test
iterates (and here every tampering is verified again, so the "rejected" column
is measured, not assumed), the limits from the library's own constants, the
fuzz budgets and the known gaps from the test files. ``test_figures.py`` fails
when the committed page and this output disagree.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable
from pathlib import Path

from tests.security.samples import (
    DI_SAMPLES,
    JWT_SAMPLES,
    OB2_SAMPLE,
    SAMPLE_NAMES,
    SEAL_SAMPLE,
    VP_SAMPLE,
    Sample,
    build_samples,
)
from tests.security.tamper_base import MAX_SIGNATURE_BYTES, SEAL_PAYLOAD_POSITIONS
from tests.security.tampering import FAMILIES, generate, kind_of, run_family

START = "<!-- security-figures:start -->"
END = "<!-- security-figures:end -->"
HERE = Path(__file__).resolve().parent
RANDOM_EXAMPLES = 15  # mirrors test_tamper_matrix.RANDOM_EXAMPLES (checked by test_figures)

GROUPS = (
    ("di", f"Data Integrity ({len(DI_SAMPLES)} suite/curve pairs)"),
    ("jwt", f"JWT ({len(JWT_SAMPLES)})"),
    ("vp", "Presentation"),
    ("ob2", "OB2 signed"),
    ("seal", "JAdES seal"),
)
FAMILY_TEXT = {
    "value-change": "every leaf value changed (same type, still well-formed) and turned into a number",
    "property-add": "a defined term and an undefined one added to every object",
    "property-remove": "every property of every object removed, one at a time",
    "type-change": "each type dropped, case-swapped, another type added, replaced by an unknown one",
    "context-swap": "each context URL swapped for a look-alike mapping its terms to other IRIs: served by the loader, unknown, or inlined",
    "proof-fields": "created, proofPurpose, type changed or removed; expires, domain, challenge, nonce, previousProof, id added",
    "vm-swap": "verificationMethod pointed at another valid did:key (also with the issuer changed to match), another key type, the same key as did:jwk or without fragment, unresolvable",
    "cryptosuite-rename": "cryptosuite renamed to every other suite, unknown and empty names, removed; proof type changed to match",
    "signature-flip": f"one bit flipped in every signature byte (seeded sample of {MAX_SIGNATURE_BYTES} for longer ones), truncated, extended, zeroed",
    "rename-alias": "each checked fact (validFrom, validUntil, issuer, holder, credentialStatus and its index, purpose, list) moved to its full IRI with a typed value, or behind an alias from an appended inline context: the same signed quads, a different JSON",
    "replay": "the untouched presentation shown to a verifier that asked for another challenge, none, a prefix of it, another domain or casing",
    "header-alg": "alg changed to every other algorithm, removed, none (with and without signature), HS256 keyed with the public key",
    "header-kid": "kid pointed at another key, another key type, did:jwk, unresolvable DIDs and URLs, removed (alone and with the issuer's jwk)",
    "header-typ": "typ and cty changed or removed",
    "header-other": "crit, b64, jku, x5u, zip, nonce headers added",
    "key-swap": "verification.creator pointed at the issuer's other key or an attacker's, re-signed by an attacker or by the other key",
    "payload-bytes": f"{SEAL_PAYLOAD_POSITIONS} seeded payload characters changed, whitespace appended, payload re-serialised",
    "header-x5c": "x5c leaf swapped for another valid certificate of the same CA (with and without x5t#S256), chain reordered or cut",
    "header-sigT": "sigT moved by a second, a month, into the past and the future, reformatted, removed",
}
ORDER = tuple(dict.fromkeys(f for kind, _ in GROUPS for f in FAMILIES[kind]))


def tamper_counts(
    samples: dict[str, Sample], *, verify: bool
) -> dict[tuple[str, str], tuple[int, int]]:
    """(sample, family) -> (tried, rejected); without ``verify``, rejected = tried."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for name in SAMPLE_NAMES:
        for family in FAMILIES[kind_of(name)]:
            if verify:
                tried, problems = run_family(samples[name], family)
                out[(name, family)] = (tried, tried - len(problems))
            else:
                tried = len(generate(samples[name], family))
                out[(name, family)] = (tried, tried)
    return out


def _cell(
    counts: dict[tuple[str, str], tuple[int, int]], kind: str, family: str
) -> tuple[int, int]:
    rows = [v for (name, fam), v in counts.items() if fam == family and kind_of(name) == kind]
    return sum(t for t, _ in rows), sum(r for _, r in rows)


def _fmt(tried: int, rejected: int) -> str:
    if not tried:
        return "–"
    return f"{tried}" if tried == rejected else f"**{rejected}/{tried}**"


def tamper_tables(counts: dict[tuple[str, str], tuple[int, int]]) -> list[str]:
    head = (
        "| Family | What is changed | "
        + " | ".join(label for _, label in GROUPS)
        + " | Tried | Rejected |"
    )
    lines = [head, "|" + "---|" * (len(GROUPS) + 4)]
    for family in ORDER:
        cells = [_cell(counts, kind, family) for kind, _ in GROUPS]
        tried, rejected = sum(t for t, _ in cells), sum(r for _, r in cells)
        shown = " | ".join(_fmt(*c) for c in cells)
        lines.append(f"| `{family}` | {FAMILY_TEXT[family]} | {shown} | {tried} | {rejected} |")
    total_t = sum(t for t, _ in counts.values())
    total_r = sum(r for _, r in counts.values())
    lines.append(
        "| **all** | | "
        + " | ".join(_fmt(*_group(counts, k)) for k, _ in GROUPS)
        + f" | **{total_t}** | **{total_r}** |"
    )
    lines += ["", "| Signed sample | Families | Tried | Rejected |", "|---|---|---|---|"]
    for name in SAMPLE_NAMES:
        rows = [v for (n, _), v in counts.items() if n == name]
        tried, rejected = sum(t for t, _ in rows), sum(r for _, r in rows)
        lines.append(f"| `{name}` | {len(rows)} | {tried} | {rejected} |")
    return lines


def _group(counts: dict[tuple[str, str], tuple[int, int]], kind: str) -> tuple[int, int]:
    rows = [v for (name, _), v in counts.items() if kind_of(name) == kind]
    return sum(t for t, _ in rows), sum(r for _, r in rows)


def limits_table() -> list[str]:
    from microcred_vc.bake.payload import MAX_BADGE_BYTES
    from microcred_vc.bake.png import MAX_IMAGE_BYTES
    from microcred_vc.jose.verify import DEFAULT_CLOCK_SKEW
    from microcred_vc.jsonld.canon import DEFAULT_MAX_WORK, MAX_DEFAULT_WORK
    from microcred_vc.jsonld.limits import DEFAULT_LIMITS
    from microcred_vc.jsonld.loader import DocumentLoader
    from microcred_vc.keys.did import Resolver
    from microcred_vc.net import MAX_REDIRECTS, HttpFetcher, effective_deadline
    from microcred_vc.proofs.engine import DEFAULT_SKEW
    from microcred_vc.status.bitstring import DEFAULT_MAX_BYTES

    loader, fetcher, resolver = DocumentLoader(), HttpFetcher(), Resolver()
    rows = [
        ("Input JSON size", f"{DEFAULT_LIMITS.max_bytes:,} bytes", "`INPUT_TOO_LARGE`"),
        ("Input JSON depth", f"{DEFAULT_LIMITS.max_depth}", "`INPUT_TOO_LARGE`"),
        ("Input JSON nodes", f"{DEFAULT_LIMITS.max_nodes:,}", "`INPUT_TOO_LARGE`"),
        (
            "RDFC-1.0 work budget",
            f"{DEFAULT_MAX_WORK:,} units, growing with shared blank nodes up to {MAX_DEFAULT_WORK:,}",
            "`CANON_BUDGET_EXCEEDED`",
        ),
        (
            "Remote context (opt-in)",
            f"{loader.max_bytes:,} bytes, {loader.timeout:g} s per read, {effective_deadline(loader.timeout, loader.deadline):g} s per request, {MAX_REDIRECTS} redirects, non-public addresses blocked: {loader.block_private}",
            "`INPUT_TOO_LARGE`, `NETWORK_ERROR`, `NETWORK_DEADLINE`, `ADDRESS_NOT_ALLOWED`",
        ),
        (
            "`HttpFetcher` (status lists, hosted OB2)",
            f"{fetcher.max_bytes:,} bytes, {fetcher.timeout:g} s per read, {effective_deadline(fetcher.timeout, fetcher.deadline):g} s per request, {fetcher.max_redirects} redirects, non-public addresses blocked: {fetcher.block_private}",
            "`INPUT_TOO_LARGE`, `NETWORK_ERROR`, `NETWORK_DEADLINE`, `ADDRESS_NOT_ALLOWED`",
        ),
        (
            "did:web / https controller documents (opt-in)",
            f"{resolver.max_bytes:,} bytes, {resolver.timeout:g} s per read, {effective_deadline(resolver.timeout, resolver.deadline):g} s per request, no redirects followed, non-public addresses blocked: {resolver.block_private}",
            "`NETWORK_ERROR`, `NETWORK_DEADLINE`, `ADDRESS_NOT_ALLOWED`",
        ),
        ("Decoded status list", f"{DEFAULT_MAX_BYTES:,} bytes", "`STATUS_LIST_TOO_LARGE`"),
        (
            "Baked image / badge text",
            f"{MAX_IMAGE_BYTES:,} / {MAX_BADGE_BYTES:,} bytes",
            "`UNBAKE_FAILED`",
        ),
        (
            "Clock skew (Data Integrity / JWT)",
            f"{int(DEFAULT_SKEW.total_seconds())} s / {int(DEFAULT_CLOCK_SKEW.total_seconds())} s",
            "`verify(clock_skew=)` (also on `verify_credential`, `verify_jwt`)",
        ),
    ]
    lines = ["| Limit | Default | Refusal |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return lines


def _decorators(path: Path) -> Iterable[tuple[str, list[ast.expr], dict[str, ast.expr]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assigned = {
        t.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            decorators = [
                assigned.get(d.id, d) if isinstance(d, ast.Name) else d for d in node.decorator_list
            ]
            yield node.name, decorators, assigned


def _keyword(call: ast.expr, name: str) -> ast.expr | None:
    if isinstance(call, ast.Call):
        return next((k.value for k in call.keywords if k.arg == name), None)
    return None


def fuzz_rows() -> list[str]:
    """Hypothesis budgets of the fuzz targets (max_examples per run, per parameter)."""
    lines = ["| Fuzz target (`tests/security/test_fuzz.py`) | Examples per run |", "|---|---|"]
    for name, decorators, _ in _decorators(HERE / "test_fuzz.py"):
        budgets = [_keyword(d, "max_examples") for d in decorators]
        value = next((b for b in budgets if isinstance(b, ast.Constant)), None)
        if value is not None:
            lines.append(f"| `{name}` | {value.value} |")
    return lines


def known_gaps() -> list[str]:
    """Every strict xfail in tests/security/: a defect found and pinned, not yet fixed."""
    lines = []
    for path in sorted(HERE.glob("test_*.py")):
        for name, decorators, assigned in _decorators(path):
            for d in decorators:
                reason = _keyword(d, "reason")
                strict = _keyword(d, "strict")
                if reason is not None and isinstance(strict, ast.Constant) and strict.value:
                    text = (
                        ast.literal_eval(reason)
                        if not isinstance(reason, ast.Name)
                        else assigned[reason.id]
                    )
                    lines.append(f"- `{path.name}::{name}` — {text}")
    return lines


def render(counts: dict[tuple[str, str], tuple[int, int]]) -> str:
    tried = sum(t for t, _ in counts.values())
    rejected = sum(r for _, r in counts.values())
    di, jwt = len(DI_SAMPLES), len(JWT_SAMPLES)
    parts = [
        START,
        "Generated by `.venv/bin/python -m tests.security.figures --write docs/security.md`;",
        "`tests/security/test_figures.py` fails when this section and the suite disagree.",
        "",
        "### Tamper matrix",
        "",
        f"{tried} tamperings of {len(counts)} (sample, family) pairs were tried and {rejected} "
        "rejected by `microcred_vc.verify` (`tests/security/test_tamper_matrix.py`). Samples: "
        f"an OB 3.0 credential signed with each of the {di} Data Integrity suite/curve pairs, "
        f"{jwt} JWTs (VC-JOSE-COSE ES256 and EdDSA, VC 1.1 ES384), a holder's presentation "
        f"of the first (`{VP_SAMPLE}`, challenge and domain bound), an OB 2.0 RS256 signed "
        f"assertion (`{OB2_SAMPLE}`) and a JAdES-sealed Europass sample (`{SEAL_SAMPLE}`); keys and "
        "the seal's PKI are generated per run, large families are sampled with a fixed seed. "
        "Rejected means `verified` is false and a named check failed with a sentence "
        "(a JWT whose kid is absent or cannot be resolved is a failed signature check). "
        f"On top, hypothesis changes a random leaf {RANDOM_EXAMPLES} "
        f"times per run in each of the {di} Data Integrity and {jwt} JWT samples, and the "
        "`value-change` family is replayed inside baked PNG and SVG images "
        "(`test_tampering_inside_a_baked_image_is_rejected`).",
        "",
        *tamper_tables(counts),
        "",
        "Not detected, by design: a change that leaves the signed data identical. Under the "
        "RDF suites (`*-rdfc-*`, Ed25519Signature2020) that includes reordering `type` "
        "values, adding a type alias (OB 3.0 defines `AchievementCredential` as "
        "`OpenBadgeCredential`), `null` values, a single value wrapped in a list, and dropping a property from one "
        "copy of a node that appears twice with the same `id` (the issuer as `creator` and "
        "`awardingBody`): the canonical N-Quads do not change. The JCS suites and JWTs sign "
        "the JSON bytes and reject those too (`test_rdf_equal_changes_*` pins both). A "
        "consumer that reads the JSON rather than the graph should read it from the "
        "verified, expanded form.",
        "",
        "### Clock and cryptography edge cases (`tests/security/test_clock_crypto_edges.py`)",
        "",
        "- Dates are compared as instants: `2024-02-29T23:30:00-01:00` is "
        "`2024-03-01T00:30:00Z`; a zone-less dateTime is read as UTC by the `expiry` check "
        "(it still fails the `datamodel` check: VC 2.0 requires a timezone, and `issue()` "
        "refuses it); impossible dates "
        "(29 February 2023, `24:00:00`, offsets beyond ±14:00) fail the `expiry` check "
        "with `DATE_INVALID`.",
        "- `validFrom` in the future and `validUntil` passed fail `expiry` (`NOT_YET_VALID`, "
        "`EXPIRED`) beyond a clock skew of 5 minutes; `verify(clock_skew=)` (and "
        "`verify_credential`, `verify_jwt`) change it. A "
        "proof `created` in the future fails the `proof` check.",
        "- **ECDSA high-S signatures are accepted** (P-256 and P-384, both ecdsa suites and "
        "ES256 JWTs): `(r, n−s)` is as valid as `(r, s)`, the W3C suites do not require "
        "low-S and OpenSSL does not normalise it. A signature is therefore malleable: never "
        "use a `proofValue` or JWS signature as a credential's identity.",
        "- `r` or `s` equal to 0, to n, above n or all ones: a failed `proof` check.",
        "- A public key off the curve, uncompressed in a Multikey, truncated, the point at "
        "infinity, or an Ed25519 key of the wrong length in a did:key: the key cannot be "
        "resolved, a failed `proof` check naming the key.",
        "- An Ed25519 key on an `ecdsa-rdfc-2019` proof, a P-384 key on a P-256 proof, a "
        "P-256 key on an `eddsa-rdfc-2022` proof (by did:key or through a controller "
        "document): a failed `proof` check.",
        "",
        "### Limits",
        "",
        *limits_table(),
        "",
        "### Fuzzing budgets",
        "",
        *fuzz_rows(),
        "",
        "### Known gaps (strict xfail tests: they turn red when fixed, so this list stays true)",
        "",
        *(
            known_gaps()
            or [
                "None: the defects the matrix found (embedded-jwk forgery, did:web SSRF, "
                "disagreeing key forms, naive `now`, unreported unresolvable kid) are fixed "
                "and their tests kept as regression tests."
            ]
        ),
        END,
    ]
    return "\n".join(parts)


def replace_section(text: str, body: str) -> str:
    start, end = text.index(START), text.index(END) + len(END)
    return text[:start] + body + text[end:]


def current_section(text: str) -> str:
    return text[text.index(START) : text.index(END) + len(END)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="the Markdown page to update in place")
    args = parser.parse_args(argv)
    body = render(tamper_counts(build_samples(), verify=True))
    if args.write is None:
        print(body)
        return 0
    page = args.write.read_text(encoding="utf-8")
    args.write.write_text(replace_section(page, body), encoding="utf-8")
    print(f"updated {args.write}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
