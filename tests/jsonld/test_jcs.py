"""JCS canonical bytes (RFC 8785)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc.errors import CanonicalizationError
from microcred_vc.jsonld import canonicalize
from microcred_vc.jsonld.jcs import jcs

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def test_rfc8785_examples() -> None:
    assert jcs({"b": 1, "a": [True, None, "é"]}) == '{"a":[true,null,"é"],"b":1}'.encode()
    assert jcs(1.0e23) == b"1e+23"
    assert canonicalize({"z": 1, "a": 2}, algorithm="JCS") == '{"a":2,"z":1}'


def test_nan_is_refused() -> None:
    with pytest.raises(CanonicalizationError):
        jcs(math.nan)


@given(json_values)
def test_key_order_never_matters(value: object) -> None:
    shuffled = json.loads(json.dumps(value, sort_keys=True))
    assert jcs(value) == jcs(shuffled)
    assert json.loads(jcs(value)) == value
