"""Linear-time node map generation (issue #16 V5) gives exactly pyld's node map.

Oracle: plain pyld (``JsonLdProcessor._create_node_map``, the independent
implementation this module adapts) on the same expanded input, compared with
``repr`` so that 1, 1.0 and True stay distinct; plus a work-count property:
the number of value comparisons stays linear in the number of list elements.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pyld import jsonld as pyld  # the reference implementation
from pyld.identifier_issuer import IdentifierIssuer

from microcred_vc.errors import JsonLdError
from microcred_vc.jsonld import node_map
from microcred_vc.jsonld.expand import expand, to_dataset
from microcred_vc.jsonld.node_map import NodeMapProcessor, value_key

CONTEXT = {
    "@vocab": "https://example.org/v#",
    "ref": {"@id": "https://example.org/v#ref", "@type": "@id"},
    "js": {"@id": "https://example.org/v#js", "@type": "@json"},
    "lst": {"@id": "https://example.org/v#lst", "@container": "@list"},
    "en": {"@id": "https://example.org/v#en", "@language": "en"},
    "dt": {"@id": "https://example.org/v#dt", "@type": "https://example.org/v#T"},
    "idx": {"@id": "https://example.org/v#idx", "@container": "@index"},
    "rev": {"@reverse": "https://example.org/v#rel"},
}

primitives = st.one_of(
    st.sampled_from(["a", "b", "1", ""]),
    st.sampled_from([0, 1, 2, -0.0, 1.0, 2.5, True, False]),
)
json_literal = st.recursive(
    primitives | st.none(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("xy"), inner),
    max_leaves=6,
)
ids = st.sampled_from(["urn:a", "urn:b", "_:x", "_:y"])
nodes = st.recursive(
    st.fixed_dictionaries({}, optional={"@id": ids, "p": st.lists(primitives, max_size=4)}),
    lambda inner: st.fixed_dictionaries(
        {},
        optional={
            "@id": ids,
            "@type": st.lists(st.sampled_from(["A", "B", "_:t"]), max_size=3),
            "p": st.lists(primitives | inner, max_size=6),
            "ref": st.lists(ids, max_size=4),
            "js": st.lists(json_literal, max_size=4),
            "lst": st.lists(primitives | inner, max_size=3),
            "en": st.lists(st.sampled_from(["x", "y"]), max_size=3),
            "dt": st.lists(st.sampled_from(["x", "y"]), max_size=3),
            "idx": st.dictionaries(st.sampled_from(["i", "j"]), primitives, max_size=2),
            "rev": st.lists(inner, max_size=2),
            "@included": st.lists(inner, max_size=2),
            "@graph": st.lists(inner, max_size=2),
        },
    ),
    max_leaves=12,
)


def _node_maps(expanded: Any) -> tuple[str, str]:
    out = []
    for processor in (pyld.JsonLdProcessor(), NodeMapProcessor()):
        graph_map: dict[str, Any] = {"@default": {}}
        issuer = IdentifierIssuer("_:b")
        processor._create_node_map(copy.deepcopy(expanded), graph_map, "@default", issuer)
        out.append(repr((graph_map, issuer.existing)))
    return out[0], out[1]


@settings(max_examples=300, deadline=None)
@given(st.lists(nodes, min_size=1, max_size=3))
def test_node_map_is_pyld_node_map(docs: list[dict[str, Any]]) -> None:
    doc = {"@context": CONTEXT, "@graph": docs}
    try:
        expanded = expand(doc, safe=False)
    except JsonLdError:
        assume(False)  # not JSON-LD (e.g. @included of a value): nothing to compare
        return
    ours, theirs = _node_maps(expanded)
    assert ours == theirs


@settings(max_examples=300, deadline=None)
@given(st.lists(primitives | json_literal, max_size=12))
def test_long_lists_with_duplicates(values: list[Any]) -> None:
    expanded = expand({"@context": CONTEXT, "@id": "urn:s", "p": values, "js": values}, safe=False)
    ours, theirs = _node_maps(expanded)
    assert ours == theirs


@given(primitives | json_literal, primitives | json_literal)
def test_value_keys_agree_with_compare_values(a: Any, b: Any) -> None:
    for x, y in (({"@value": a}, {"@value": b}), (a, b), ({"@id": str(a)}, {"@id": str(b)})):
        if isinstance(x, dict | list) and "@value" not in x and "@id" not in x:
            continue
        ka, kb = value_key(x), value_key(y)
        if ka is None or kb is None:
            continue
        same = ka == kb and ka is not node_map._NEVER_EQUAL
        assert same == pyld.JsonLdProcessor.compare_values(x, y), (x, y)


def test_nan_is_never_a_duplicate() -> None:
    nan = float("nan")
    expanded = [{"@id": "urn:s", "https://e.org/p": [{"@value": nan}, {"@value": nan}]}]
    ours, theirs = _node_maps(expanded)
    assert ours == theirs


def test_duplicate_checks_are_linear(monkeypatch: Any) -> None:
    """Property: 20,000 distinct tags cost no pairwise comparisons at all (pyld: 2·10⁸)."""
    calls = []
    original = pyld.JsonLdProcessor.compare_values

    def counting(v1: Any, v2: Any) -> bool:
        calls.append(1)
        return original(v1, v2)

    monkeypatch.setattr(node_map, "_compare", counting)
    doc = {
        "@context": {"tag": "https://example.org/tag"},
        "@id": "urn:s",
        "tag": [f"t{i}" for i in range(20_000)] + ["t1", "t2"],
    }
    dataset = to_dataset(doc, safe=False)
    assert len(dataset["@default"]) == 20_000
    assert calls == []
    assert json.dumps(dataset)  # plain data, nothing left unserialisable
