"""Canonical output is invariant under quad order and blank node names; tampering shows."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc.jsonld.canon import canonical_labels, canonicalize_nquads
from microcred_vc.jsonld.nquads import parse_serialized
from tests.fixture_paths import FIXTURES

SUITE_DIR = FIXTURES / "rdf-canon" / "tests" / "rdfc10"
# every suite input except the poison graph (it never canonicalises by design)
SUITE_INPUTS = (
    [p for p in sorted(SUITE_DIR.glob("*-in.nq")) if "test074" not in p.name]
    if SUITE_DIR.is_dir()
    else []
)
SUITE_TEXT = {p.name: p.read_text(encoding="utf-8") for p in SUITE_INPUTS}
NON_EMPTY = sorted(n for n, t in SUITE_TEXT.items() if t.strip())
BIG_BUDGET = 10_000_000  # generated graphs are small; never let the budget decide

Quads = list[tuple[str, str, str, str]]


def _to_text(quads: Quads) -> str:
    return "".join(f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n" for s, p, o, g in quads)


def _relabel(quads: Quads, rename: dict[str, str]) -> Quads:
    def r(term: str) -> str:
        return rename.get(term, term)

    return [(r(s), p, r(o), r(g)) for s, p, o, g in quads]


def _bnodes(quads: Quads) -> list[str]:
    seen: dict[str, None] = {}
    for s, _p, o, g in quads:
        for t in (s, o, g):
            if t.startswith("_:"):
                seen[t] = None
    return list(seen)


LABELS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_\-]{0,6}", fullmatch=True)


@st.composite
def shuffled_and_renamed(draw: st.DrawFn, quads: Quads) -> Quads:
    nodes = _bnodes(quads)
    new = draw(st.lists(LABELS, min_size=len(nodes), max_size=len(nodes), unique=True))
    out = _relabel(quads, {old: f"_:{n}" for old, n in zip(nodes, new, strict=True)})
    seed = draw(st.integers(0, 2**32 - 1))
    random.Random(seed).shuffle(out)
    return out


@st.composite
def cyclic_graphs(draw: st.DrawFn, distinct: bool = False) -> Quads:
    """Small datasets built to be hard: a blank-node cycle plus random extra edges.

    ``distinct``: no quad mentions one blank node twice (see the pyld test).
    """
    n = draw(st.integers(2, 6))
    preds = ["<http://ex/p>", "<http://ex/q>"]
    quads: Quads = [(f"_:n{i}", preds[0], f"_:n{(i + 1) % n}", "") for i in range(n)]
    extra = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.sampled_from(preds),
                st.integers(0, n - 1),
                st.sampled_from(["", "<http://ex/g>", "bnode"]),
                st.integers(0, n - 1),
            ),
            max_size=8,
        )
    )
    for a, p, b, g, gn in extra:
        graph = f"_:n{gn}" if g == "bnode" else g
        if distinct and (a == b or (g == "bnode" and gn in (a, b))):
            continue
        quads.append((f"_:n{a}", p, f"_:n{b}", graph))
    if draw(st.booleans()):
        quads.append((f"_:n{draw(st.integers(0, n - 1))}", "<http://ex/v>", '"x"', ""))
    return quads


@given(data=st.data(), name=st.sampled_from(sorted(SUITE_TEXT)))
def test_suite_inputs_invariant_under_shuffle_and_rename(data: st.DataObject, name: str) -> None:
    text = SUITE_TEXT[name]
    quads = parse_serialized(text)
    variant = data.draw(shuffled_and_renamed(quads))
    assert canonicalize_nquads(_to_text(variant)) == canonicalize_nquads(text)


@given(data=st.data(), graph=cyclic_graphs())
def test_generated_cyclic_graphs_invariant(data: st.DataObject, graph: Quads) -> None:
    expected = canonicalize_nquads(_to_text(graph), max_work=BIG_BUDGET)
    variant = data.draw(shuffled_and_renamed(graph))
    assert canonicalize_nquads(_to_text(variant), max_work=BIG_BUDGET) == expected
    assert canonicalize_nquads(expected, max_work=BIG_BUDGET) == expected  # idempotent


@given(graph=cyclic_graphs(distinct=True))
def test_generated_graphs_match_pyld_reference(graph: Quads) -> None:
    """pyld (reference only) agrees wherever it follows the spec.

    pyld 3.3 lists a quad twice for a blank node that occurs twice in it (the
    spec and rdf-canonize use a set), so such graphs are left out here.
    """
    from pyld import jsonld

    text = _to_text(graph)
    options = {
        "algorithm": "URDNA2015",
        "inputFormat": "application/n-quads",
        "format": "application/n-quads",
    }
    assert canonicalize_nquads(text, max_work=BIG_BUDGET) == jsonld.normalize(text, options)


def _apply_map(quads: Quads, labels: dict[str, str]) -> str:
    renamed = _relabel(quads, {f"_:{k}": f"_:{v}" for k, v in labels.items()})
    lines = {f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n" for s, p, o, g in renamed}
    return "".join(sorted(lines))


@pytest.mark.parametrize("name", sorted(SUITE_TEXT))
def test_label_map_relabels_input_into_canonical_output(name: str) -> None:
    text = SUITE_TEXT[name]
    quads = parse_serialized(text)
    labels = canonical_labels(text)
    assert sorted(labels) == sorted(b[2:] for b in _bnodes(quads))
    assert sorted(labels.values()) == sorted(f"c14n{i}" for i in range(len(labels)))
    assert _apply_map(quads, labels) == canonicalize_nquads(text)


@given(graph=cyclic_graphs(), data=st.data())
def test_generated_label_map_is_consistent(graph: Quads, data: st.DataObject) -> None:
    text = _to_text(graph)
    labels = canonical_labels(text, max_work=BIG_BUDGET)
    assert _apply_map(graph, labels) == canonicalize_nquads(text, max_work=BIG_BUDGET)


@given(data=st.data(), name=st.sampled_from(NON_EMPTY))
def test_tampering_a_predicate_changes_output(data: st.DataObject, name: str) -> None:
    text = SUITE_TEXT[name]
    quads = list(dict.fromkeys(parse_serialized(text)))
    i = data.draw(st.integers(0, len(quads) - 1))
    s, p, o, g = quads[i]
    quads[i] = (s, p[:-1] + "#tampered>", o, g)
    assert canonicalize_nquads(_to_text(quads)) != canonicalize_nquads(text)


@given(data=st.data(), name=st.sampled_from(NON_EMPTY))
def test_dropping_a_quad_changes_output(data: st.DataObject, name: str) -> None:
    text = SUITE_TEXT[name]
    quads = list(dict.fromkeys(parse_serialized(text)))
    i = data.draw(st.integers(0, len(quads) - 1))
    dropped = quads[:i] + quads[i + 1 :]
    assert canonicalize_nquads(_to_text(dropped)) != canonicalize_nquads(text)


def test_suite_inputs_present() -> None:
    assert len(SUITE_TEXT) >= 60, f"rdf-canon inputs missing under {SUITE_DIR}"
