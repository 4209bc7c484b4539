"""Small images made on the fly (never copied fixtures) for the baking tests."""

from __future__ import annotations

import io

import pytest
from PIL import Image


@pytest.fixture(scope="session")
def plain_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (24, 20), (200, 30, 40, 255)).save(buf, format="PNG")
    return buf.getvalue()


SVG = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    "<!-- issuer artwork -->\n"
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" data-x="a>b">'
    '<circle cx="5" cy="5" r="4"/></svg>\n'
)


@pytest.fixture(scope="session")
def plain_svg() -> bytes:
    return SVG.encode()
