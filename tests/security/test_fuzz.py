"""Fuzzing the entry points: only MicrocredError may escape, verify never raises."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred_vc import canonicalize, convert, verify
from microcred_vc.bake import unbake
from microcred_vc.errors import MicrocredError
from microcred_vc.jsonld.canon import canonicalize_nquads
from microcred_vc.keys import generate_key
from tests.example_data import example_micro_credential
from tests.issuing import issued_by
from tests.security.strategies import credential_like, json_ld, mutated

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def signed() -> dict[str, Any]:
    from microcred_vc import issue

    key = generate_key("Ed25519")
    return issue(issued_by(example_micro_credential(), key), key)


def _same_signed_data(doc: Any, signed: dict[str, Any]) -> bool:
    """True when the mutation leaves the canonical RDF of the unsigned document unchanged."""
    if not isinstance(doc, dict) or doc.get("proof") != signed["proof"]:
        return False
    strip = lambda d: {k: v for k, v in d.items() if k != "proof"}  # noqa: E731
    try:
        return canonicalize(strip(doc)) == canonicalize(strip(signed))
    except MicrocredError:
        return False


def _only_ours(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except MicrocredError:
        return None


@FUZZ
@given(st.one_of(json_ld, credential_like()))
def test_verify_never_raises(doc: Any) -> None:
    report = verify(doc)
    assert report.checks
    assert report.verified is False


@FUZZ
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200)))
def test_verify_never_raises_on_bytes_and_text(data: Any) -> None:
    assert verify(data).verified is False


@FUZZ
@given(credential_like())
def test_convert_and_canonicalize_raise_only_ours(doc: dict[str, Any]) -> None:
    for target in ("ob3", "edc", "vc2", "vc1"):
        _only_ours(convert, doc, to=target)
    _only_ours(canonicalize, doc)
    _only_ours(canonicalize, doc, algorithm="JCS")


@FUZZ
@given(st.text(max_size=300))
def test_nquads_parser_raises_only_ours(text: str) -> None:
    _only_ours(canonicalize_nquads, text)


@FUZZ
@given(st.binary(max_size=300).map(lambda b: b"\x89PNG\r\n\x1a\n" + b))
def test_unbake_png_raises_only_ours(data: bytes) -> None:
    _only_ours(unbake, data)


@FUZZ
@given(
    st.text(max_size=200).map(
        lambda t: f"<svg xmlns='http://www.w3.org/2000/svg'>{t}</svg>".encode()
    )
)
def test_unbake_svg_raises_only_ours(data: bytes) -> None:
    _only_ours(unbake, data)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_mutation_of_a_signed_credential_fails(
    signed: dict[str, Any], data: st.DataObject
) -> None:
    doc = data.draw(mutated(signed))
    if doc == signed or _same_signed_data(doc, signed):
        return  # e.g. a null appended to a list: the signed RDF is unchanged, by design
    report = verify(doc)
    assert report.verified is False, json.dumps(doc)[:500]


EDC = "http://data.europa.eu/snb/model/context/edc-ap"


@pytest.mark.parametrize("types", [{}, [{}], [[]], [None, 5]], ids=repr)
def test_unhashable_or_odd_at_types_are_refused_with_our_errors(types: Any) -> None:
    """Regression (found by the fuzz test above in a clean-clone CI run): an EDC whose
    ``@type`` holds an object made the framing check raise TypeError."""
    doc = {"@context": [EDC], "type": ["VerifiableCredential"], "@type": types}
    for target in ("ob3", "edc", "vc2", "vc1"):
        _only_ours(convert, doc, to=target)
