"""The EDC ``displayParameter``: how a wallet shows the credential to a person.

The EDC profile requires, per display language, at least one page image. The
EC issuer renders a full diploma; we render a plain, readable summary card
(title, learner, issuer, date) so the credential is valid and shows something
true. Rendering is deterministic (same input, same PNG bytes).

The text is set in DejaVu Sans from the system's font package (Debian
``fonts-dejavu-core``, or ``fonts-noto-core``'s Noto Sans), which covers every
EU language: Irish "Bhaile Átha", Greek, Bulgarian Cyrillic, Maltese ħ ż,
Romanian ș ț. Pillow's built-in bitmap font covers ASCII only, and rendered
"Sonraí" as "Sonra□". No font file is shipped; a missing one is a clear error.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from microcred_vc.errors import FormatError
from microcred_vc.formats.edc.common import (
    BASE64,
    ENCODING_SCHEME,
    FILE_TYPE_SCHEME,
    PNG,
    NodeIds,
    concept,
    language_concept,
)
from microcred_vc.model import MicroCredential
from microcred_vc.model.types import primary_text

WIDTH, HEIGHT = 640, 360
FONT_SIZE = 16
#: A TrueType font to use instead of the system's DejaVu Sans / Noto Sans.
FONT_ENV = "MICROCRED_DISPLAY_FONT"
#: Where the font packages put their files (Debian/Ubuntu first, then other layouts).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",  # Debian fonts-dejavu-core
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",  # Debian fonts-noto-core
    "/usr/share/fonts/TTF/DejaVuSans.ttf",  # Arch ttf-dejavu
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",  # Fedora
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",  # Alpine font-dejavu
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/opt/homebrew/share/fonts/DejaVuSans.ttf",
)
_FONT_NAMES = ("DejaVuSans.ttf", "NotoSans-Regular.ttf")


@cache
def font_path() -> Path:
    """The display font file: ``$MICROCRED_DISPLAY_FONT``, a known package path, or fontconfig.

    Raises :class:`FormatError` (``DISPLAY_FONT_MISSING``) saying what to install,
    rather than falling back to a font that shows boxes for "í" or "ș".
    """
    configured = os.environ.get(FONT_ENV)
    if configured:
        if Path(configured).is_file():
            return Path(configured)
        raise FormatError(
            f"{FONT_ENV}={configured} is not a font file", code="DISPLAY_FONT_MISSING"
        )
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    found = _fontconfig()
    if found is not None:
        return found
    raise FormatError(
        "no font covering the EU languages was found for the EDC display image: install "
        "fonts-dejavu-core (Debian/Ubuntu; scripts/system-deps.sh does) or fonts-noto-core, "
        f"or set {FONT_ENV} to a TrueType file",
        code="DISPLAY_FONT_MISSING",
    )


def _fontconfig() -> Path | None:
    """Ask fontconfig where DejaVu Sans or Noto Sans is (only those: fc-match always answers)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    for family in ("DejaVu Sans", "Noto Sans"):
        try:
            out = subprocess.run(
                [fc_match, "-f", "%{file}", f"{family}:style=Book"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return None
        if out and Path(out).name in _FONT_NAMES and Path(out).is_file():
            return Path(out)
    return None


@cache
def display_font(size: int = FONT_SIZE) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path()), size)


def _wrap(text: str, width: int = 56) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines[:4]


def render_card(mc: MicroCredential, lang: str) -> bytes:
    """A PNG summary card of the credential in ``lang``."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = display_font()
    y = 24
    draw.rectangle((8, 8, WIDTH - 9, HEIGHT - 9), outline=(0, 51, 153), width=3)
    lines = [
        "Micro-credential",
        *_wrap(primary_text(mc.title, lang)),
        "",
        # a credential read as found may not name the learner: said, not made up
        f"Awarded to: {mc.learner.full_name if mc.learner and mc.learner.full_name else '(not named)'}",
        f"Issued by: {primary_text(mc.issuer.legal_name, lang)}",
        f"Date of issuing: {mc.issued_at.date().isoformat()}",
    ]
    for text in lines:
        draw.text((28, y), text, fill=(0, 0, 0), font=font)
        y += 22
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def display_languages(mc: MicroCredential) -> list[str]:
    """Languages the title is given in, the primary (first) one first."""
    return [lang for lang in mc.title or {} if language_concept(lang) is not None] or ["en"]


def display_parameter(mc: MicroCredential, ids: NodeIds) -> dict[str, Any]:
    langs = display_languages(mc)
    seen: dict[str, dict[str, Any]] = {}
    for lang in langs:
        lc = language_concept(lang)
        if lc is not None and lc["id"] not in seen:
            seen[lc["id"]] = lc
    displays = []
    for lang in langs:
        content = base64.b64encode(render_card(mc, lang)).decode("ascii")
        displays.append(
            {
                "id": ids("individualDisplay", lang),
                "type": "IndividualDisplay",
                "language": language_concept(lang),
                "displayDetail": [
                    {
                        "id": ids("displayDetail", lang, 1),
                        "type": "DisplayDetail",
                        "page": 1,
                        "image": {
                            "id": ids("mediaObject", "display", lang),
                            "type": "MediaObject",
                            "content": content,
                            "contentEncoding": concept(
                                BASE64["id"], BASE64["label"], ENCODING_SCHEME
                            ),
                            "contentType": concept(PNG["id"], PNG["label"], FILE_TYPE_SCHEME),
                        },
                    }
                ],
            }
        )
    return {
        "id": ids("displayParameter"),
        "type": "DisplayParameter",
        "title": dict(mc.title),
        "primaryLanguage": language_concept(langs[0]),
        "language": list(seen.values()),
        "individualDisplay": displays,
    }
