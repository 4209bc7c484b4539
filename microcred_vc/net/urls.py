"""URL normalisation for allow-lists: compare what will be fetched, not how it is spelt.

A raw ``startswith`` lets ``https://example.org/allowed/../secret`` (or
``%2e%2e``) through an allow-list of ``https://example.org/allowed/``, and
``https://example.org@evil.example/`` through ``https://example.org``. So both
the URL and the prefix are normalised (RFC 3986 section 6: lowercase scheme
and host, default port dropped, ``%2E`` decoded, dot segments removed),
userinfo, backslashes and encoded slashes are refused as ambiguous, and a
prefix matches on whole path segments only.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
_ENCODED_DOT = re.compile("%2e", re.IGNORECASE)
_AMBIGUOUS = re.compile(r"\\|%2f|%5c|%00", re.IGNORECASE)


class UrlRejected(ValueError):
    """The URL cannot be compared safely (userinfo, bad port, ambiguous path)."""


class NormalUrl(NamedTuple):
    scheme: str
    host: str
    port: int
    path: str
    query: str

    def __str__(self) -> str:
        default = DEFAULT_PORTS.get(self.scheme)
        netloc = f"[{self.host}]" if ":" in self.host else self.host
        if self.port != default:
            netloc += f":{self.port}"
        return urlunsplit((self.scheme, netloc, self.path, self.query, ""))


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 on an absolute path ("/a/b/../c" -> "/a/c")."""
    out: list[str] = []
    segments = path.split("/")[1:]
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
        elif seg == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(seg)
    return "/" + "/".join(out)


def normalise_url(url: str) -> NormalUrl:
    """The http(s) URL in normal form; :class:`UrlRejected` when it is ambiguous."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UrlRejected(f"{url!r} is not a valid URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UrlRejected(f"{url!r} is not an http(s) URL")
    if "@" in parts.netloc:
        raise UrlRejected(f"{url!r} carries user information before the host")
    host = (parts.hostname or "").lower()
    if not host:
        raise UrlRejected(f"{url!r} has no host")
    path = _ENCODED_DOT.sub(".", parts.path) or "/"
    if _AMBIGUOUS.search(path) or not path.startswith("/"):
        raise UrlRejected(f"{url!r} has an ambiguous path (backslash or encoded slash)")
    return NormalUrl(
        scheme,
        host,
        DEFAULT_PORTS[scheme] if port is None else port,
        remove_dot_segments(path),
        parts.query,
    )


def url_under_prefix(url: str, prefix: str) -> bool:
    """True when ``url`` is ``prefix`` or below it, compared in normal form by segments.

    Both must normalise and have the same scheme, host and port. The URL's
    path must equal the prefix's or continue it with ``/``; a prefix ending in
    ``/`` covers only what is below it. A prefix's query, if any, must equal
    the URL's.
    """
    try:
        u, p = normalise_url(url), normalise_url(prefix)
    except UrlRejected:
        return False
    if (u.scheme, u.host, u.port) != (p.scheme, p.host, p.port):
        return False
    if p.query and p.query != u.query:
        return False
    if p.path.endswith("/"):
        return u.path.startswith(p.path)
    return u.path == p.path or u.path.startswith(p.path + "/")
