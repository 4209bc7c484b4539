"""The one guarded HTTP GET the library uses when a caller opts in to the network.

Remote contexts, status lists, OB2 hosted assertions and other documents are
fetched through :func:`fetch_bytes`: a timeout, a size cap, a bounded number of
redirects with every hop re-checked and, by default, no private, loopback or
link-local addresses, so a credential cannot make a verifier probe its own
network. ``HttpFetcher`` wraps it as the ``fetch=`` callable verifiers accept.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from microcred_vc.errors import AddressNotAllowed, InputTooLarge, NetworkError

MAX_REDIRECTS = 3


def _address_is_public(host: str) -> bool:
    """False when any address of ``host`` is private, loopback, link-local or reserved."""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError as exc:
        raise NetworkError(f"cannot resolve host {host!r}: {exc}", host=host) from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if (
            addr.is_private
            or addr.is_loopback
            or addr.is_link_local
            or addr.is_reserved
            or addr.is_multicast
            or addr.is_unspecified
        ):
            return False
    return True


def check_public_http(url: str, *, block_private: bool = True) -> None:
    """The default per-hop rule: http(s) only and, unless switched off, public hosts only."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise NetworkError(f"{url}: only http(s) URLs are fetched", url=url)
    if block_private and not _address_is_public(parts.hostname or ""):
        raise AddressNotAllowed(
            f"{url} resolves to a private, loopback or link-local address", url=url
        )


def fetch_bytes(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    max_redirects: int = MAX_REDIRECTS,
    check_url: Callable[[str], None] = check_public_http,
    headers: dict[str, str] | None = None,
) -> bytes:
    """GET ``url``; ``check_url`` runs on the URL and on every redirect target.

    A non-200 answer raises :class:`NetworkError` with ``details["status"]``.
    """
    import httpx  # only needed when the caller opted in to the network

    current = url
    for _ in range(max_redirects + 1):
        check_url(current)
        try:
            with (
                httpx.Client(timeout=timeout, follow_redirects=False) as client,
                client.stream("GET", current, headers=headers or {}) as response,
            ):
                if response.is_redirect:
                    current = urljoin(current, response.headers.get("location", ""))
                    continue
                if response.status_code != 200:
                    raise NetworkError(
                        f"{current}: HTTP {response.status_code}",
                        url=current,
                        status=response.status_code,
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise InputTooLarge(
                            f"{current} is larger than {max_bytes} bytes", url=current
                        )
                return bytes(body)
        except httpx.HTTPError as exc:
            raise NetworkError(f"{current} could not be fetched: {exc}", url=current) from exc
    raise NetworkError(f"{url}: more than {max_redirects} redirects", url=url)


@dataclass
class HttpFetcher:
    """Callable ``fetch(url) -> JSON`` for the verify paths that accept ``fetch=``."""

    timeout: float = 10.0
    max_bytes: int = 5_000_000
    block_private: bool = True
    max_redirects: int = MAX_REDIRECTS

    def get_bytes(self, url: str) -> bytes:
        return fetch_bytes(
            url,
            timeout=self.timeout,
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            check_url=lambda hop: check_public_http(hop, block_private=self.block_private),
        )

    def __call__(self, url: str) -> Any:
        body = self.get_bytes(url)
        try:
            return json.loads(body)
        except ValueError:
            return body.decode("utf-8", errors="replace").strip()
