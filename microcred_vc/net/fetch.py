"""The one guarded HTTP GET: every hop checked, DNS pinned, the whole request timed.

:func:`fetch_bytes` runs ``check_url`` on the URL and on every redirect target,
resolves each host once (:class:`~microcred_vc.net.addresses.Resolution`) and
connects only to the addresses it checked (:class:`GuardedTransport`), caps the
body size and stops the whole request — lookups, redirects, headers and body —
at ``deadline`` seconds, however slowly the server trickles bytes.
"""

from __future__ import annotations

import contextvars
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from microcred_vc.errors import (
    AddressNotAllowed,
    InputTooLarge,
    NetworkDeadlineExceeded,
    NetworkError,
)
from microcred_vc.net.addresses import Resolution

MAX_REDIRECTS = 3
#: a request's deadline, when none is given, is this many times its per-read timeout
DEADLINE_FACTOR = 3.0

#: the Resolution of the fetch in progress, so a hop check and the connection share it
_current: contextvars.ContextVar[Resolution | None] = contextvars.ContextVar(
    "microcred_vc_net_resolution", default=None
)


def _address_is_public(host: str) -> bool:
    """False when any address of ``host`` is not public (see ``is_public_address``).

    Inside :func:`fetch_bytes` the answer comes from that request's single
    lookup, which is also the one its connection uses.
    """
    resolution = _current.get() or Resolution()
    try:
        resolution.addresses(host)
    except AddressNotAllowed:
        return False
    return True


def check_public_http(url: str, *, block_private: bool = True) -> None:
    """The default per-hop rule: http(s) only and, unless switched off, public hosts only."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise NetworkError(f"{url}: only http(s) URLs are fetched", url=url)
    if block_private and not _address_is_public(parts.hostname or ""):
        raise AddressNotAllowed(
            f"{url} resolves to a private, loopback, link-local or otherwise non-public address",
            url=url,
        )


def effective_deadline(timeout: float, deadline: float | None) -> float:
    """Seconds allowed for a whole request: ``deadline`` or ``timeout`` x DEADLINE_FACTOR."""
    return timeout * DEADLINE_FACTOR if deadline is None else deadline


def fetch_bytes(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    max_redirects: int = MAX_REDIRECTS,
    check_url: Callable[[str], None] = check_public_http,
    headers: dict[str, str] | None = None,
    deadline: float | None = None,
    block_private: bool = True,
    transport: Any = None,
    content: bytes | None = None,
) -> bytes:
    """GET ``url`` (POST ``content`` when given); ``check_url`` runs on every hop.

    ``timeout`` bounds each connect/read/write, ``deadline`` (seconds, default
    ``timeout * 3``) the whole request including redirects; past it
    :class:`NetworkDeadlineExceeded` is raised. ``block_private`` makes the
    transport refuse non-public addresses at connect time too, after the one
    lookup. ``transport`` (tests: ``httpx.MockTransport``) replaces the guarded
    transport, and with it the DNS pinning: only ``check_url`` guards then.
    A non-200 answer raises :class:`NetworkError` with ``details["status"]``.
    """
    import httpx  # only needed when the caller opted in to the network

    from microcred_vc.net.transport import GuardedTransport

    seconds = effective_deadline(timeout, deadline)
    resolution = Resolution(block_private=block_private, deadline_at=time.monotonic() + seconds)
    token = _current.set(resolution)
    current = url
    try:
        for _ in range(max_redirects + 1):
            check_url(current)
            remaining = _left(resolution, url, seconds)
            try:
                with (
                    httpx.Client(
                        timeout=min(timeout, remaining),
                        follow_redirects=False,
                        transport=transport or GuardedTransport(resolution),
                    ) as client,
                    client.stream(
                        "GET" if content is None else "POST",
                        current,
                        headers=headers or {},
                        content=content,
                    ) as response,
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
                        _left(resolution, url, seconds)
                    return bytes(body)
            except httpx.HTTPError as exc:
                _left(resolution, url, seconds)  # a timeout at the deadline is the deadline's
                raise NetworkError(f"{current} could not be fetched: {exc}", url=current) from exc
        raise NetworkError(f"{url}: more than {max_redirects} redirects", url=url)
    finally:
        _current.reset(token)


def _left(resolution: Resolution, url: str, seconds: float) -> float:
    """Seconds left for the request; :class:`NetworkDeadlineExceeded` when none are."""
    remaining = resolution.remaining()
    if remaining is not None and remaining <= 0:
        raise NetworkDeadlineExceeded(
            f"{url} was not fetched within its deadline of {seconds:g} s",
            url=url,
            deadline=seconds,
        )
    return float("inf") if remaining is None else remaining


@dataclass
class HttpFetcher:
    """Callable ``fetch(url) -> JSON`` for the verify paths that accept ``fetch=``.

    ``deadline`` bounds each whole fetch (None: ``timeout * 3``); ``transport``
    is a test hook (an httpx transport replacing the guarded one).
    """

    timeout: float = 10.0
    max_bytes: int = 5_000_000
    block_private: bool = True
    max_redirects: int = MAX_REDIRECTS
    deadline: float | None = None
    transport: Any = None

    def get_bytes(self, url: str) -> bytes:
        return fetch_bytes(
            url,
            timeout=self.timeout,
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            check_url=lambda hop: check_public_http(hop, block_private=self.block_private),
            deadline=self.deadline,
            block_private=self.block_private,
            transport=self.transport,
        )

    def __call__(self, url: str) -> Any:
        body = self.get_bytes(url)
        try:
            return json.loads(body)
        except ValueError:
            return body.decode("utf-8", errors="replace").strip()
