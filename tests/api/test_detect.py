"""Format detection over every shape a wallet can be handed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred_vc.detect import detect, json_format
from microcred_vc.errors import InvalidJson, UnknownFormat
from tests.fixture_paths import FIXTURES

OB30 = FIXTURES / "ob3" / "validator-fixtures" / "ob30"
OB20 = FIXTURES / "ob2" / "validator-fixtures" / "ob20"

CASES = [
    (OB30 / "simple.json", "ob3"),
    (OB30 / "simple_v1.json", "ob3"),
    (OB30 / "simple.jwt", "jwt"),
    (OB30 / "simple-json.png", "png"),
    (OB30 / "simple-jwt.svg", "svg"),
    (OB20 / "basic-assertion.json", "ob2"),
    (FIXTURES / "edc" / "edci" / "credential-signed.jsonld", "edc-sealed"),
    (FIXTURES / "edc" / "third-party-mynextid" / "edc-mc-example.json", "edc"),
    (FIXTURES / "di-vectors" / "vc-di-eddsa" / "unsigned.json", "vc2"),
]


def _find(path: Path) -> Path:
    if path.exists():
        return path
    matches = list(path.parent.parent.rglob(path.name)) or list(FIXTURES.rglob(path.name))
    if not matches:
        pytest.fail(f"fixture {path.name} not found under {FIXTURES}")
    return matches[0]


@pytest.mark.parametrize(("path", "expected"), CASES, ids=[p.name for p, _ in CASES])
def test_detects_fixture(path: Path, expected: str) -> None:
    raw = _find(path).read_bytes()
    assert detect(raw).format == expected
    if expected not in ("png", "svg"):
        assert detect(raw.decode("utf-8")).format == expected
    if raw.lstrip().startswith(b"{"):
        assert detect(json.loads(raw)).format == expected


def test_presentation_and_vc1() -> None:
    assert (
        json_format(
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiablePresentation"],
            }
        )
        == "vp"
    )
    assert (
        json_format(
            {
                "@context": ["https://www.w3.org/2018/credentials/v1"],
                "type": ["VerifiableCredential"],
            }
        )
        == "vc1"
    )


@pytest.mark.parametrize(
    "value",
    [b"\x00\x01binary", "plain words", "a.b", {"hello": "world"}, [1, 2], 42, "{not json"],
    ids=["binary", "words", "two-parts", "no-context", "list", "int", "bad-json"],
)
def test_unknown_is_a_typed_error(value: object) -> None:
    with pytest.raises((UnknownFormat, InvalidJson)):
        detect(value)
