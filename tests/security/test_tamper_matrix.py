"""Cross-format tamper matrix: every tampering of every signed sample is rejected.

Parametrised by (sample, family) so a failure names the format and the kind
of attack; inside a case, every rejected-or-not tampering is collected so one
run lists *all* the accepted ones, not just the first. The untampered samples
must verify, or the matrix would prove nothing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred_vc import verify
from microcred_vc.keys import generate_key
from microcred_vc.report import INTEGRITY_CHECKS
from tests.security.samples import DI_SAMPLES, JWT_SAMPLES, SAMPLE_NAMES, Sample, jws_sign
from tests.security.tamper_base import b64u, leaves, with_value
from tests.security.tampering import (
    FAMILIES,
    UNRESOLVABLE_KIDS,
    generate,
    kind_of,
    rejection_problem,
    run_family,
)

CASES = [(name, family) for name in SAMPLE_NAMES for family in FAMILIES[kind_of(name)]]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_untampered_sample_verifies(samples: dict[str, Sample], name: str) -> None:
    sample = samples[name]
    report = verify(sample.fresh(), **sample.options)
    assert report.verified, report.errors
    assert any(c.passed and c.name in INTEGRITY_CHECKS for c in report.checks)


@pytest.mark.parametrize(("name", "family"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_every_tampering_is_rejected(samples: dict[str, Sample], name: str, family: str) -> None:
    tried, problems = run_family(samples[name], family)
    assert tried > 0, f"{family} generated nothing for {name}"
    assert not problems, f"{len(problems)}/{tried} {family} tamperings of {name}: {problems}"


def test_generation_is_deterministic(samples: dict[str, Sample]) -> None:
    """Same seed, same tamperings: the counts in docs/security.md are reproducible."""
    for name, family in CASES:
        if family in ("vm-swap", "header-kid"):  # fresh attacker keys each call
            continue
        first = [t.name for t in generate(samples[name], family)]
        assert first == [t.name for t in generate(samples[name], family)], (name, family)


# --- the same tamperings carried inside a baked image ----------------------------------
def _blank_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


BLANK_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>'
BAKED = [
    (image, name)
    for image in ("png", "svg")
    for name in ("di-eddsa-rdfc-2022", "di-ecdsa-jcs-2019-P256", "jwt-vc-jose-cose-ES256")
]


@pytest.mark.parametrize(("image", "name"), BAKED, ids=[f"{i}-{n}" for i, n in BAKED])
def test_tampering_inside_a_baked_image_is_rejected(
    samples: dict[str, Sample], image: str, name: str
) -> None:
    """Unbaking must not be a way around verification: value changes, baked, still fail."""
    from microcred_vc.bake import bake_png, bake_svg

    sample = samples[name]

    def baked(value: Any) -> bytes:
        return bake_png(_blank_png(), value) if image == "png" else bake_svg(BLANK_SVG, value)

    assert verify(baked(sample.fresh()), **sample.options).verified
    tamperings = generate(sample, "value-change")
    problems = {
        t.name: problem
        for t in tamperings
        if (problem := rejection_problem(verify(baked(t.value), **sample.options)))
    }
    assert tamperings and not problems, problems


# --- changes that keep the signed RDF identical ---------------------------------------
RDF_EQUAL = {
    "types-reordered": lambda d: d.update(type=d["type"][::-1]),
    "type-alias-added": lambda d: d["type"].append("AchievementCredential"),
    "null-added-to-a-value": lambda d: d["credentialSubject"]["achievement"].update(
        description=[d["credentialSubject"]["achievement"]["description"], None]
    ),
    "value-wrapped-in-a-list": lambda d: d["credentialSubject"].update(
        achievement=[d["credentialSubject"]["achievement"]]
    ),
}


@pytest.mark.parametrize("change", list(RDF_EQUAL))
def test_rdf_equal_changes_verify_under_rdfc(samples: dict[str, Sample], change: str) -> None:
    """Pinned (docs/security.md says it): same canonical N-Quads, same valid signature."""
    sample = samples["di-eddsa-rdfc-2022"]
    doc = sample.fresh()
    RDF_EQUAL[change](doc)
    assert doc != sample.value
    assert verify(doc, **sample.options).verified


@pytest.mark.parametrize("change", list(RDF_EQUAL))
def test_rdf_equal_changes_are_rejected_under_jcs(samples: dict[str, Sample], change: str) -> None:
    sample = samples["di-eddsa-jcs-2022"]
    doc = sample.fresh()
    RDF_EQUAL[change](doc)
    assert rejection_problem(verify(doc, **sample.options)) is None


# --- random value changes (hypothesis) ------------------------------------------
DI_NAMES = [name for name, _, _ in DI_SAMPLES]
JWT_NAMES = [name for name, _, _ in JWT_SAMPLES]
RANDOM_TEXT = st.text(min_size=0, max_size=12)
RANDOM_VALUE = st.one_of(RANDOM_TEXT, st.integers(), st.booleans(), st.none())
RANDOM_EXAMPLES = 15


def _random_change(doc: dict[str, Any], data: st.DataObject, skip: set[str]) -> dict[str, Any]:
    paths = [p for p, _ in leaves(doc) if p and p[0] not in skip and "@context" not in p]
    path = data.draw(st.sampled_from(paths), label="leaf")
    original = json.dumps(path and _get(doc, path))
    value = data.draw(RANDOM_VALUE.filter(lambda v: json.dumps(v) != original), label="value")
    return with_value(doc, path, value)


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


@settings(
    max_examples=RANDOM_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
@pytest.mark.parametrize("name", DI_NAMES)
def test_random_value_change_di(samples: dict[str, Sample], name: str, data: st.DataObject) -> None:
    sample = samples[name]
    tampered = _random_change(sample.value, data, {"proof"})
    problem = rejection_problem(verify(tampered, **sample.options))
    assert problem is None, problem


@settings(
    max_examples=RANDOM_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
@pytest.mark.parametrize("name", JWT_NAMES)
def test_random_claim_change_jwt(
    samples: dict[str, Sample], name: str, data: st.DataObject
) -> None:
    sample = samples[name]
    header, payload, signature = sample.value.split(".")
    claims = json.loads(_b64d(payload))
    changed = _random_change(claims, data, set())
    token = f"{header}.{b64u(json.dumps(changed).encode())}.{signature}"
    problem = rejection_problem(verify(token, **sample.options))
    assert problem is None, problem


def _b64d(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- defects the matrix found, now fixed: kept as regression tests -----------------
@pytest.mark.parametrize("name", JWT_NAMES)
def test_attacker_embedded_jwk_forgery_is_rejected(samples: dict[str, Sample], name: str) -> None:
    sample = samples[name]
    header, payload, _ = sample.value.split(".")
    claims = json.loads(_b64d(payload))
    target = claims.get("vc", claims)
    target["name"] = "Forged Badge"
    attacker = generate_key(sample.key.key_type)
    from jwcrypto import jwk

    signer = jwk.JWK(**attacker.to_jwk(include_secret=True))
    original = json.loads(_b64d(header))
    fields = {"alg": original["alg"], "typ": original["typ"], "jwk": attacker.to_jwk()}
    forged = jws_sign(claims, signer, fields)
    report = verify(forged)
    assert rejection_problem(report) is None, report.to_dict()


def test_unresolvable_kid_is_a_failed_check(samples: dict[str, Sample]) -> None:
    sample = samples[JWT_NAMES[0]]
    header, payload, signature = sample.value.split(".")
    fields = {**json.loads(_b64d(header)), "kid": "did:example:123#key-1"}
    token = f"{b64u(json.dumps(fields).encode())}.{payload}.{signature}"
    report = verify(token)
    assert not report.verified
    assert report.check("signature") is not None and report.check("signature").failed


def test_known_skip_cases_are_really_generated(samples: dict[str, Sample]) -> None:
    """The exemption above must name tamperings that exist, or it hides nothing."""
    names = {t.name for t in generate(samples[JWT_NAMES[0]], "header-kid")}
    assert names >= UNRESOLVABLE_KIDS
