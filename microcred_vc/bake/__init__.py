"""Baked badges: a credential carried inside its own PNG or SVG image.

Open Badges 3.0 bakes into an iTXt chunk ``openbadgecredential`` (PNG) or an
``openbadges:credential`` element (SVG); Open Badges 2.0 used ``openbadges``
and ``openbadges:assertion``. Baking replaces any badge already present, so a
re-issued image never carries two credentials; unbaking refuses images that
do, because a verifier could not know which one the learner meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from microcred_vc.bake import png as _png
from microcred_vc.bake.payload import (
    KEYWORDS,
    OB2_KEYWORD,
    OB2_NAMESPACE,
    OB3_KEYWORD,
    OB3_NAMESPACE,
    Version,
    check_version,
    prepare,
    read_back,
)
from microcred_vc.bake.svg import bake_svg_text, unbake_svg_badge
from microcred_vc.errors import UnbakeError

ImageType = Literal["png", "svg"]

__all__ = [
    "OB2_KEYWORD",
    "OB2_NAMESPACE",
    "OB3_KEYWORD",
    "OB3_NAMESPACE",
    "BakedBadge",
    "bake_png",
    "bake_svg",
    "detect_image_type",
    "read_badge",
    "unbake",
]


@dataclass(frozen=True)
class BakedBadge:
    """What an image carries: the payload and where it was found."""

    payload: str | dict[str, Any]
    version: Version
    image_type: ImageType


def bake_png(image_bytes: bytes, payload: Any, *, version: str = "ob3") -> bytes:
    """Return a copy of the PNG carrying ``payload`` (dict, JSON text or JWT;
    for OB 2.0 also a hosted-assertion URL) in one uncompressed iTXt chunk.
    A corrupt PNG (signature, CRC, truncation, no IHDR/IDAT/IEND) raises
    :class:`~microcred_vc.errors.BakeError` and nothing is produced."""
    ver = check_version(version)
    chunks = _png.read_chunks(image_bytes)
    _, text = prepare(payload, ver)
    keyword = OB3_KEYWORD if ver == "ob3" else OB2_KEYWORD
    kept = [c for c in chunks if _png.text_chunk_keyword(c) not in KEYWORDS]
    # Right after IHDR: readers that stop at the first IDAT still find it.
    return _png.write_png([kept[0], _png.itxt_chunk(keyword, text), *kept[1:]])


def bake_svg(svg: bytes | str, payload: Any, *, version: str = "ob3") -> bytes:
    """Return the SVG (UTF-8 bytes) with one badge element just inside ``<svg>``:
    a JWT (or OB 2.0 URL) in its ``verify`` attribute, JSON in a CDATA body."""
    ver = check_version(version)
    kind, text = prepare(payload, ver)
    payload_id = None
    if kind == "json" and ver == "ob2" and isinstance(payload, dict):
        value = payload.get("id")
        payload_id = value if isinstance(value, str) and value.startswith("http") else None
    return bake_svg_text(svg, kind, text, ver, payload_id=payload_id)


def detect_image_type(image: bytes | str) -> ImageType:
    if isinstance(image, bytes | bytearray) and bytes(image[:8]) == _png.PNG_SIGNATURE:
        return "png"
    head = image[:4096]
    if isinstance(head, bytes | bytearray):
        head = bytes(head).decode("utf-8", errors="ignore")
    # Any XML goes to the SVG reader, which checks that the root is <svg>.
    if isinstance(head, str) and head.lstrip("\ufeff \t\r\n").startswith("<"):
        return "svg"
    raise UnbakeError("the image is neither a PNG nor an SVG")


def _read_png(image: bytes) -> BakedBadge:
    chunks = _png.read_chunks(image, error=UnbakeError)
    badges = [c for c in chunks if _png.text_chunk_keyword(c) in KEYWORDS]
    if not badges:
        raise UnbakeError(
            "the PNG holds no badge: no iTXt chunk 'openbadgecredential' or 'openbadges'"
        )
    if len(badges) > 1:
        names = ", ".join(sorted({str(_png.text_chunk_keyword(c)) for c in badges}))
        raise UnbakeError(
            f"the PNG holds {len(badges)} badge chunks ({names}); exactly one is allowed",
            count=len(badges),
        )
    chunk = badges[0]
    keyword = str(_png.text_chunk_keyword(chunk))
    text = _png.chunk_text(chunk)
    payload = read_back(text, where=f"the PNG's {keyword} chunk")
    return BakedBadge(payload, KEYWORDS[keyword], "png")


def read_badge(image: bytes | str) -> BakedBadge:
    """The badge baked into a PNG or SVG, with its version and image type."""
    if detect_image_type(image) == "png":
        return _read_png(bytes(image))  # type: ignore[arg-type]
    version, payload = unbake_svg_badge(image)
    return BakedBadge(payload, version, "svg")


def unbake(image_bytes: bytes | str) -> str | dict[str, Any]:
    """The payload baked into a PNG or SVG: a dict for JSON, a str for a JWT
    or an OB 2.0 hosted URL. Raises :class:`~microcred_vc.errors.UnbakeError`
    for no badge, several badges, an oversized chunk or a corrupt image."""
    return read_badge(image_bytes).payload
