"""Strict N-Quads parsing, canonical serialisation, and the canonicaliser's API edges."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc.errors import (
    CanonicalizationBudgetExceeded,
    CanonicalizationError,
    NQuadsParseError,
)
from microcred_vc.jsonld.canon import (
    MAX_DEFAULT_WORK,
    canonical_labels,
    canonical_labels_quads,
    canonicalize_nquads,
    canonicalize_quads,
    quads_from_pyld,
)
from microcred_vc.jsonld.nquads import (
    IRI,
    RDF_LANGSTRING,
    XSD_STRING,
    BlankNode,
    Literal,
    Quad,
    escape_literal,
    parse_nquads,
    parse_serialized,
    serialize_nquads,
    serialize_quad,
)
from tests.fixture_paths import FIXTURES

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SUITE_DIR = FIXTURES / "rdf-canon" / "tests" / "rdfc10"
SUITE_INPUTS = sorted(SUITE_DIR.glob("*-in.nq")) if SUITE_DIR.is_dir() else []
GOOD = '<http://ex/s> <http://ex/p> <http://ex/o> .\n_:b0 <http://ex/p> "v" .\n'

BAD_LINES = {
    "missing-dot": "<http://ex/s> <http://ex/p> <http://ex/o>",
    "relative-iri": "<s> <http://ex/p> <http://ex/o> .",
    "bnode-predicate": "<http://ex/s> _:p <http://ex/o> .",
    "literal-subject": '"s" <http://ex/p> <http://ex/o> .',
    "literal-graph": '<http://ex/s> <http://ex/p> <http://ex/o> "g" .',
    "bad-echar": '<http://ex/s> <http://ex/p> "a\\qb" .',
    "unterminated-literal": '<http://ex/s> <http://ex/p> "abc .',
    "bad-langtag": '<http://ex/s> <http://ex/p> "a"@-en .',
    "surrogate-escape": '<http://ex/s> <http://ex/p> "\\uD800" .',
    "too-big-escape": '<http://ex/s> <http://ex/p> "\\U00110000" .',
    "iri-space": "<http://ex/s t> <http://ex/p> <http://ex/o> .",
    "iri-escaped-space": "<http://ex/s\\u0020t> <http://ex/p> <http://ex/o> .",
    "iri-echar": "<http://ex/s\\n> <http://ex/p> <http://ex/o> .",
    "bnode-label-dash": "_:-a <http://ex/p> <http://ex/o> .",
    "bnode-label-dot-end": "_:a. <http://ex/p> <http://ex/o> .",
    "extra-term": "<http://ex/s> <http://ex/p> <http://ex/o> <http://ex/g> <http://ex/x> .",
    "two-quads-one-line": "<http://ex/s> <http://ex/p> <http://ex/o> . <http://ex/s> <http://ex/p> <http://ex/o> .",
    "datatype-relative": '<http://ex/s> <http://ex/p> "1"^^<int> .',
}


@pytest.mark.parametrize("bad", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_bad_nquads_name_the_line(bad: str) -> None:
    text = GOOD + bad + "\n" + GOOD
    for parse in (parse_serialized, parse_nquads, canonicalize_nquads):
        with pytest.raises(NQuadsParseError) as info:
            parse(text)
        assert info.value.code == "NQUADS_PARSE_ERROR"
        assert info.value.details["line"] == 3
        assert "line 3" in info.value.message


def test_parse_error_says_what_was_expected() -> None:
    with pytest.raises(NQuadsParseError) as info:
        parse_serialized('<http://ex/s> _:p "o" .')
    assert "predicate" in info.value.message
    assert info.value.details["column"] == 15


def test_line_numbers_count_crlf_and_comments() -> None:
    text = "# comment\r\n\r\n<http://ex/s> <http://ex/p> <http://ex/o> .\r\n<bad> .\r\n"
    with pytest.raises(NQuadsParseError) as info:
        parse_serialized(text)
    assert info.value.details["line"] == 4


def test_lone_surrogates_are_refused_with_their_line() -> None:
    """Python strings can hold them (surrogateescape); UTF-8 hashing cannot."""
    for bad in ('_:a <http://ex/p> "x\ud800" .', "<http://ex/\udfff> <http://ex/p> _:a ."):
        with pytest.raises(NQuadsParseError) as info:
            canonicalize_nquads(GOOD + bad + "\n")
        assert info.value.details["line"] == 3


def test_invalid_utf8_and_wrong_type() -> None:
    with pytest.raises(NQuadsParseError, match="UTF-8"):
        canonicalize_nquads(b'<http://ex/s> <http://ex/p> "\xff" .\n')
    with pytest.raises(NQuadsParseError, match="str or bytes"):
        canonicalize_nquads(42)  # type: ignore[arg-type]


def test_lenient_whitespace_comments_and_bytes() -> None:
    text = (
        "  # leading comment\n"
        "<http://ex/s><http://ex/p>_:b0.\n"
        '\t_:b0\t<http://ex/p>\t"x"@en-GB\t<http://ex/g>\t.\t# trailing\n'
        "\n"
    )
    want = canonicalize_nquads(
        '<http://ex/s> <http://ex/p> _:x .\n_:x <http://ex/p> "x"@en-GB <http://ex/g> .\n'
    )
    assert canonicalize_nquads(text) == want
    assert canonicalize_nquads(text.encode()) == want


def test_canonical_literal_forms() -> None:
    text = (
        '<http://ex/s> <http://ex/p> "a"^^<http://www.w3.org/2001/XMLSchema#string> .\n'
        '<http://ex/s> <http://ex/p> "b\\u0009\\u000B\\U0001F303\\u00E9" .\n'
        '<http://ex/s> <http://ex/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        "<http://ex/s> <http://ex/p> <http://ex/\\u00E9> .\n"
    )
    assert canonicalize_nquads(text) == (
        '<http://ex/s> <http://ex/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        '<http://ex/s> <http://ex/p> "a" .\n'
        '<http://ex/s> <http://ex/p> "b\\t\\u000B\U0001f303\u00e9" .\n'
        "<http://ex/s> <http://ex/p> <http://ex/\u00e9> .\n"
    )


def test_duplicates_count_once() -> None:
    line = "_:a <http://ex/p> _:b .\n"
    once = canonicalize_nquads(line)
    assert once.count("\n") == 1
    assert canonicalize_nquads(line * 3) == once


def test_term_objects_match_string_parser() -> None:
    quads = parse_nquads(GOOD + '_:b0 <http://ex/q> "hé"@fr _:g .\n')
    assert quads[1] == Quad(BlankNode("b0"), IRI("http://ex/p"), Literal("v"), None)
    assert quads[2].object == Literal("hé", RDF_LANGSTRING, "fr")
    assert quads[2].graph == BlankNode("g")
    assert IRI("x") != BlankNode("x")  # term kinds never compare equal


@pytest.mark.parametrize("path", SUITE_INPUTS, ids=[p.name for p in SUITE_INPUTS])
def test_both_parsers_and_quad_api_agree(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    quads = parse_nquads(text)
    strings = parse_serialized(text)
    assert [serialize_quad(q) for q in quads] == [
        f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n" for s, p, o, g in strings
    ]
    if "test074" in path.name:  # the poison graph: covered by the suite's negative test
        return
    assert canonicalize_quads(quads) == canonicalize_nquads(text)
    assert canonicalize_nquads(serialize_nquads(quads)) == canonicalize_nquads(text)
    assert canonical_labels_quads(quads) == canonical_labels(text)


def test_quads_from_pyld_matches_pyld_normalize() -> None:
    """pyld is a reference here only: its to_rdf dataset through our canonicaliser."""
    from pyld import jsonld

    doc = {
        "@context": {"@vocab": "http://ex/", "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@id": "http://ex/doc",
        "name": [{"@value": "Anne", "@language": "en"}, "plain"],
        "age": {"@value": "42", "@type": "xsd:integer"},
        "knows": [{"name": "B", "knows": {"name": "C"}}, {"name": "D"}],
        "claims": {"@id": "_:g1", "@graph": [{"name": "in graph", "ref": {"name": "x"}}]},
    }
    dataset = jsonld.to_rdf(doc, {"algorithm": "URDNA2015"})
    quads = quads_from_pyld(dataset)
    assert any(q.graph is not None for q in quads)
    expected = jsonld.normalize(doc, {"algorithm": "URDNA2015", "format": "application/n-quads"})
    assert canonicalize_quads(quads) == expected


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"@default": [{"subject": {"type": "IRI"}}]},
        {"@default": [{"x": 1}]},
        {"@default": [{"subject": None, "predicate": None, "object": None}]},
        {"@default": {"subject": 1}},
        {1: []},
        {
            "@default": [
                {
                    "subject": {"type": "IRI", "value": "http://ex/s"},
                    "predicate": {"type": "IRI", "value": "http://ex/p"},
                    "object": {"type": "thing", "value": "x"},
                }
            ]
        },
    ],
    ids=[
        "not-a-dict",
        "term-without-value",
        "triple-without-keys",
        "terms-not-dicts",
        "graph-not-a-list",
        "graph-name-not-str",
        "unknown-term-type",
    ],
)
def test_quads_from_pyld_rejects_malformed(bad: object) -> None:
    with pytest.raises(CanonicalizationError):
        quads_from_pyld(bad)  # type: ignore[arg-type]


def test_canonicalize_quads_rejects_wrong_terms() -> None:
    with pytest.raises(CanonicalizationError, match="predicate"):
        canonicalize_quads([(IRI("http://ex/s"), BlankNode("p"), IRI("http://ex/o"))])
    with pytest.raises(CanonicalizationError, match="3 or 4"):
        canonicalize_quads([(IRI("http://ex/s"), IRI("http://ex/p"))])  # type: ignore[list-item]
    with pytest.raises(CanonicalizationError, match="object must be"):
        canonicalize_quads([(IRI("http://ex/s"), IRI("http://ex/p"), "o")])  # type: ignore[list-item]
    with pytest.raises(CanonicalizationError, match="subject must be"):
        canonicalize_quads([(Literal("s"), IRI("http://ex/p"), IRI("http://ex/o"))])
    with pytest.raises(CanonicalizationError, match="graph name must be"):
        canonicalize_quads([(IRI("http://ex/s"), IRI("http://ex/p"), IRI("http://ex/o"), "g")])


UNSAFE_TERMS = {
    "iri-with-angle": (IRI("http://ex/s> <http://ex/x"), IRI("http://ex/p"), IRI("http://ex/o")),
    "iri-with-space": (IRI("http://ex/s"), IRI("http://ex/p q"), IRI("http://ex/o")),
    "relative-iri": (IRI("s"), IRI("http://ex/p"), IRI("http://ex/o")),
    "bnode-with-space": (BlankNode("a b"), IRI("http://ex/p"), IRI("http://ex/o")),
    "bnode-empty": (BlankNode(""), IRI("http://ex/p"), IRI("http://ex/o")),
    "language-injection": (
        IRI("http://ex/s"),
        IRI("http://ex/p"),
        Literal("x", RDF_LANGSTRING, "en .\n<http://ex/a> <http://ex/b> <http://ex/c>"),
    ),
    "datatype-with-newline": (IRI("http://ex/s"), IRI("http://ex/p"), Literal("1", "http://x\n")),
    "iri-not-a-string": (IRI(["x"]), IRI("http://ex/p"), IRI("http://ex/o")),  # type: ignore[arg-type]
    "language-not-a-string": (IRI("http://ex/s"), IRI("http://ex/p"), Literal("x", "", 5)),  # type: ignore[arg-type]
    "literal-lone-surrogate": (IRI("http://ex/s"), IRI("http://ex/p"), Literal("x\udc80")),
    "iri-lone-surrogate": (IRI("http://ex/\ud800"), IRI("http://ex/p"), IRI("http://ex/o")),
    "literal-not-a-string": (IRI("http://ex/s"), IRI("http://ex/p"), Literal(5)),  # type: ignore[arg-type]
    "graph-iri-with-quote": (
        IRI("http://ex/s"),
        IRI("http://ex/p"),
        IRI("http://ex/o"),
        IRI('http://ex/"g"'),
    ),
}


@pytest.mark.parametrize("quad", UNSAFE_TERMS.values(), ids=UNSAFE_TERMS.keys())
def test_terms_that_would_break_the_serialisation_are_refused(quad: tuple) -> None:
    """Otherwise two different datasets could hash (and be signed) identically."""
    with pytest.raises(CanonicalizationError) as info:
        canonicalize_quads([quad])
    assert "quad" in info.value.details


def test_hash_algorithm_and_budget_arguments() -> None:
    ring = "".join(f"_:r{i} <http://ex/p> _:r{(i + 1) % 4} .\n" for i in range(4))
    sha256 = canonicalize_nquads(ring)
    assert canonicalize_nquads(ring, hash_algorithm="sha-256") == sha256
    assert canonical_labels(ring, hash_algorithm="SHA384")
    with pytest.raises(CanonicalizationError, match="SHA256 or SHA384") as info:
        canonicalize_nquads(ring, hash_algorithm="MD5")
    assert info.value.code == "CANON_ERROR"
    with pytest.raises(CanonicalizationError, match="max_work"):
        canonicalize_nquads(ring, max_work=-1)
    # a ring needs Hash N-Degree Quads: no budget means refusal, a small one suffices
    with pytest.raises(CanonicalizationBudgetExceeded):
        canonicalize_nquads(ring, max_work=0)
    assert canonicalize_nquads(ring, max_work=1_000) == sha256
    # unique first-degree hashes need no N-degree work at all
    assert canonicalize_nquads(GOOD, max_work=0) == canonicalize_nquads(GOOD)


def _clique(n: int) -> str:
    return "".join(f"_:e{i} <http://ex/p> _:e{j} .\n" for i in range(n) for j in range(n))


def _grid(n: int) -> str:
    out = []
    for i in range(n):
        for j in range(n):
            if i + 1 < n:
                out.append(f"_:g{i}x{j} <http://ex/p> _:g{i + 1}x{j} .\n")
            if j + 1 < n:
                out.append(f"_:g{i}x{j} <http://ex/p> _:g{i}x{j + 1} .\n")
    return "".join(out)


def _two_rings(n: int) -> str:
    """Two disjoint n-cycles: every node looks alike at every depth."""
    return "".join(
        f"_:{r}{i} <http://ex/p> _:{r}{(i + 1) % n} .\n" for r in ("a", "b") for i in range(n)
    )


POISON = {"clique-40": _clique(40), "grid-12": _grid(12), "two-rings-300": _two_rings(300)}


@pytest.mark.parametrize("text", POISON.values(), ids=POISON.keys())
def test_poison_graph_ends_with_budget_error_not_hang(text: str) -> None:
    with pytest.raises(CanonicalizationBudgetExceeded) as info:
        canonicalize_nquads(text)
    assert 0 < info.value.details["max_work"] <= MAX_DEFAULT_WORK


def test_symmetric_but_small_graphs_fit_the_default_budget() -> None:
    """Legitimate symmetry (a list of equal values, small rings) must still canonicalise."""
    items = "".join(
        f'_:l{i} <{RDF}first> "same" .\n_:l{i} <{RDF}rest> '
        + (f"_:l{i + 1}" if i < 59 else f"<{RDF}nil>")
        + " .\n"
        for i in range(60)
    )
    listing = "<http://ex/s> <http://ex/p> _:l0 .\n" + items
    out = canonicalize_nquads(listing)
    assert out.count("\n") == 121
    assert canonicalize_nquads(_two_rings(6)).count("_:c14n11 ") >= 1


LITERAL_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@given(value=LITERAL_TEXT, language=st.sampled_from([None, "en", "de-CH"]))
def test_literal_escaping_round_trips(value: str, language: str | None) -> None:
    lit = Literal(value, RDF_LANGSTRING, language) if language else Literal(value)
    quad = Quad(IRI("http://ex/s"), IRI("http://ex/p"), lit)
    line = serialize_quad(quad)
    assert "\n" not in line[:-1] and "\r" not in line
    (parsed,) = parse_nquads(line)
    assert parsed == quad
    # the canonical form is a fixed point: parsing and re-serialising changes nothing
    assert canonicalize_nquads(line) == line


@given(value=LITERAL_TEXT)
def test_escape_literal_only_escapes_what_canonical_form_requires(value: str) -> None:
    escaped = escape_literal(value)
    for ch in value:
        if ch in '\\"' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            continue
        assert ch in escaped
    assert escaped.count('"') == escaped.count('\\"')
    assert XSD_STRING not in canonicalize_nquads(
        f'<http://ex/s> <http://ex/p> "{escaped}"^^<{XSD_STRING}> .\n'
    )


SEED_LINES = [
    "<http://ex/s> <http://ex/p> <http://ex/o> .",
    '_:b0 <http://ex/p> "v\\u00e9\\n"@en-GB _:g .',
    '<http://ex/s> <http://ex/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <http://ex/g> .',
    "_:a.b-c <http://ex/p> _:b0 . # comment",
]


@given(
    line=st.sampled_from(SEED_LINES),
    edits=st.lists(
        st.tuples(st.integers(0, 120), st.sampled_from(["insert", "delete"]), st.characters()),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_lines_parse_or_fail_cleanly(line: str, edits: list) -> None:
    """Damaged input gives a typed, line-numbered error, never a crash or bad output."""
    for pos, op, ch in edits:
        pos = min(pos, len(line))
        line = line[:pos] + ch + line[pos:] if op == "insert" else line[:pos] + line[pos + 1 :]
    text = GOOD + line + "\n"
    try:
        out = canonicalize_nquads(text)
    except NQuadsParseError as exc:
        assert exc.details["line"] >= 3
        return
    # whatever was accepted must canonicalise to re-parseable, stable output
    assert canonicalize_nquads(out) == out
