"""Issuer identifiers compared the way DNS and DID resolution see them, not as text.

A trust list that says ``uni.example`` must vouch for ``https://UNI.example./`` and
``did:web:uni.example`` (the same DNS name), and for nothing else: not
``https://evil.example/?u=uni.example``, not ``uni.example.evil.com``, not
``https://uni.example@evil.com`` (whose host is evil.com), not a look-alike
Unicode name. So identifiers are parsed into a host (lower-case, one trailing
dot dropped, IDNA A-labels), a port and a path, and compared as such; anything
that does not parse cleanly (userinfo, percent-encoded hosts, a ``%3A`` in a
did:web that is not followed by a port) matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna

_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_DID = re.compile(r"did:[a-z0-9]+:[A-Za-z0-9._:%\-]+")
_PORT = re.compile(r"[0-9]{1,5}")
#: Characters that never belong in a host name (userinfo, paths, escapes, IPv6).
_NOT_IN_HOST = set("%@\\/?#[]:;, \t\r\n")
DEFAULT_PORTS = {"https": 443, "http": 80}


@dataclass(frozen=True)
class Origin:
    """Who answers for an identifier on the web: a DNS name and a port."""

    host: str
    port: int | None = None  # None: the default (443)

    def __str__(self) -> str:
        return self.host if self.port is None else f"{self.host}:{self.port}"


def normalize_host(text: str) -> str | None:
    """The host as DNS sees it (A-labels, lower case, no trailing dot), or None."""
    if not text or any(c in _NOT_IN_HOST for c in text):
        return None
    if text.endswith("."):
        text = text[:-1]  # the root label: "uni.example." is "uni.example"
    if not text or text.endswith(".") or ".." in text:
        return None
    try:
        ascii_host = idna.encode(text, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    ascii_host = ascii_host.lower()
    if len(ascii_host) > 253 or not all(_LABEL.fullmatch(part) for part in ascii_host.split(".")):
        return None
    return ascii_host


def _port(text: str, default: int) -> int | bool | None:
    """The port (None for the default); False when it is not a port."""
    if not _PORT.fullmatch(text) or not 0 < int(text) < 65536:
        return False
    return None if int(text) == default else int(text)


def parse_domain(text: str) -> Origin | None:
    """A bare domain entry, ``uni.example`` or ``uni.example:8443``."""
    host, sep, port = text.partition(":")
    number = _port(port, 443) if sep else None
    normal = normalize_host(host)
    if normal is None or number is False or "." not in normal:
        return None  # a single label ("uni", "example") vouches for a TLD: a mistake
    return Origin(normal, number if isinstance(number, int) else None)


@dataclass(frozen=True)
class DidWeb:
    """A did:web split into the origin that serves its document and its path."""

    origin: Origin
    path: tuple[str, ...]


def parse_did_web(did: str) -> DidWeb | None:
    """``did:web:<host>[%3A<port>][:<path>…]``; None when it does not parse cleanly."""
    if not did.startswith("did:web:"):
        return None
    segments = did[len("did:web:") :].split(":")
    first = segments[0]
    host, port = first, None
    match = re.fullmatch(r"(.*?)%3[Aa]([^%]*)", first)
    if match:  # the only escape the method allows in the host segment is the port colon
        host, number = match.group(1), _port(match.group(2), 443)
        if number is False:
            return None
        port = number if isinstance(number, int) else None
    normal = normalize_host(host)
    path = tuple(segments[1:])
    if normal is None or any(not seg for seg in path):
        return None
    return DidWeb(Origin(normal, port), path)


def url_key(url: str) -> tuple[str, Origin, str, str, str] | None:
    """(scheme, origin, path, query, fragment) of an http(s) URL; None if suspicious."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or "@" in parts.netloc:
        return None  # userinfo: "https://uni.example@evil.com" is served by evil.com
    host, sep, port = parts.netloc.partition(":")
    number = _port(port, DEFAULT_PORTS[scheme]) if sep else None
    normal = normalize_host(host)
    if normal is None or number is False:
        return None
    origin = Origin(normal, number if isinstance(number, int) else None)
    return scheme, origin, parts.path or "/", parts.query, parts.fragment


def identity_key(identifier: str) -> tuple[object, ...] | None:
    """What two spellings of the same issuer share; None for something that is no id.

    DIDs other than did:web are compared exactly (their method-specific ids are
    case-sensitive); did:web and http(s) URLs by host, port and path.
    """
    if not isinstance(identifier, str):
        return None
    if identifier.startswith("did:web:"):
        web = parse_did_web(identifier)
        return None if web is None else ("did:web", web.origin, web.path)
    if identifier.startswith("did:"):
        return ("did", identifier) if _DID.fullmatch(identifier) else None
    key = url_key(identifier)
    return None if key is None else ("url", *key)


def origin_of(identifier: str) -> Origin | None:
    """The web origin that answers for an issuer: a did:web's host or an https URL's.

    Plain http URLs have none (nothing authenticates the server), nor do other DIDs.
    """
    if not isinstance(identifier, str):
        return None
    if identifier.startswith("did:web:"):
        web = parse_did_web(identifier)
        return None if web is None else web.origin
    key = url_key(identifier)
    return key[1] if key is not None and key[0] == "https" else None
