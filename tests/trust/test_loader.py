"""load_trust_registry detects the format by shape and refuses anything else
(microcred_vc/trust/loader.py).

Oracle: the four sample files under tests/trust/data (one per format) each load
as their registry class; files that are none of the formats — binary data,
JSON of another shape, a JSON scalar, a text line that is no identifier, an
empty file — raise TrustRegistryInvalid with the stable code
TRUST_REGISTRY_INVALID (a property: never a silently empty registry).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred_vc.errors import TrustRegistryInvalid
from microcred_vc.trust import (
    AllowList,
    DccRegistry,
    EbsiIssuerList,
    as_registries,
    load_trust_registry,
)

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("allow-list.txt", AllowList),
        ("allow-list.json", AllowList),
        ("dcc-registry.json", DccRegistry),
        ("ebsi-issuers.json", EbsiIssuerList),
    ],
)
def test_each_format_is_detected(name: str, kind: type) -> None:
    registry = load_trust_registry(DATA / name)
    assert isinstance(registry, kind)


def test_names_come_from_the_file_or_the_caller() -> None:
    assert load_trust_registry(DATA / "allow-list.txt").name == "allow-list.txt"
    assert load_trust_registry(DATA / "allow-list.json").name == "Example quality-assurance list"
    assert load_trust_registry(DATA / "dcc-registry.json", name="DCC").name == "DCC"


def test_text_allow_list_sample() -> None:
    registry = load_trust_registry(DATA / "allow-list.txt")
    assert registry.lookup("did:web:micro.uni.example").name.startswith("University of Example")
    assert registry.lookup("https://xn--mnchen-3ya.example/issuer").vouched
    assert registry.lookup("https://badges.college.example/issuers/7").vouched


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xfe\x00garbage",
        b'{"@context": "https://www.w3.org/ns/credentials/v2", "type": "VerifiableCredential"}',
        b"42",
        b"[1, 2]",
        b"[]",
        b'{"registry": ',
        b'{"a": 1, "a": 2}',
        b"",
        b"# only a comment\n",
        b"this is not a list of issuers\n",
        b"did:web:uni.example\nhttps://uni.example@evil.com/\n",
    ],
)
def test_garbage_is_refused_with_a_stable_code(tmp_path, content: bytes) -> None:
    path = tmp_path / "trust.json"
    path.write_bytes(content)
    with pytest.raises(TrustRegistryInvalid) as info:
        load_trust_registry(path)
    assert info.value.code == "TRUST_REGISTRY_INVALID"
    assert "trust.json" in info.value.message


def test_missing_file_is_refused(tmp_path) -> None:
    with pytest.raises(TrustRegistryInvalid):
        load_trust_registry(tmp_path / "nope.txt")


def test_bom_is_accepted(tmp_path) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes(b"\xef\xbb\xbfuni.example\n")
    assert load_trust_registry(path).lookup("did:web:uni.example").vouched


def test_as_registries_takes_registries_paths_and_lists() -> None:
    listed = AllowList(["uni.example"])
    assert as_registries(None) == ()
    assert as_registries(listed) == (listed,)
    both = as_registries([listed, DATA / "dcc-registry.json", str(DATA / "allow-list.txt")])
    assert [type(r) for r in both] == [AllowList, DccRegistry, AllowList]
    with pytest.raises(TrustRegistryInvalid):
        as_registries([42])
