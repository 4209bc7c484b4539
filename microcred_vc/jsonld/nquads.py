"""Strict N-Quads parsing and canonical N-Quads serialisation.

RDFC-1.0 hashes serialised quads, so the serialisation *is* part of the
algorithm: one escaping difference changes every hash downstream. This module
therefore produces exactly the canonical form the rdf-canon suite expects
(RDF 1.2 N-Triples canonical escaping: ``\\b \\t \\n \\f \\r \\" \\\\`` as
ECHAR, other C0 controls and U+007F as ``\\u00XX``, everything else raw; IRIs
unescaped; ``xsd:string`` datatypes omitted).

Two outputs are offered from one grammar:

* :func:`parse_nquads` returns :class:`Quad` tuples of small immutable term
  objects, the public shape that :func:`microcred_vc.jsonld.canon.canonicalize_quads`
  accepts.
* :func:`parse_serialized` returns each quad as four canonical N-Quads term
  strings (``""`` for the default graph). The canonicaliser works on these
  strings directly: it never needs the unescaped values, only their canonical
  serialisation, so the text path skips building objects at all.

Parsing is strict (absolute IRIs, valid escapes, valid blank node labels, no
predicate blank nodes) because a lenient parser would canonicalise, and so let
someone sign, a document that another implementation reads differently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from microcred_vc.errors import NQuadsParseError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True, slots=True)
class IRI:
    """An absolute IRI, stored unescaped."""

    value: str

    def to_nquads(self) -> str:
        return f"<{self.value}>"


@dataclass(frozen=True, slots=True)
class BlankNode:
    """A blank node; ``id`` is the label without the ``_:`` prefix."""

    id: str

    def to_nquads(self) -> str:
        return f"_:{self.id}"


@dataclass(frozen=True, slots=True)
class Literal:
    """A literal; ``language`` set means the datatype is rdf:langString."""

    value: str
    datatype: str = XSD_STRING
    language: str | None = None

    def to_nquads(self) -> str:
        body = f'"{escape_literal(self.value)}"'
        if self.language:
            return f"{body}@{self.language}"
        if self.datatype and self.datatype != XSD_STRING:
            return f"{body}^^<{self.datatype}>"
        return body


Term = IRI | BlankNode | Literal


class Quad(NamedTuple):
    """One quad; ``graph`` is ``None`` for the default graph."""

    subject: IRI | BlankNode
    predicate: IRI
    object: Term
    graph: IRI | BlankNode | None = None


# --- grammar (RDF 1.1 N-Quads) ------------------------------------------------
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf"
    "\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_:"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_BNODE = f"_:([{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)"
_IRI_CHARS = r'[^\x00-\x20<>"{}|^`\\]'
_IRI = rf"<({_IRI_CHARS}*(?:\\(?:u[0-9A-Fa-f]{{4}}|U[0-9A-Fa-f]{{8}}){_IRI_CHARS}*)*)>"
_LITERAL = (
    r'"([^"\\\n\r]*(?:\\.[^"\\\n\r]*)*)"'
    rf"(?:@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)|\^\^{_IRI})?"
)
_WS = r"[ \t]*"
_SUBJECT = f"(?:{_IRI}|{_BNODE})"
_OBJECT = f"(?:{_IRI}|{_BNODE}|{_LITERAL})"
_GRAPH = f"(?:{_IRI}|{_BNODE})"
_LINE = re.compile(
    f"{_WS}{_SUBJECT}{_WS}{_IRI}{_WS}{_OBJECT}{_WS}(?:{_GRAPH}{_WS})?\\.{_WS}(?:#.*)?"
)
_EMPTY = re.compile(rf"{_WS}(?:#.*)?")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_BAD_IRI_CHAR = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SURROGATE = re.compile("[\ud800-\udfff]")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}

_ESCAPE_TABLE: dict[int, str] = {c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]}
_ESCAPE_TABLE.update(
    {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
)


_BNODE_ID = re.compile(_BNODE[2:])
_LANGTAG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")


def is_valid_iri(value: str) -> bool:
    """An absolute IRI with no character N-Quads forbids inside ``<>``."""
    return (
        _BAD_IRI_CHAR.search(value) is None
        and _SCHEME.match(value) is not None
        and not has_surrogate(value)
    )


def _first_surrogate(value: str) -> int:
    """Offset of the first lone surrogate in ``value``, or -1.

    Why not ``_SURROGATE.search``: the regex scans character by character (about
    1 ms on a 40 KB credential, a third of its canonicalisation); ``isascii`` and
    the UTF-8 encoder are C loops that answer the common case in microseconds.
    """
    if value.isascii():
        return -1
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return -1


def has_surrogate(value: str) -> bool:
    """True if ``value`` holds a lone surrogate, which UTF-8 (so hashing) cannot encode."""
    return _first_surrogate(value) >= 0


def is_valid_bnode_id(label: str) -> bool:
    """A blank node label (without ``_:``) that N-Quads can carry."""
    return _BNODE_ID.fullmatch(label) is not None


def is_valid_language(tag: str) -> bool:
    """An N-Quads LANGTAG (without ``@``)."""
    return _LANGTAG.fullmatch(tag) is not None


def escape_literal(value: str) -> str:
    """Canonical escaping of a literal's lexical form (RDF 1.2 canonical N-Triples)."""
    if (value.isprintable() and '"' not in value and "\\" not in value) or (
        _NEEDS_ESCAPE.search(value) is None
    ):
        return value
    return value.translate(_ESCAPE_TABLE)


