"""Malformed credentials end in typed errors, never a bare exception (load, validate, convert)."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred_vc.errors import MicrocredError
from microcred_vc.formats import ob3, vc
from microcred_vc.model import MicroCredential
from microcred_vc.validate.ob3 import validate_ob3
from tests.fixture_paths import FIXTURES
from tests.model.test_elements import BASE

DOC = ob3.dump(
    MicroCredential(
        **{**BASE, "grade": "B", "eqf_level": 5, "learner": {**BASE["learner"], "did": "did:ex:1"}}
    )
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*path, i))
    return out


PATHS = _paths(DOC)[1:]


@settings(max_examples=60)
@given(st.sampled_from(PATHS), json_values, st.booleans())
def test_mutated_credentials_fail_only_with_typed_errors(
    path: tuple[Any, ...], value: Any, as_v1: bool
) -> None:
    doc = copy.deepcopy(vc.to_v1(DOC).document if as_v1 else DOC)
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    if as_v1 and path[-1] not in node and isinstance(node, dict):
        return  # the path was renamed by the conversion (validFrom -> issuanceDate)
    node[path[-1]] = value
    for step in (ob3.load, vc.to_v1, vc.to_v2):
        with contextlib.suppress(MicrocredError):
            step(doc)
    findings = validate_ob3(doc, FIXTURES / "ob3" / "schemas")
    assert all(f.severity in ("error", "warning") for f in findings)


@pytest.mark.parametrize(
    "path",
    [
        ("credentialSubject", "achievement", "creditSystem", "id"),
        ("credentialSubject", "achievement", "resultDescription", 0, "id"),
        ("credentialSubject", "result", 0, "resultDescription"),
    ],
    ids=lambda p: ".".join(map(str, p)),
)
@pytest.mark.parametrize("value", [[], {}, [None], 0], ids=repr)
def test_an_unhashable_or_foreign_iri_is_not_a_crash(path: tuple[Any, ...], value: Any) -> None:
    """Regression (found by the property above): an IRI slot holding a list or an object
    was used as a dict key (TypeError) instead of being read as no reference."""
    doc = copy.deepcopy(DOC)
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with contextlib.suppress(MicrocredError):
        ob3.load(doc)
