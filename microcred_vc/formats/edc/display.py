"""The EDC ``displayParameter``: how a wallet shows the credential to a person.

The EDC profile requires, per display language, at least one page image. The
EC issuer renders a full diploma; we render a plain, readable summary card
(title, learner, issuer, date) so the credential is valid and shows something
true. Rendering is deterministic (same input, same PNG bytes).
"""

from __future__ import annotations

import base64
import io
from typing import Any

from PIL import Image, ImageDraw, ImageFont

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
    font = ImageFont.load_default()
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
