"""The term serialiser's shared cache and inline path change no answer.

Oracle (property): each term's N-Quads form and every refusal are what the strict
N-Quads parser (:func:`parse_nquads`) gives for the same text, whether the
process-wide cache of checked IRIs, labels and literals is cold, warm, or was just cleared;
attacks aim at the cache (a refused term after the same-looking good one, values
that are not strings in every position, subclasses of ``str``).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc.errors import CanonicalizationError
from microcred_vc.jsonld import canon_input
from microcred_vc.jsonld.canon_input import serialize_terms
from microcred_vc.jsonld.nquads import IRI, RDF_LANGSTRING, BlankNode, Literal, parse_nquads

P = IRI("http://ex/p")
iris = st.sampled_from(
    ["http://ex/a", "urn:x:1", "http://ex/a b", "rel", "http://ex/é", "http://ex/<"]
)
labels = st.sampled_from(["b0", "b1", "x-y", "a b", "", "c14n0"])
texts = st.text(max_size=8)


nodes = st.one_of(iris.map(IRI), labels.map(BlankNode))
objects = st.one_of(
    iris.map(IRI),
    labels.map(BlankNode),
    st.builds(Literal, texts),
    st.builds(Literal, texts, iris),
    st.builds(
        lambda v, lang: Literal(v, RDF_LANGSTRING, lang),
        texts,
        st.sampled_from(["en", "de-AT", "e n"]),
    ),
)
quads = st.tuples(nodes, iris.map(IRI), objects, st.one_of(st.none(), nodes))


def _outcome(quad: tuple[Any, ...]) -> str:
    try:
        return " ".join(t for t in next(serialize_terms([quad])) if t)
    except CanonicalizationError:
        return "refused"


@given(st.lists(quads, min_size=1, max_size=12))
def test_cold_and_warm_cache_agree_and_match_the_parser(batch: list[tuple[Any, ...]]) -> None:
    warm = [_outcome(q) for q in batch]
    canon_input._CHECKED_IRIS.clear()
    canon_input._CHECKED_LABELS.clear()
    canon_input._CHECKED_LITERALS.clear()
    cold = [_outcome(q) for q in batch]
    assert warm == cold
    for quad, line in zip(batch, cold, strict=True):
        if line == "refused":  # the naive text of the same terms does not parse either
            naive = " ".join(t.to_nquads() for t in quad if t is not None)
            with pytest.raises(CanonicalizationError):
                parse_nquads(naive + " .\n")
            continue
        parsed = parse_nquads(line + " .\n")  # the parser takes what we wrote, unchanged
        assert " ".join(t for t in next(serialize_terms(parsed)) if t) == line, quad


@pytest.mark.parametrize("position", range(4))
@pytest.mark.parametrize("bad", [["x"], 5, None, b"http://ex/a"], ids=repr)
def test_values_that_are_not_strings_are_refused_in_every_position(position: int, bad: Any) -> None:
    quad: list[Any] = [IRI("http://ex/s"), P, IRI("http://ex/o"), IRI("http://ex/g")]
    quad[position] = Literal(bad) if position == 2 else IRI(bad)
    with pytest.raises(CanonicalizationError) as info:
        list(serialize_terms([tuple(quad)]))
    assert "quad" in info.value.details


def test_a_refused_iri_is_refused_again_after_good_ones() -> None:
    good = (IRI("http://ex/a"), P, IRI("http://ex/a"))
    bad = (IRI("http://ex/a> <http://ex/b"), P, IRI("http://ex/a"))
    for _ in range(3):
        assert list(serialize_terms([good])) == [
            ("<http://ex/a>", "<http://ex/p>", "<http://ex/a>", "")
        ]
        with pytest.raises(CanonicalizationError):
            list(serialize_terms([bad]))
    assert "http://ex/a> <http://ex/b" not in canon_input._CHECKED_IRIS


def test_str_subclasses_are_checked_but_not_cached() -> None:
    class Sneaky(str):
        pass

    value = Sneaky("http://ex/sneaky")
    ((subject, _p, label, _g),) = serialize_terms([(IRI(value), P, BlankNode(Sneaky("b9")))])
    assert (subject, label) == ("<http://ex/sneaky>", "_:b9")
    assert not any(type(k) is not str for k in canon_input._CHECKED_IRIS)
    assert not any(type(k) is not str for k in canon_input._CHECKED_LABELS)
    (line,) = serialize_terms([(IRI("http://ex/s"), P, Literal(Sneaky("café\n")))])
    assert line[2] == '"café\\n"'
    assert not any(type(v) is not str for v, _, _ in canon_input._CHECKED_LITERALS)


def test_a_refused_literal_is_refused_again_after_the_same_looking_good_ones() -> None:
    """The literal cache is keyed by all three parts: a good tag, no tag or a datatype
    never vouches for the same text with a bad tag or a surrogate."""
    s = IRI("http://ex/s")
    good = [Literal("x", RDF_LANGSTRING, "en"), Literal("x"), Literal("x", "http://ex/t")]
    bad = [Literal("x", RDF_LANGSTRING, "e n"), Literal("x\ud800"), Literal("x", "not an iri")]
    for _ in range(3):
        lines = [next(serialize_terms([(s, P, o)]))[2] for o in good]
        assert lines == ['"x"@en', '"x"', '"x"^^<http://ex/t>']
        for o in bad:
            with pytest.raises(CanonicalizationError):
                list(serialize_terms([(s, P, o)]))


def test_the_cache_starts_over_past_its_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents choose their IRIs: a verifier's memory must not grow with them."""
    monkeypatch.setattr(canon_input, "CACHE_CAP", 50)
    for i in range(200):
        list(serialize_terms([(IRI(f"http://ex/{i}"), P, BlankNode(f"n{i}"))]))
        list(serialize_terms([(IRI("http://ex/s"), P, Literal(f"text {i}"))]))
    assert len(canon_input._CHECKED_LITERALS) <= 51
    assert len(canon_input._CHECKED_IRIS) <= 52
    assert len(canon_input._CHECKED_LABELS) <= 51
