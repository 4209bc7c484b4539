"""Chunk-count and pixel caps on PNGs (issue #16 V5: 4 million empty chunks, 15 s, 679 MiB).

Oracles: the caps stated in microcred_vc.bake.png (10,000 chunks, 100 megapixels)
and the PNG specification's chunk layout (length, type, data, CRC-32), built
here with struct and zlib; Pillow confirms the images under the caps are real.
Memory is a property: reading a refused file allocates a bounded amount,
independent of how many chunks follow the cap.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zlib

import pytest
from PIL import Image

from microcred_vc import verify
from microcred_vc.bake import bake_png, unbake
from microcred_vc.bake import png as png_mod
from microcred_vc.errors import BakeError, ImageLimitExceeded, UnbakeError


def _chunk(kind: bytes, data: bytes = b"") -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _split(plain_png: bytes, extra: int) -> bytes:
    """``plain_png`` with ``extra`` empty private chunks (prVt) before IEND."""
    body, iend = plain_png[:-12], plain_png[-12:]
    return body + _chunk(b"prVt") * extra + iend


def test_four_million_empty_chunks_are_refused_fast(plain_png: bytes) -> None:
    image = _split(plain_png, 4_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(ImageLimitExceeded) as info:
            unbake(image)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.details["limit"] == png_mod.MAX_CHUNKS
    assert isinstance(info.value, UnbakeError)
    assert peak < 16 * 2**20, f"{peak / 2**20:.0f} MiB allocated for a refused PNG"


def test_chunk_cap_applies_to_baking_too(plain_png: bytes) -> None:
    with pytest.raises(BakeError) as info:
        bake_png(_split(plain_png, png_mod.MAX_CHUNKS), {"@context": [], "type": ["x"]})
    assert info.value.code == "IMAGE_LIMIT_EXCEEDED"


def test_just_under_the_cap_is_read(plain_png: bytes) -> None:
    base = len(png_mod.read_chunks(plain_png))
    image = _split(plain_png, png_mod.MAX_CHUNKS - base)
    assert len(png_mod.read_chunks(image)) == png_mod.MAX_CHUNKS
    Image.open(io.BytesIO(image)).verify()  # still a real PNG


def _sized(plain_png: bytes, width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return plain_png[:8] + _chunk(b"IHDR", ihdr) + plain_png[33:]


def test_pixel_cap(plain_png: bytes) -> None:
    with pytest.raises(ImageLimitExceeded) as info:
        png_mod.read_chunks(_sized(plain_png, 100_000, 100_000))
    assert info.value.details["limit"] == png_mod.MAX_PIXELS
    # a 10,000 x 10,000 header is at the cap and still read (its data is not decoded)
    assert png_mod.read_chunks(_sized(plain_png, 10_000, 10_000))[0].type == b"IHDR"


def test_verify_reports_the_cap(plain_png: bytes) -> None:
    report = verify(_split(plain_png, 20_000))
    assert not report.verified
    assert any(c.code == "IMAGE_LIMIT_EXCEEDED" for c in report.checks)
