"""Baking into SVG: an ``openbadges:credential`` (OB 3.0) or
``openbadges:assertion`` (OB 2.0) element just inside the root ``<svg>``.

The SVG is edited as text, not re-serialised from a tree: an ElementTree round
trip renames namespace prefixes, drops the DOCTYPE and comments, and would turn
the issuer's artwork into something else. defusedxml parses first (so entity
bombs and external entities are refused before we touch anything), then expat
gives the byte offsets of the root tag and of any old badge element.
"""

from __future__ import annotations

import xml.parsers.expat
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from microcred_vc.bake.payload import (
    OB2_NAMESPACE,
    OB3_NAMESPACE,
    Kind,
    Version,
    read_back,
)
from microcred_vc.errors import BakeError, UnbakeError
from microcred_vc.jose.compact import is_jwt

#: Largest SVG accepted (bytes).
MAX_SVG_BYTES = 20_000_000
#: (namespace, local name) of the badge element for each version.
BADGE_ELEMENTS: dict[Version, tuple[str, str]] = {
    "ob3": (OB3_NAMESPACE, "credential"),
    "ob2": (OB2_NAMESPACE, "assertion"),
}
_BADGE_TAGS = {f"{{{ns}}}{local}": version for version, (ns, local) in BADGE_ELEMENTS.items()}
_SEP = " "


def _as_bytes(svg: bytes | bytearray | str, error: type[BakeError]) -> bytes:
    if isinstance(svg, str):
        svg = svg.encode("utf-8")
    if not isinstance(svg, bytes | bytearray):
        raise error(f"an SVG must be bytes or str, got {type(svg).__name__}")
    data = bytes(svg)
    if len(data) > MAX_SVG_BYTES:
        raise error(f"SVG is larger than {MAX_SVG_BYTES} bytes", limit=MAX_SVG_BYTES)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error("UTF-16 SVG files are not supported; save the SVG as UTF-8")
    return data


def safe_parse(data: bytes, error: type[BakeError]) -> Element:
    """Parse with defusedxml: DTD declarations of entities and external
    references are refused, so a billion-laughs SVG never expands."""
    try:
        root = safe_et.fromstring(data)
    except DefusedXmlException as exc:
        raise error(f"SVG refused for safety: {exc}") from exc
    except (ParseError, ValueError) as exc:
        raise error(f"not well-formed XML: {exc}") from exc
    if root.tag != "{http://www.w3.org/2000/svg}svg" and root.tag != "svg":
        raise error(f"not an SVG: the root element is {root.tag!r}")
    return root


@dataclass
class _Layout:
    root_start: int = -1
    root_qname: str = ""
    root_ns: dict[str, str] = field(default_factory=dict)
    badges: list[tuple[int, int]] = field(default_factory=list)


def _start_tag_end(data: bytes, start: int) -> tuple[int, bool]:
    """Offset just past the start tag beginning at ``start``, and whether it is
    an empty-element tag. Quotes are honoured, since ``>`` is legal in values."""
    pos = start + 1
    quote: int | None = None
    while pos < len(data):
        ch = data[pos]
        if quote is not None:
            if ch == quote:
                quote = None
        elif ch in (0x22, 0x27):
            quote = ch
        elif ch == 0x3E:  # '>'
            return pos + 1, data[pos - 1] == 0x2F  # '/'
        pos += 1
    raise BakeError("SVG start tag is not closed")


def _layout(data: bytes) -> _Layout:
    layout = _Layout()
    parser = xml.parsers.expat.ParserCreate(namespace_separator=_SEP)
    parser.namespace_prefixes = True
    pending: dict[str, str] = {}
    stack: list[tuple[bool, int]] = []  # (is badge, start offset)

    def on_ns(prefix: str | None, uri: str) -> None:
        pending[prefix or ""] = uri

    def on_start(name: str, _attrs: dict[str, str]) -> None:
        start = parser.CurrentByteIndex
        parts = name.split(_SEP)
        ns, local = (parts[0], parts[1]) if len(parts) >= 2 else ("", parts[0])
        if not stack:
            layout.root_start = start
            layout.root_qname = f"{parts[2]}:{local}" if len(parts) == 3 else local
            layout.root_ns = dict(pending)
        pending.clear()
        is_badge = (ns, local) in BADGE_ELEMENTS.values()
        end, empty = _start_tag_end(data, start)
        if is_badge and empty:
            layout.badges.append((start, end))
            is_badge = False
        stack.append((is_badge, start))

    def on_end(_name: str) -> None:
        is_badge, start = stack.pop()
        if is_badge:
            close = data.index(b">", parser.CurrentByteIndex) + 1
            layout.badges.append((start, close))

    parser.StartNamespaceDeclHandler = on_ns
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise BakeError(f"not well-formed XML: {exc}") from exc
    return layout


