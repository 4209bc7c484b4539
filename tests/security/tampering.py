"""Families of tamperings for every signed sample, generated from the sample itself.

A tampering is what an attacker can do to a credential without the issuer's
private key: change what it says, say it in another vocabulary, point the
proof at another key, or flip bits. Each family is generated from the
sample's own structure (every leaf, every object, every type list, every
context URL, every signature byte), so adding a field to the samples adds
tamperings without touching this file. Large families are sampled with a fixed
seed so a run is reproducible and its counts are stable (docs/security.md
prints them, and a test checks the two agree).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from microcred_vc import verify
from microcred_vc.report import VerificationReport
from tests.security.samples import Sample
from tests.security.tamper_base import SEED, Tampering
from tests.security.tamper_di import di_family, vp_family
from tests.security.tamper_envelopes import jwt_family, ob2_family, seal_family

FAMILIES: dict[str, tuple[str, ...]] = {
    "di": (
        "value-change",
        "property-add",
        "property-remove",
        "type-change",
        "context-swap",
        "proof-fields",
        "vm-swap",
        "cryptosuite-rename",
        "signature-flip",
        "rename-alias",
    ),
    "jwt": (
        "value-change",
        "property-add",
        "property-remove",
        "header-alg",
        "header-kid",
        "header-typ",
        "header-other",
        "signature-flip",
    ),
    "vp": (
        "value-change",
        "property-remove",
        "proof-fields",
        "vm-swap",
        "replay",
        "signature-flip",
        "rename-alias",
    ),
    "ob2": (
        "value-change",
        "property-add",
        "property-remove",
        "header-alg",
        "key-swap",
        "signature-flip",
    ),
    "seal": (
        "payload-bytes",
        "header-x5c",
        "header-sigT",
        "header-other",
        "signature-flip",
    ),
}


GENERATORS: dict[str, Callable[[Sample, str, random.Random], list[Tampering]]] = {
    "di": di_family,
    "jwt": jwt_family,
    "vp": vp_family,
    "ob2": ob2_family,
    "seal": seal_family,
}


def generate(sample: Sample, family: str) -> list[Tampering]:
    """The tamperings of one family for one sample (seeded: the same every run)."""
    rng = random.Random(f"{SEED}:{sample.name}:{family}")
    return GENERATORS[sample.kind](sample, family, rng)


def kind_of(sample_name: str) -> str:
    """The family set of a sample, from its name (known before any key is generated)."""
    from tests.security.samples import OB2_SAMPLE, SEAL_SAMPLE

    if sample_name == OB2_SAMPLE:
        return "ob2"
    if sample_name == SEAL_SAMPLE:
        return "seal"
    return sample_name.split("-", 1)[0]


#: header-kid tamperings whose key cannot be obtained (reported as a failed signature check)
UNRESOLVABLE_KIDS = frozenset({"did:example", "https-url", "empty", "kid-removed"})


def rejection_problem(report: VerificationReport) -> str | None:
    """Why ``report`` is not a clear rejection (None when it is one)."""
    if report.verified:
        return "ACCEPTED"
    failed = [c for c in report.checks if c.failed]
    if not failed:
        return f"rejected without a failed check: {[(c.name, c.status) for c in report.checks]}"
    empty = [c.name for c in failed if not c.message.strip()]
    if empty:
        return f"failed check(s) {empty} without a message"
    return None


def run_family(sample: Sample, family: str) -> tuple[int, dict[str, str]]:
    """(tamperings tried, {tampering: problem}) for one family of one sample."""
    tamperings = generate(sample, family)
    problems: dict[str, str] = {}
    for tampering in tamperings:
        report = verify(tampering.value, **{**sample.options, **tampering.options})
        problem = rejection_problem(report)
        if problem:
            problems[tampering.name] = problem
    return len(tamperings), problems
