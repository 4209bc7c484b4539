"""``microcred_vc.jsontext``: the oracle is the standard library's ``json`` module.

``dumps_indented`` must write exactly what ``json.dumps(value, indent=2,
ensure_ascii=False)`` writes -- except the spelling of floats that need an exponent
(``1e-7`` for ``1e-07``), where it must write the same value -- and ``loads`` must
return exactly what ``json.loads`` returns, for every JSON value, including the places
where orjson on its own differs (NaN as null, integers beyond 64 bits, lone surrogates).
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred_vc.jsontext import dumps_indented, loads


def _json_values(floats: st.SearchStrategy[float]) -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()  # unbounded: beyond 64 bits too
        | floats
        | st.text()  # control characters, quotes, backslashes, non-BMP, lone surrogates
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
        max_leaves=30,
    )


def _plain(x: float) -> bool:
    """A float Python writes without an exponent (``repr`` switches at 1e16 and 1e-4)."""
    return "e" not in repr(x)


#: every JSON value, NaN and infinities included (as ``json.dumps`` writes them)
json_values = _json_values(st.floats())
#: the same, with floats written without an exponent: the text must be identical
plain_values = _json_values(st.floats(allow_nan=False, allow_infinity=False).filter(_plain))


def _same(a: Any, b: Any) -> bool:
    """Equality that also tells 1 from 1.0 and True from 1 (JSON spells them apart)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


@settings(max_examples=400)
@given(plain_values)
def test_dumps_is_the_standard_text(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@settings(max_examples=400)
@given(json_values)
def test_dumps_is_the_standard_value(value: Any) -> None:
    """With exponents and NaN too: what it writes reads back as the standard text does."""
    try:
        standard = json.dumps(value, indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return
    assert _same(json.loads(dumps_indented(value)), json.loads(standard))


@settings(max_examples=400)
@given(json_values)
def test_loads_is_the_standard_value(value: Any) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    assert _same(loads(text), json.loads(text))
    assert _same(loads(text.encode("utf-8", "surrogatepass")), json.loads(text))


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),  # orjson alone writes null
        float("inf"),
        [None, float("-inf")],
        [1e-4, 9999999999999998.0, -0.0],  # the largest and smallest without an exponent
        2**64,  # orjson refuses integers beyond 64 bits
        -(2**63) - 1,
        {1: "non-string key"},  # json converts it, orjson refuses
        "\ud800",  # a lone surrogate
        {"s": "null"},  # the slow path on a false alarm still gives the same text
        {"tab\t": '\x00\x1f\x7f\u2028"\\/é😀'},
    ],
    ids=repr,
)
def test_dumps_where_orjson_alone_differs(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "text",
    [
        "123456789012345678901234567890",
        "-9223372036854775809",
        '{"é😀": 123456789012345678901234}',  # the digit run after multi-byte characters
        '["\\ud800", 123456789012345678901234]',  # a lone surrogate and a long integer
        "NaN",
        "[Infinity]",
        '"\\ud800"',
    ],
)
def test_loads_where_orjson_alone_differs(text: str) -> None:
    assert _same(loads(text), json.loads(text))
    data = text.encode("utf-8", "surrogatepass")
    assert _same(loads(data), json.loads(data))
    assert _same(loads(bytearray(data)), json.loads(data))


def test_types_json_refuses_are_still_refused() -> None:
    """orjson would write a datetime; the standard encoder refuses it, and so do we."""
    from datetime import UTC, datetime

    with pytest.raises(TypeError):
        dumps_indented({"when": datetime.now(UTC)})


def test_an_exponent_float_is_the_same_number() -> None:
    """The one spelling kept from orjson (module docstring): same value, other text."""
    value = [1e-7, 1e16, -2.5e-300]  # Python: 1e-07, 1e+16, -2.5e-300
    text = dumps_indented(value)
    assert json.loads(text) == value
    assert text == "[\n  1e-7,\n  1e+16,\n  -2.5e-300\n]"
