"""Replayed subtrees (``jsonld/subtree_memo``) give exactly the quads a walk gives.

Oracles:
- the walk itself with the memo switched off (``subtree_memo.use_memo(False)``): the
  quads, blank node labels and graph names included, must be identical (a list
  comparison, stricter than canonical bytes) on every fixture document walked four
  times with one loader (the memo records a subtree on its second sighting and
  replays it from the third), and on generated documents spliced into each other at
  different positions (so replayed blank nodes start at other counters);
- plain pyld's canonical N-Quads (tests/jsonld/test_compiled_parity.py's generator
  and official contexts) for the generated documents after replay;
- attacks: values that orjson writes alike (NaN and null), that are equal in Python but
  differ in JSON-LD (1, 1.0, True), document blank node labels whose numbering depends
  on the rest of the document, the same subtree under another property or context,
  and the memo's bounds under many distinct documents.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from microcred_vc.jsonld import canonicalize
from microcred_vc.jsonld.expand import _root_table, to_quads
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.jsonld.subtree_memo import MAX_BYTES, content_key, use_memo
from tests.jsonld.test_compiled_parity import DOCS, EX, EX_CONTEXT, V2, documents
from tests.jsonld.test_compiled_parity import _compare as compare_with_pyld


def _walks(doc: Any, loader: DocumentLoader, times: int = 4) -> list[Any]:
    out = []
    for _ in range(times):
        try:
            out.append(to_quads(copy.deepcopy(doc), loader=loader))
        except Exception as exc:  # a refusal must be the same refusal every time
            out.append((type(exc).__name__, str(exc)))
    return out


def _reference(doc: Any, loader: DocumentLoader) -> Any:
    with use_memo(False):
        return _walks(doc, loader, 1)[0]


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_fixture_documents_replayed_are_walked_exactly(path: Any) -> None:
    doc = json.loads(path.read_text())
    loader = DocumentLoader()
    reference = _reference(doc, loader)
    assert all(got == reference for got in _walks(doc, loader)), path


def _credential(subject: dict[str, Any], first: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": [V2, EX_CONTEXT],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": subject,
    }
    if first is not None:  # walked before the subject: shifts the blank node counter
        doc = {"@context": doc["@context"], "exSet": first, **doc}
    return doc


def test_a_proof_set_inside_a_replayed_subtree_keeps_its_graphs() -> None:
    """Regression: the memo once dropped the graph of quads inside a graph container
    (found by the Digital Bazaar oracle in bench/bench_node.py on the big OB3 fixture)."""
    inner = {"exGraph": {"type": "Plain", "exText": "in a graph"}, "exText": "outside"}
    loader = DocumentLoader()
    for first in (None, {"exText": "a"}, {"exSet": [{"exText": "b"}, {"exText": "c"}]}):
        doc = _credential({"exSet": inner}, first)
        reference = _reference(doc, loader)
        assert any(q.graph is not None for q in reference)
        assert all(got == reference for got in _walks(doc, loader))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (float("nan"), None),  # orjson writes both as null
        (1, 1.0),
        (1, True),
        (0, False),
        ("1", 1),
        ("2026-07-01T00:00:00Z", datetime(2026, 7, 1, tzinfo=UTC)),
    ],
    ids=["nan-null", "int-float", "int-bool", "zero-false", "str-int", "str-datetime"],
)
def test_values_that_look_alike_are_never_confused(one: Any, other: Any) -> None:
    loader = DocumentLoader()
    first = _credential({"exSet": {"exCount": one, "exText": "same"}})
    second = _credential({"exSet": {"exCount": other, "exText": "same"}})
    for doc in (first, first, first):  # the first subtree is now in the memo
        to_quads(copy.deepcopy(doc), loader=loader)
    assert _walks(second, loader, 2) == [_reference(second, loader)] * 2


def test_content_keys_refuse_what_is_not_plain_json() -> None:
    class Text(str):
        pass

    assert content_key({"a": Text("x")}) is None
    assert content_key({"a": datetime(2026, 1, 1, tzinfo=UTC)}) is None
    assert content_key({"a": 2**70}) is None
    assert content_key({"a": None}) is None
    assert content_key({"a": "x", "b": 1}) == b'{"a":"x","b":1}'
    assert content_key({"b": 1, "a": "x"}) != content_key({"a": "x", "b": 1})  # order kept


def test_document_blank_node_labels_are_not_replayed() -> None:
    """A subtree naming ``_:x`` gets the label its document gives it (d0, d1, ...
    in order of first use), so it must be walked, not replayed."""
    loader = DocumentLoader()
    named = {"id": "_:x", "exText": "named"}
    for first in (None, {"id": "_:y"}, None, {"id": "_:z", "exLink": "_:w"}, None):
        doc = _credential({"exSet": named}, first)
        assert _walks(doc, loader, 2) == [_reference(doc, loader)] * 2


def test_the_same_subtree_under_another_property_or_context_is_its_own() -> None:
    loader = DocumentLoader()
    subtree = {"exText": "t", "inner": "only in the scoped context"}
    docs = [
        _credential({"exScoped": subtree}),
        _credential({"exSet": {"type": "ExThing", "thingProp": "x", "exText": "t"}}),
        _credential({"exSet": {"type": "Plain", "exText": "t"}}),
        _credential({"exList": [{"exText": "t"}, {"exText": "t"}]}),
    ]
    for _ in range(3):
        for doc in docs:
            assert _walks(doc, loader, 1) == [_reference(doc, loader)]


def test_the_memo_stays_within_its_bounds() -> None:
    loader = DocumentLoader()
    for i in range(300):
        to_quads(_credential({"exSet": {"exText": "x" * 20_000 + str(i)}}), loader=loader)
    memos = [t.subtrees for t in _tables(_root_table(loader)) if t.subtrees is not None]
    assert memos
    for memo in memos:
        assert memo._seen_bytes <= MAX_BYTES and memo._stored_bytes <= MAX_BYTES


def test_the_memos_of_many_tables_stay_within_the_process_bound(monkeypatch: Any) -> None:
    """Attack: each document brings its own embedded context, so each subtree lands in a
    new term table with a memo of its own; the bytes of all of them stay bounded."""
    from microcred_vc.jsonld import subtree_memo

    monkeypatch.setattr(subtree_memo, "MAX_TOTAL_BYTES", 300_000)
    loader = DocumentLoader()
    for i in range(120):
        subject = {"@context": {f"t{i}": f"{EX}t{i}"}, "exSet": {"exText": "y" * 20_000}}
        for _ in range(2):  # seen, then stored
            to_quads(_credential({"exSet": subject}), loader=loader)
        assert subtree_memo.total_bytes() <= 300_000
    held = sum(m._seen_bytes + m._stored_bytes for m in list(subtree_memo._MEMOS))
    assert held <= 300_000


def _tables(table: Any, seen: set[int] | None = None) -> list[Any]:
    seen = set() if seen is None else seen
    if id(table) in seen:
        return []
    seen.add(id(table))
    out = [table]
    for _, child in table._children.values():
        out += _tables(child, seen)
    if table._reverted is not None:
        out += _tables(table._reverted, seen)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(documents(), documents())
def test_generated_documents_replayed_and_spliced_agree(one: Any, two: Any) -> None:
    """Each generated document walked repeatedly, then the first one's properties placed
    inside the second's subject (other counters at entry), against the memo-free walk,
    and the canonical bytes against plain pyld."""
    loader = DocumentLoader()
    spliced = copy.deepcopy(two)
    subject = spliced.get("credentialSubject")
    if isinstance(subject, dict):
        subject["exSet"] = [
            {k: v for k, v in one.items() if k not in ("@context", "id", "type")},
            subject.get("exSet"),
        ]
    for doc in (one, one, two, one, spliced, spliced, spliced):
        assert _walks(doc, loader, 1) == [_reference(doc, loader)]
    compare_with_pyld(spliced)
    compare_with_pyld(one)


def test_signing_after_replay_is_the_signing_without_it() -> None:
    """The canonical bytes a proof signs, with and without the memo, on a document
    whose course part recurs (the batch case)."""
    loader = DocumentLoader()
    course = {"exText": "course", "exSet": [{"exText": f"outcome {i}"} for i in range(5)]}
    for learner in range(5):
        doc = _credential({"id": f"did:example:{learner}", "exScoped": course})
        with use_memo(False):
            reference = canonicalize(copy.deepcopy(doc), loader=loader)
        assert canonicalize(doc, loader=loader) == reference
