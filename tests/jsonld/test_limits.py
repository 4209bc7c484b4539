"""Untrusted JSON is capped in size, depth and node count before processing."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred_vc.errors import InputTooLarge, InvalidJson
from microcred_vc.jsonld.limits import Limits, check_limits, parse_json


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[" * 100_000 + "]" * 100_000, InputTooLarge),
        ("[" * 65 + "]" * 65, InputTooLarge),
        ('{"a": ' * 70 + "1" + "}" * 70, InputTooLarge),
        ("not json", InvalidJson),
        ('{"a": 1', InvalidJson),
    ],
    ids=["deep-100k", "deep-65", "deep-objects", "garbage", "truncated"],
)
def test_refused(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_json(text)


def test_size_cap_in_bytes() -> None:
    with pytest.raises(InputTooLarge, match="bytes"):
        parse_json(json.dumps({"a": "x" * 100}), Limits(max_bytes=50))


def test_node_cap() -> None:
    with pytest.raises(InputTooLarge, match="JSON values"):
        check_limits(list(range(1000)), Limits(max_nodes=500))


def test_accepts_a_real_credential() -> None:
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}
    assert parse_json(json.dumps(doc).encode()) == doc
    assert parse_json("[" * 60 + "]" * 60) is not None


@pytest.mark.parametrize(
    "text",
    [
        '{"proof": {"a": 1}, "proof": {"a": 2}}',
        '{"a": {"validUntil": "2020-01-01T00:00:00Z", "validUntil": "2999-01-01T00:00:00Z"}}',
        '[{"id": 1, "x": 2, "id": 3}]',
    ],
    ids=["top-level-proof", "nested", "in-array"],
)
def test_duplicate_member_names_are_refused(text: str) -> None:
    """Property: "last one wins" would let display and check disagree (#16 strict JSON).

    Oracle: the stdlib parser accepts each text (so the refusal is ours, not a syntax error).
    """
    from microcred_vc.errors import DuplicateJsonKey

    json.loads(text)
    with pytest.raises(DuplicateJsonKey) as caught:
        parse_json(text)
    assert caught.value.code == "JSON_DUPLICATE_KEY"


def test_duplicate_keys_fail_verify_as_a_named_check() -> None:
    from microcred_vc import verify

    report = verify('{"@context": "https://www.w3.org/ns/credentials/v2", "id": 1, "id": 2}')
    assert not report.verified
    assert "JSON_DUPLICATE_KEY" in [c.code for c in report.checks]


@pytest.mark.parametrize("data", ['\ufeff{"a": 1}', b'\xef\xbb\xbf{"a": 1}'], ids=["str", "bytes"])
def test_a_byte_order_mark_is_accepted(data: str | bytes) -> None:
    assert parse_json(data) == {"a": 1}


@pytest.mark.parametrize(
    "text",
    ['{"a": NaN}', '{"a": Infinity}', "[-Infinity]", '{"a": 1e400}'],
    ids=["nan", "infinity", "minus-infinity", "overflow-to-infinity"],
)
def test_non_finite_numbers_are_refused(text: str) -> None:
    """Oracle: RFC 8259 §6 — "Numeric values that cannot be represented in the
    grammar below (such as Infinity and NaN) are not permitted"; Python's decoder
    accepts them (and turns 1e400 into inf), so each would mean something else to
    a strict reader."""
    assert json.loads(text) is not None  # the stdlib does accept it: the attack is real
    with pytest.raises(InvalidJson, match="RFC 8259"):
        parse_json(text)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_numbers_in_dict_inputs_are_refused(value: float) -> None:
    """Property: a Python caller's dict passes the same gate as JSON text."""
    with pytest.raises(InvalidJson):
        check_limits({"credentialSubject": {"score": [1, value]}})


def _measure(value: object, depth: int = 1) -> tuple[int, int, bool]:
    """The oracle, written the obvious recursive way: (values, deepest level, has NaN/inf)."""
    if isinstance(value, dict):
        children = list(value.values())
    elif isinstance(value, list):
        children = value
    else:
        bad = (isinstance(value, float) and value != value) or value in (math.inf, -math.inf)
        return 1, depth, bad
    nodes, deepest, bad = 1, depth, False
    for child in children:
        n, d, b = _measure(child, depth + 1)
        nodes, deepest, bad = nodes + n, max(deepest, d), bad or b
    return nodes, deepest, bad


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=2), inner, max_size=4)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(doc=_JSON, max_nodes=st.integers(1, 40), max_depth=st.integers(1, 8))
def test_the_level_walk_refuses_exactly_what_the_limits_say(
    doc: object, max_nodes: int, max_depth: int
) -> None:
    """Property against the recursive oracle above: ``check_limits`` (a level-by-level walk,
    for speed) refuses a document iff it has more values than ``max_nodes``, a value
    deeper than ``max_depth``, or a non-finite float; and with one cause only, names it."""
    nodes, deepest, bad = _measure(doc)
    too_many, too_deep = nodes > max_nodes, deepest > max_depth
    limits = Limits(max_nodes=max_nodes, max_depth=max_depth)
    if not (too_many or too_deep or bad):
        check_limits(doc, limits)
        return
    with pytest.raises((InputTooLarge, InvalidJson)) as caught:
        check_limits(doc, limits)
    if too_many and not too_deep and not bad:
        assert "JSON values" in caught.value.message
    if too_deep and not too_many and not bad:
        assert "nested deeper" in caught.value.message
    if bad and not too_many and not too_deep:
        assert isinstance(caught.value, InvalidJson)


def test_a_huge_flat_list_is_refused_without_walking_its_elements() -> None:
    """The node cap is checked per container: one list far over the cap is refused as soon
    as it is opened, before any of its elements is visited."""
    with pytest.raises(InputTooLarge, match="JSON values"):
        check_limits([0] * 3_000_000, Limits(max_nodes=1000))
