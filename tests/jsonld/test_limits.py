"""Untrusted JSON is capped in size, depth and node count before processing."""

from __future__ import annotations

import json

import pytest

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
