"""Baking into PNG: one iTXt chunk carrying the badge (OB 3.0 §5.3, OB 2.0 baking).

We read and write chunks ourselves (struct + zlib): the format is tiny, and
doing it here lets us refuse every corruption explicitly — bad signature, bad
CRC, truncation, missing IHDR/IEND, oversized lengths — instead of relying on
a decoder that may silently repair. Pillow is used by the tests, not here, to
confirm that what we write still opens as an image.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from microcred_vc.bake.payload import MAX_BADGE_BYTES
from microcred_vc.errors import BakeError, ImageLimitExceeded, UnbakeError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Largest image accepted at all; a badge is an icon, not a photograph archive.
MAX_IMAGE_BYTES = 50_000_000
_MAX_CHUNK_LENGTH = 2**31 - 1  # PNG spec limit on a chunk's length field
#: Most chunks read: a badge has a few (IHDR, some IDAT, text, IEND); an
#: encoder splitting 50 MB of image data into 64 KB IDATs needs under 1,000.
MAX_CHUNKS = 10_000
#: Largest IHDR width x height: 100 megapixels (a badge is an icon). Nothing
#: here decodes pixels, but whoever displays the badge will.
MAX_PIXELS = 100_000_000
_TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")


@dataclass(frozen=True)
class Chunk:
    type: bytes
    data: bytes

    def encode(self) -> bytes:
        crc = zlib.crc32(self.type + self.data) & 0xFFFFFFFF
        return struct.pack(">I", len(self.data)) + self.type + self.data + struct.pack(">I", crc)


def read_chunks(image: bytes, *, error: type[BakeError] = BakeError) -> list[Chunk]:
    """Every chunk of a well-formed PNG, or ``error`` naming what is wrong.

    The chunk count and the IHDR pixel count are checked while reading, so a
    file of millions of empty chunks is refused after :data:`MAX_CHUNKS` of
    them, before any more are copied (issue #16 V5: 4 million took 15 s, 679 MiB).
    """
    if not isinstance(image, bytes | bytearray | memoryview):
        raise error(f"a PNG must be bytes, got {type(image).__name__}")
    image = bytes(image)
    if len(image) > MAX_IMAGE_BYTES:
        raise error(f"image is larger than {MAX_IMAGE_BYTES} bytes", limit=MAX_IMAGE_BYTES)
    if not image.startswith(PNG_SIGNATURE):
        raise error("not a PNG: the 8-byte PNG signature is missing or damaged")
    chunks: list[Chunk] = []
    pos = len(PNG_SIGNATURE)
    while pos < len(image):
        if len(chunks) >= MAX_CHUNKS:
            raise ImageLimitExceeded(
                f"PNG has more than {MAX_CHUNKS} chunks; a badge image needs a handful",
                limit=MAX_CHUNKS,
            )
        chunk, pos = _next_chunk(image, pos, error)
        if not chunks:
            _check_header(chunk, error)
        chunks.append(chunk)
        if chunk.type == b"IEND":
            break
    if not chunks or chunks[0].type != b"IHDR":
        raise error("PNG does not start with a valid IHDR chunk")
    if chunks[-1].type != b"IEND":
        raise error("PNG is truncated: no IEND chunk")
    if pos != len(image):
        raise error(f"PNG has {len(image) - pos} bytes of data after IEND")
    if not any(c.type == b"IDAT" for c in chunks):
        raise error("PNG has no image data (IDAT)")
    return chunks


def _next_chunk(image: bytes, pos: int, error: type[BakeError]) -> tuple[Chunk, int]:
    """The chunk starting at ``pos`` (length, type and CRC checked) and where the next starts."""
    if pos + 8 > len(image):
        raise error(f"PNG is truncated inside a chunk header at byte {pos}")
    (length,) = struct.unpack_from(">I", image, pos)
    ctype = image[pos + 4 : pos + 8]
    if length > _MAX_CHUNK_LENGTH:
        raise error(f"PNG chunk at byte {pos} declares an invalid length {length}")
    if not ctype.isalpha() or not ctype.isascii():
        raise error(f"PNG chunk at byte {pos} has an invalid type {ctype!r}")
    end = pos + 12 + length
    if end > len(image):
        raise error(
            f"PNG is truncated: chunk {ctype.decode()} at byte {pos} needs {length} "
            f"bytes, only {len(image) - pos - 12} remain"
        )
    data = image[pos + 8 : pos + 8 + length]
    (crc,) = struct.unpack_from(">I", image, end - 4)
    if zlib.crc32(ctype + data) & 0xFFFFFFFF != crc:
        raise error(f"PNG chunk {ctype.decode()} at byte {pos} has a bad CRC (corrupt image)")
    return Chunk(ctype, data), end


def _check_header(chunk: Chunk, error: type[BakeError]) -> None:
    """The first chunk is a 13-byte IHDR whose width x height is within the pixel cap."""
    if chunk.type != b"IHDR" or len(chunk.data) != 13:
        raise error("PNG does not start with a valid IHDR chunk")
    width, height = struct.unpack_from(">II", chunk.data)
    if width * height > MAX_PIXELS:
        raise ImageLimitExceeded(
            f"PNG is {width}x{height} pixels, more than the {MAX_PIXELS} pixel limit",
            limit=MAX_PIXELS,
        )


def itxt_chunk(keyword: str, text: str) -> Chunk:
    """Uncompressed iTXt: keyword, NUL, flag 0, method 0, empty language and
    translated keyword, then the UTF-8 text (OB 3.0 §5.3.1)."""
    data = keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + text.encode("utf-8")
    return Chunk(b"iTXt", data)


def text_chunk_keyword(chunk: Chunk) -> str | None:
    if chunk.type not in _TEXT_CHUNKS:
        return None
    keyword, sep, _ = chunk.data.partition(b"\x00")
    return keyword.decode("latin-1") if sep else None


def _inflate(data: bytes) -> bytes:
    """Decompress a text chunk with a cap, so a tiny zlib bomb cannot blow up memory."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_BADGE_BYTES + 1)
    except zlib.error as exc:
        raise UnbakeError(f"compressed badge text is corrupt: {exc}") from exc
    if len(out) > MAX_BADGE_BYTES or inflater.unconsumed_tail:
        raise UnbakeError(
            f"badge text is larger than {MAX_BADGE_BYTES} bytes once decompressed",
            limit=MAX_BADGE_BYTES,
        )
    return out


def chunk_text(chunk: Chunk) -> str:
    """The text of an iTXt / tEXt / zTXt chunk (size-capped, UTF-8 or Latin-1)."""
    if len(chunk.data) > MAX_BADGE_BYTES + 1024:
        raise UnbakeError(
            f"badge chunk is {len(chunk.data)} bytes, more than the {MAX_BADGE_BYTES} byte limit",
            limit=MAX_BADGE_BYTES,
        )
    _, _, rest = chunk.data.partition(b"\x00")
    try:
        if chunk.type == b"tEXt":
            return rest.decode("latin-1")
        if chunk.type == b"zTXt":
            return _inflate(rest[1:]).decode("latin-1")
        if len(rest) < 2:
            raise UnbakeError("iTXt badge chunk is truncated")
        flag, method = rest[0], rest[1]
        _lang, _, rest = rest[2:].partition(b"\x00")
        _translated, _, text = rest.partition(b"\x00")
        if flag == 1:
            if method != 0:
                raise UnbakeError(f"iTXt badge chunk uses unknown compression method {method}")
            text = _inflate(text)
        elif flag != 0:
            raise UnbakeError(f"iTXt badge chunk has an invalid compression flag {flag}")
        return text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnbakeError(f"badge text is not valid UTF-8: {exc}") from exc


def write_png(chunks: list[Chunk]) -> bytes:
    return PNG_SIGNATURE + b"".join(c.encode() for c in chunks)
