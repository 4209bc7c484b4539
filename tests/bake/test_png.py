"""PNG baking: round trips, replacement, corruption and hostile chunks."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from microcred_vc.bake import bake_png, read_badge, unbake
from microcred_vc.bake import png as png_mod
from microcred_vc.errors import BakeError, UnbakeError
from microcred_vc.jose import sign_jwt
from microcred_vc.keys.keypair import generate_key

JWT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
credentials = st.dictionaries(st.text(max_size=12), json_values, max_size=6)
jwts = st.tuples(
    st.dictionaries(st.sampled_from(["typ", "kid", "cty"]), st.text(max_size=20), max_size=3),
    st.text(alphabet=JWT_CHARS, min_size=1, max_size=60),
    st.text(alphabet=JWT_CHARS, max_size=86),
).map(lambda t: _jwt(*t))


def _jwt(header: dict, payload: str, sig: str) -> str:
    import base64
    import json

    head = base64.urlsafe_b64encode(json.dumps({"alg": "EdDSA", **header}).encode()).rstrip(b"=")
    # Keep the segments canonical base64url (decodable with no spare bits set).
    pay = base64.urlsafe_b64encode(payload.encode()).rstrip(b"=").decode()
    tail = base64.urlsafe_b64encode(sig.encode()).rstrip(b"=").decode()
    return f"{head.decode()}.{pay}.{tail}"


def _opens(image: bytes) -> None:
    Image.open(io.BytesIO(image)).verify()
    with Image.open(io.BytesIO(image)) as im:
        im.load()


def _chunks(image: bytes) -> list[png_mod.Chunk]:
    return png_mod.read_chunks(image)


@given(cred=credentials, version=st.sampled_from(["ob3", "ob2"]))
def test_round_trip_random_credentials(plain_png: bytes, cred: dict, version: str) -> None:
    baked = bake_png(plain_png, cred, version=version)
    badge = read_badge(baked)
    assert badge.payload == cred
    assert badge.version == version
    _opens(baked)


@given(token=jwts)
def test_round_trip_jwt_strings(plain_png: bytes, token: str) -> None:
    baked = bake_png(plain_png, token)
    assert unbake(baked) == token
    _opens(baked)


def test_real_signed_jwt_round_trip(plain_png: bytes) -> None:
    key = generate_key("Ed25519")
    token = sign_jwt(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": key.did,
        },
        key,
    )
    assert unbake(bake_png(plain_png, token)) == token


def test_chunk_layout(plain_png: bytes) -> None:
    baked = bake_png(plain_png, {"id": "urn:x"})
    chunks = _chunks(baked)
    assert [c.type for c in chunks[:2]] == [b"IHDR", b"iTXt"]
    assert chunks[1].data.startswith(b"openbadgecredential\x00\x00\x00\x00\x00{")
    # Everything else of the original image is kept byte for byte.
    assert [c for c in chunks if c.type != b"iTXt"] == _chunks(plain_png)


def test_rebake_replaces_existing_badge(plain_png: bytes) -> None:
    first = bake_png(plain_png, {"n": 1}, version="ob2")
    second = bake_png(first, {"n": 2})
    badges = [c for c in _chunks(second) if png_mod.text_chunk_keyword(c)]
    assert len(badges) == 1
    assert read_badge(second).payload == {"n": 2}
    assert read_badge(second).version == "ob3"
    assert bake_png(second, {"n": 2}) == second  # idempotent


def test_ob2_hosted_url(plain_png: bytes) -> None:
    url = "https://example.org/assertions/1.json"
    assert unbake(bake_png(plain_png, url, version="ob2")) == url
    with pytest.raises(BakeError, match="a JWT or a JSON object$"):
        bake_png(plain_png, url, version="ob3")


@pytest.mark.parametrize(
    "payload",
    ["plain text", "[1, 2]", "{not json", 42, b"\xff\xfe", ""],
    ids=["text", "json-array", "bad-json", "int", "bad-bytes", "empty"],
)
def test_bad_payload_refused(plain_png: bytes, payload) -> None:
    with pytest.raises(BakeError):
        bake_png(plain_png, payload)


def test_unknown_version_refused(plain_png: bytes) -> None:
    with pytest.raises(BakeError, match="unknown badge version"):
        bake_png(plain_png, {"a": 1}, version="ob4")


def _corrupt_crc(image: bytes) -> bytes:
    # Flip a byte inside IHDR's data: its CRC no longer matches.
    raw = bytearray(image)
    raw[16] ^= 0xFF
    return bytes(raw)


CORRUPTIONS = {
    "bad-signature": (lambda b: b"\x88" + b[1:], "signature"),
    "bad-crc": (_corrupt_crc, "bad CRC"),
    "truncated": (lambda b: b[: len(b) // 2], "truncated"),
    "no-iend": (lambda b: b[:-12], "no IEND"),
    "trailing-data": (lambda b: b + b"junk", "after IEND"),
    "not-a-png": (lambda b: b"GIF89a" + b[6:], "signature"),
    "no-idat": (
        lambda b: png_mod.write_png([c for c in png_mod.read_chunks(b) if c.type != b"IDAT"]),
        "no image data",
    ),
    "header-only": (lambda b: b[:8], "IHDR"),
}


@pytest.mark.parametrize("name", sorted(CORRUPTIONS), ids=sorted(CORRUPTIONS))
def test_refuses_to_bake_into_corrupt_png(plain_png: bytes, name: str) -> None:
    damage, reason = CORRUPTIONS[name]
    with pytest.raises(BakeError, match=reason):
        bake_png(damage(plain_png), {"id": "urn:x"})


@pytest.mark.parametrize("name", sorted(CORRUPTIONS), ids=sorted(CORRUPTIONS))
def test_unbake_corrupt_png_is_unbake_error(plain_png: bytes, name: str) -> None:
    damage, _ = CORRUPTIONS[name]
    baked = bake_png(plain_png, {"id": "urn:x"})
    with pytest.raises(UnbakeError):
        unbake(damage(baked))


def _with_chunks(base: bytes, *extra: png_mod.Chunk) -> bytes:
    chunks = png_mod.read_chunks(base)
    return png_mod.write_png([chunks[0], *extra, *chunks[1:]])


def test_several_badge_chunks_refused(plain_png: bytes) -> None:
    image = _with_chunks(
        plain_png,
        png_mod.itxt_chunk("openbadgecredential", '{"n": 1}'),
        png_mod.itxt_chunk("openbadgecredential", '{"n": 2}'),
    )
    with pytest.raises(UnbakeError, match="2 badge chunks"):
        unbake(image)


def test_mixed_version_chunks_refused(plain_png: bytes) -> None:
    image = _with_chunks(
        plain_png,
        png_mod.itxt_chunk("openbadges", '{"n": 1}'),
        png_mod.itxt_chunk("openbadgecredential", '{"n": 2}'),
    )
    with pytest.raises(UnbakeError, match="openbadgecredential, openbadges"):
        unbake(image)


def test_huge_chunk_refused(plain_png: bytes) -> None:
    big = '{"x": "' + "a" * (png_mod.MAX_BADGE_BYTES + 10) + '"}'
    image = _with_chunks(plain_png, png_mod.itxt_chunk("openbadgecredential", big))
    with pytest.raises(UnbakeError, match="limit"):
        unbake(image)


def test_compressed_itxt_and_zlib_bomb(plain_png: bytes) -> None:
    def compressed(text: bytes) -> png_mod.Chunk:
        return png_mod.Chunk(
            b"iTXt", b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(text)
        )

    assert unbake(_with_chunks(plain_png, compressed(b'{"ok": true}'))) == {"ok": True}
    bomb = compressed(b"{" + b" " * (png_mod.MAX_BADGE_BYTES * 4) + b"}")
    assert len(bomb.data) < 20_000
    with pytest.raises(UnbakeError, match="decompressed"):
        unbake(_with_chunks(plain_png, bomb))


def test_legacy_text_chunk_read(plain_png: bytes) -> None:
    image = _with_chunks(
        plain_png, png_mod.Chunk(b"tEXt", b"openbadges\x00https://example.org/a.json")
    )
    badge = read_badge(image)
    assert (badge.payload, badge.version) == ("https://example.org/a.json", "ob2")


def test_no_badge_and_unusable_badge(plain_png: bytes) -> None:
    with pytest.raises(UnbakeError, match="holds no badge"):
        unbake(plain_png)
    junk = _with_chunks(plain_png, png_mod.itxt_chunk("openbadgecredential", "hello"))
    with pytest.raises(UnbakeError, match="neither JSON"):
        unbake(junk)
    empty = _with_chunks(plain_png, png_mod.itxt_chunk("openbadgecredential", " "))
    with pytest.raises(UnbakeError, match="empty"):
        unbake(empty)


def test_declared_length_beyond_file(plain_png: bytes) -> None:
    raw = bytearray(plain_png)
    struct.pack_into(">I", raw, 8, 0x7FFFFFF0)  # IHDR length
    with pytest.raises(BakeError, match="truncated"):
        bake_png(bytes(raw), {"a": 1})


def test_unbake_refuses_neither_png_nor_svg() -> None:
    with pytest.raises(UnbakeError, match="neither a PNG nor an SVG"):
        unbake(b"GIF89a....")


def test_oversized_payload_not_baked(plain_png: bytes) -> None:
    with pytest.raises(BakeError, match="at most"):
        bake_png(plain_png, {"x": "a" * png_mod.MAX_BADGE_BYTES})