def _badge_element(
    version: Version, kind: Kind, text: str, payload_id: str | None, decl: str
) -> str:
    ns, local = BADGE_ELEMENTS[version]
    qname = f"openbadges:{local}"
    attrs = f' xmlns:openbadges="{ns}"' if decl == "local" else ""
    if kind in ("jwt", "url"):
        return f'<{qname}{attrs} verify="{_attr_escape(text)}"></{qname}>'
    body = text.replace("]]>", "]]\\u003e")  # only ever inside a JSON string
    if version == "ob2" and payload_id:
        attrs += f' verify="{_attr_escape(payload_id)}"'
    return f"<{qname}{attrs}><![CDATA[{body}]]></{qname}>"


def _attr_escape(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def bake_svg_text(
    svg: bytes | bytearray | str,
    kind: Kind,
    text: str,
    version: Version,
    *,
    payload_id: str | None = None,
) -> bytes:
    """Insert the badge element, replacing any badge (either version) already there."""
    data = _as_bytes(svg, BakeError)
    safe_parse(data, BakeError)
    layout = _layout(data)
    for start, end in sorted(layout.badges, reverse=True):
        data = data[:start] + data[end:]
    if layout.badges:
        layout = _layout(data)
    ns = BADGE_ELEMENTS[version][0]
    declared = layout.root_ns.get("openbadges")
    decl = "none" if declared == ns else ("root" if declared is None else "local")
    element = _badge_element(version, kind, text, payload_id, decl).encode("ascii")
    tag_end, empty = _start_tag_end(data, layout.root_start)
    name_end = layout.root_start + 1 + len(layout.root_qname.encode("utf-8"))
    if empty:
        head = data[: tag_end - 2].rstrip() + b">"
        out = head + element + f"</{layout.root_qname}>".encode() + data[tag_end:]
    else:
        out = data[:tag_end] + element + data[tag_end:]
    if decl == "root":
        extra = f' xmlns:openbadges="{ns}"'.encode("ascii")
        out = out[:name_end] + extra + out[name_end:]
    found = find_badges(safe_parse(out, BakeError))
    if len(found) != 1:  # pragma: no cover - guards the text surgery above
        raise BakeError("internal error: baked SVG does not hold exactly one badge")
    return out


def find_badges(root: Element) -> list[tuple[Version, Element]]:
    return [(_BADGE_TAGS[el.tag], el) for el in root.iter() if el.tag in _BADGE_TAGS]


def unbake_svg_badge(svg: bytes | bytearray | str) -> tuple[Version, str | dict[str, Any]]:
    """The one badge of an SVG: a signed form in ``verify`` wins over the body,
    then JSON in the body, then a hosted URL in ``verify``."""
    data = _as_bytes(svg, UnbakeError)
    root = safe_parse(data, UnbakeError)
    found = find_badges(root)
    if not found:
        raise UnbakeError("the SVG holds no openbadges:credential or openbadges:assertion element")
    if len(found) > 1:
        raise UnbakeError(
            f"the SVG holds {len(found)} badge elements; exactly one is allowed", count=len(found)
        )
    version, element = found[0]
    where = f"the SVG's openbadges:{BADGE_ELEMENTS[version][1]} element"
    verify = (element.get("verify") or "").strip()
    body = "".join(element.itertext()).strip()
    if is_jwt(verify):
        return version, verify
    if body:
        return version, read_back(body, where=where)
    if verify:
        return version, read_back(verify, where=where)
    raise UnbakeError(f"{where} is empty")
