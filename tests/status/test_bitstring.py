"""Bitstring Status List encoding against the official examples, plus round trips."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc.errors import StatusListInvalid, StatusListTooLarge
from microcred_vc.status import (
    MIN_ENTRIES,
    Bitstring,
    build_list_credential,
    decode_bits,
    encode_bits,
    make_entry,
    parse_entry,
    parse_list_credential,
)
from tests.fixture_paths import FIXTURES

STATUS = FIXTURES / "status"

# Status list credentials and the indexes their bitstrings set. The spec's
# example list is all zeros; the 1EdTech validator's list revokes index 23,
# the index its credential-status-revoked*.json credentials point at.
LISTS = {
    "spec-examples/bsl-002-example-bitstringstatuslistcredential.json": [],
    "spec-examples/bsl-004-a-status-list-verifiable-credential.json": [],
    "1edtech-validator/testlist": [23],
}

# Credentials and the (purpose, index, list URL) of each status entry.
ENTRIES = {
    "spec-examples/bsl-000-example-statuslistcredential-using-simple-entries.json": [
        ("revocation", 94567, "https://example.com/credentials/status/3"),
        ("suspension", 23452, "https://example.com/credentials/status/4"),
    ],
    "spec-examples/bsl-003-a-revocable-verifiable-credential.json": [
        ("revocation", 94567, "https://example.com/credentials/status/3"),
    ],
    "1edtech-validator/credential-status-revoked.json": [
        (
            "revocation",
            23,
            "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-"
            "validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist",
        ),
    ],
    "1edtech-validator/credential-status-revoked-blank-nodes.json": [
        (
            "revocation",
            23,
            "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-"
            "validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist",
        ),
    ],
}


def load(relative: str) -> dict:
    return json.loads((STATUS / relative).read_text(encoding="utf-8"))


@pytest.mark.parametrize("relative", sorted(LISTS), ids=lambda r: Path(r).name)
def test_official_lists_decode_to_expected_bits(relative: str) -> None:
    subject = parse_list_credential(load(relative))
    assert subject.purposes == ("revocation",)
    bits = subject.bitstring()
    assert bits.entries == MIN_ENTRIES
    assert bits.nonzero() == LISTS[relative]
    for index in LISTS[relative]:
        assert bits.get(index) == 1
        assert bits.get(index - 1) == 0 and bits.get(index + 1) == 0


@pytest.mark.parametrize("relative", sorted(ENTRIES), ids=lambda r: Path(r).name)
def test_official_entries_parse(relative: str) -> None:
    doc = load(relative)
    raw = doc["credentialStatus"]
    parsed = [parse_entry(e) for e in (raw if isinstance(raw, list) else [raw])]
    assert [(e.purpose, e.index, e.list_url) for e in parsed] == ENTRIES[relative]
    assert all(e.type == "BitstringStatusListEntry" and e.status_size == 1 for e in parsed)


def test_1edtech_revocation_list_type_is_not_a_bitstring_entry() -> None:
    doc = load("1edtech-validator/credential-status-revoked-ob30.json")
    with pytest.raises(StatusListInvalid, match="1EdTechRevocationList"):
        parse_entry(doc["credentialStatus"])


def test_spec_example_list_reencodes_to_same_bits() -> None:
    original = parse_list_credential(load(sorted(LISTS)[0])).bitstring()
    again = Bitstring.decode(original.encode())
    assert again.to_bytes() == original.to_bytes()


@given(
    status_size=st.integers(1, 4),
    values=st.dictionaries(st.integers(0, MIN_ENTRIES - 1), st.integers(1, 15), max_size=40),
)
def test_encode_decode_round_trip(status_size: int, values: dict[int, int]) -> None:
    values = {i: v % (1 << status_size) or 1 for i, v in values.items()}
    bits = Bitstring.from_values(values, status_size=status_size)
    encoded = bits.encode()
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded
    decoded = Bitstring.decode(encoded, status_size=status_size)
    assert decoded.entries == MIN_ENTRIES
    assert decoded.to_bytes() == bits.to_bytes()
    assert {i: decoded.get(i) for i in decoded.nonzero()} == values


@given(st.binary(min_size=1, max_size=2048))
def test_bytes_round_trip_and_determinism(data: bytes) -> None:
    assert decode_bits(encode_bits(data)) == data
    assert encode_bits(data) == encode_bits(data)


@given(index=st.integers(0, MIN_ENTRIES - 1), flip=st.integers(0, MIN_ENTRIES - 1))
def test_setting_one_bit_changes_only_that_bit(index: int, flip: int) -> None:
    bits = Bitstring.from_values([index])
    assert bits.nonzero() == [index]
    bits.set(flip, 1 - bits.get(flip))
    assert bits.nonzero() == sorted({index} ^ {flip})


def test_bit_order_is_most_significant_first() -> None:
    bits = Bitstring(16)
    bits.set(0, 1)
    bits.set(9, 1)
    assert bits.to_bytes() == b"\x80\x40"
    wide = Bitstring(8, status_size=2)
    wide.set(1, 0b10)
    assert wide.to_bytes() == b"\x20\x00"
    assert wide.get(1) == 2


def test_statuslist2021_plain_base64_is_read() -> None:
    compressed = gzip.compress(Bitstring.from_values([7]).to_bytes())
    plain = base64.b64encode(compressed).decode()  # StatusList2021: no multibase prefix
    assert Bitstring.decode(plain).nonzero() == [7]


def test_zip_bomb_is_refused() -> None:
    bomb = encode_bits(bytes(64 * 1024 * 1024))  # 64 MiB of zeros: ~64 KiB on the wire
    assert len(bomb) < 100_000
    with pytest.raises(StatusListTooLarge) as caught:
        decode_bits(bomb)
    assert caught.value.code == "STATUS_LIST_TOO_LARGE"
    with pytest.raises(StatusListTooLarge):
        decode_bits(encode_bits(bytes(2048)), max_bytes=1024)


@pytest.mark.parametrize(
    "encoded",
    ["", "u", "u!!!!", "uAAAA", "not-gzip", encode_bits(bytes(100))[:-10]],
    ids=["empty", "prefix-only", "not-base64", "not-gzip", "plain-text", "truncated"],
)
def test_malformed_lists_raise_typed_errors(encoded: str) -> None:
    with pytest.raises(StatusListInvalid):
        decode_bits(encoded)


def test_short_list_is_refused_by_the_minimum_length_rule() -> None:
    doc = build_list_credential(
        "https://x.test/s/1", "did:ex:1", Bitstring(MIN_ENTRIES), "revocation"
    )
    doc["credentialSubject"]["encodedList"] = Bitstring(1024).encode()
    with pytest.raises(StatusListInvalid) as caught:
        parse_list_credential(doc).bitstring()
    assert caught.value.code == "STATUS_LIST_LENGTH_ERROR"


def test_index_outside_the_list_is_a_range_error() -> None:
    with pytest.raises(StatusListInvalid) as caught:
        Bitstring(MIN_ENTRIES).get(MIN_ENTRIES)
    assert caught.value.code == "STATUS_RANGE_ERROR"
    with pytest.raises(StatusListInvalid):
        Bitstring(8).set(0, 2)


def test_entry_round_trip_with_messages() -> None:
    messages = [{"status": "0x0", "message": "valid"}, {"status": "0x1", "message": "pending"}]
    from microcred_vc.status.bitstring import parse_messages

    entry = make_entry(
        "https://x.test/s/m", 42, "message", status_size=2, messages=parse_messages(messages)
    )
    assert entry["statusListIndex"] == "42" and entry["id"] == "https://x.test/s/m#42"
    assert entry["statusSize"] == 2
    assert entry["statusMessage"] == messages
    parsed = parse_entry(entry)
    assert parsed.message_for(1) == "pending" and parsed.status_size == 2


@pytest.mark.parametrize(
    "change",
    [
        {"statusListIndex": "-1"},
        {"statusListIndex": "12a"},
        {"statusListIndex": True},
        {"statusPurpose": None},
        {"statusListCredential": ""},
        {"statusSize": 0},
        {"statusMessage": [{"status": "zz", "message": "x"}]},
    ],
    ids=["negative", "not-digits", "bool", "no-purpose", "no-url", "size-0", "bad-hex"],
)
def test_malformed_entries_raise_typed_errors(change: dict) -> None:
    entry = make_entry("https://x.test/s/1", 5, "revocation") | change
    with pytest.raises(StatusListInvalid):
        parse_entry(entry)


def test_built_list_credential_shape() -> None:
    doc = build_list_credential(
        "https://x.test/s/1",
        "did:ex:1",
        Bitstring.from_values([3]),
        "suspension",
        valid_from="2026-01-01T00:00:00Z",
        valid_until="2026-02-01T00:00:00Z",
        ttl=300000,
    )
    assert doc["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    subject = doc["credentialSubject"]
    assert subject["id"] == "https://x.test/s/1#list" and subject["type"] == "BitstringStatusList"
    assert subject["ttl"] == 300000
    assert parse_list_credential(doc).bitstring().nonzero() == [3]
    with pytest.raises(StatusListInvalid):
        build_list_credential("https://x.test/s/1", "did:ex:1", Bitstring(1024), "revocation")
    with pytest.raises(StatusListInvalid):
        build_list_credential("https://x.test/s/1", "did:ex:1", Bitstring(), "bogus")