def _unescape(raw: str, line: int, what: str) -> str:
    def repl(m: re.Match[str]) -> str:
        hex_ = m.group(1) or m.group(2)
        if hex_ is not None:
            cp = int(hex_, 16)
            if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
                raise NQuadsParseError(
                    f"line {line}: escape {m.group(0)} in {what} is not a Unicode scalar value",
                    line=line,
                )
            return chr(cp)
        ch = m.group(3)
        if what == "literal" and ch in _ECHARS:
            return _ECHARS[ch]
        raise NQuadsParseError(f"line {line}: invalid escape \\{ch} in {what}", line=line)

    return _ESCAPE.sub(repl, raw)


def _iri_value(raw: str, line: int) -> str:
    value = _unescape(raw, line, "IRI") if "\\" in raw else raw
    if "\\" in raw and _BAD_IRI_CHAR.search(value):
        raise NQuadsParseError(f"line {line}: IRI <{raw}> escapes a forbidden character", line=line)
    if _SCHEME.match(value) is None:
        raise NQuadsParseError(
            f"line {line}: IRI <{value}> is not absolute (N-Quads needs a scheme)", line=line
        )
    return value


# Vocabulary IRIs recur in every credential; remembering their checked
# canonical form saves most IRI work. Bounded: cleared when it grows too big.
_IRI_CACHE: dict[str, str] = {}
_IRI_CACHE_MAX = 50_000


def _iri_term(raw: str, line: int) -> str:
    got = _IRI_CACHE.get(raw)
    if got is None:
        got = f"<{_iri_value(raw, line)}>"
        if len(_IRI_CACHE) >= _IRI_CACHE_MAX:
            _IRI_CACHE.clear()
        _IRI_CACHE[raw] = got
    return got


def _literal_value(raw: str, line: int) -> str:
    return _unescape(raw, line, "literal") if "\\" in raw else raw


def _lines(text: str | bytes) -> list[str]:
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NQuadsParseError(
                f"N-Quads must be UTF-8: invalid byte at offset {exc.start}", offset=exc.start
            ) from exc
    if not isinstance(text, str):
        raise NQuadsParseError(f"N-Quads input must be str or bytes, not {type(text).__name__}")
    bad = _first_surrogate(text)
    if bad >= 0:  # cannot be hashed or signed as UTF-8
        line = text.count("\n", 0, bad) + 1
        raise NQuadsParseError(
            f"line {line}: lone surrogate U+{ord(text[bad]):04X} is not a Unicode character",
            line=line,
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _diagnose(line_text: str, line: int) -> NQuadsParseError:
    """Say which part of a rejected line is wrong, so a user can fix it."""
    steps = [
        ("subject (IRI or blank node)", re.compile(f"{_WS}{_SUBJECT}")),
        ("predicate (IRI)", re.compile(f"{_WS}{_IRI}")),
        ("object (IRI, blank node or literal)", re.compile(f"{_WS}{_OBJECT}")),
    ]
    pos = 0
    for name, rx in steps:
        m = rx.match(line_text, pos)
        if m is None:
            col = pos + len(line_text[pos:]) - len(line_text[pos:].lstrip(" \t")) + 1
            return NQuadsParseError(
                f"line {line}, column {col}: expected {name}: {line_text[:120]!r}",
                line=line,
                column=col,
            )
        pos = m.end()
    col = pos + 1
    return NQuadsParseError(
        f"line {line}, column {col}: expected optional graph name then '.': {line_text[:120]!r}",
        line=line,
        column=col,
    )


def _statements(text: str | bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Each statement line's number and regex groups; blank and comment lines skipped,
    the first malformed line raised with its diagnosis (both parsers read this way)."""
    match = _LINE.fullmatch
    for number, line_text in enumerate(_lines(text), 1):
        if not line_text:  # the text's final newline: no regex needed
            continue
        m = match(line_text)
        if m is None:
            if _EMPTY.fullmatch(line_text):
                continue
            raise _diagnose(line_text, number)
        yield number, m.groups()


def parse_serialized(text: str | bytes) -> list[tuple[str, str, str, str]]:
    """Parse N-Quads into canonical term strings ``(s, p, o, g)``; ``g`` is ``""`` if default.

    Blank nodes come out as ``_:label`` with the input label, so callers can
    tell them apart by the leading ``_`` (IRIs start with ``<``, literals ``"``).
    """
    out: list[tuple[str, str, str, str]] = []
    cache = _IRI_CACHE
    for number, groups in _statements(text):
        s_iri, s_bn, p_iri, o_iri, o_bn, o_lit, lang, dt, g_iri, g_bn = groups
        s = (cache.get(s_iri) or _iri_term(s_iri, number)) if s_iri is not None else "_:" + s_bn
        p = cache.get(p_iri) or _iri_term(p_iri, number)
        if o_iri is not None:
            o = cache.get(o_iri) or _iri_term(o_iri, number)
        elif o_bn is not None:
            o = "_:" + o_bn
        else:
            if "\\" in o_lit:
                o_lit = escape_literal(_unescape(o_lit, number, "literal"))
            elif not o_lit.isprintable() and _NEEDS_ESCAPE.search(o_lit) is not None:
                # isprintable() is False for every control character (a C check
                # with no call into re): only those literals can need escaping
                o_lit = escape_literal(o_lit)
            if lang is not None:
                o = f'"{o_lit}"@{lang}'
            elif dt is not None:
                d = cache.get(dt) or _iri_term(dt, number)
                o = f'"{o_lit}"' if d == f"<{XSD_STRING}>" else f'"{o_lit}"^^{d}'
            else:
                o = f'"{o_lit}"'
        if g_iri is not None:
            g = cache.get(g_iri) or _iri_term(g_iri, number)
        elif g_bn is not None:
            g = "_:" + g_bn
        else:
            g = ""
        out.append((s, p, o, g))
    return out


def parse_nquads(text: str | bytes) -> list[Quad]:
    """Parse N-Quads into :class:`Quad` objects (values unescaped)."""
    out: list[Quad] = []
    for number, groups in _statements(text):
        s_iri, s_bn, p_iri, o_iri, o_bn, o_lit, lang, dt, g_iri, g_bn = groups
        subject: IRI | BlankNode = (
            IRI(_iri_value(s_iri, number)) if s_iri is not None else BlankNode(s_bn)
        )
        obj: Term
        if o_iri is not None:
            obj = IRI(_iri_value(o_iri, number))
        elif o_bn is not None:
            obj = BlankNode(o_bn)
        elif lang is not None:
            obj = Literal(_literal_value(o_lit, number), RDF_LANGSTRING, lang)
        else:
            datatype = _iri_value(dt, number) if dt is not None else XSD_STRING
            obj = Literal(_literal_value(o_lit, number), datatype)
        graph: IRI | BlankNode | None = None
        if g_iri is not None:
            graph = IRI(_iri_value(g_iri, number))
        elif g_bn is not None:
            graph = BlankNode(g_bn)
        out.append(Quad(subject, IRI(_iri_value(p_iri, number)), obj, graph))
    return out


def serialize_quad(quad: Quad) -> str:
    """One canonical N-Quads line, newline included."""
    s, p, o, g = quad
    if g is None:
        return f"{s.to_nquads()} {p.to_nquads()} {o.to_nquads()} .\n"
    return f"{s.to_nquads()} {p.to_nquads()} {o.to_nquads()} {g.to_nquads()} .\n"


def serialize_nquads(quads: list[Quad]) -> str:
    """Canonical N-Quads of ``quads`` in the given order (no sorting, no dedup)."""
    return "".join(serialize_quad(q) for q in quads)
