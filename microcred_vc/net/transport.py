"""The guarded httpx transport: connect only to addresses that were checked, in time.

httpx resolves names itself when it connects, so checking a URL's host first
and then handing the URL to httpx leaves a window in which the DNS answer can
change (rebinding). This transport replaces httpcore's network backend: the
host is resolved through the request's :class:`~microcred_vc.net.addresses.Resolution`
(the same answer the URL check saw), every address is checked, and the socket
is opened to that IP. The URL, Host header, SNI and certificate check keep the
original host name. Every socket operation's timeout is cut to what is left of
the request's deadline, so a server sending one byte a second is cut off.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import httpcore
import httpx

from microcred_vc.net.addresses import Resolution


@lru_cache(maxsize=1)
def _default_ssl_context() -> ssl.SSLContext:
    """httpx's default verifying context, built once (loading the CA bundle is slow)."""
    return httpx.create_ssl_context(verify=True)


def _cut(timeout: float | None, resolution: Resolution) -> float | None:
    """The per-operation timeout, never beyond the request's deadline."""
    remaining = resolution.remaining()
    if remaining is None:
        return timeout
    if remaining <= 0:
        raise httpcore.ReadTimeout("the request's deadline has passed")
    return remaining if timeout is None else min(timeout, remaining)


def open_connection(
    ip: str,
    port: int,
    timeout: float | None,
    local_address: str | None,
    socket_options: Iterable[Any] | None,
) -> httpcore.NetworkStream:
    """Open TCP to a literal IP (no name lookup happens here; tests replace this)."""
    return httpcore.SyncBackend().connect_tcp(
        ip, port, timeout=timeout, local_address=local_address, socket_options=socket_options
    )


class _DeadlineStream(httpcore.NetworkStream):
    """A stream whose reads, writes and TLS handshake stop at the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, resolution: Resolution) -> None:
        self._inner = inner
        self._resolution = resolution

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _cut(timeout, self._resolution))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _cut(timeout, self._resolution))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _cut(timeout, self._resolution))
        return _DeadlineStream(inner, self._resolution)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Resolve through the request's Resolution and connect to a checked IP."""

    def __init__(self, resolution: Resolution) -> None:
        self._resolution = resolution

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        last: Exception | None = None
        for ip in self._resolution.addresses(host):
            try:
                stream = open_connection(
                    ip, port, _cut(timeout, self._resolution), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _DeadlineStream(stream, self._resolution)
        raise last or httpcore.ConnectError(f"no address of {host} could be reached")

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used for fetched URLs")

    def sleep(self, seconds: float) -> None:
        import time

        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """An ``httpx.HTTPTransport`` (HTTP/1.1, no proxy) connecting only to checked IPs.

    ``verify`` is httpx's (True: the system's or certifi's CAs, or an SSLContext).
    Environment proxies are not used: a proxy would resolve the name itself.
    """

    def __init__(self, resolution: Resolution, *, verify: ssl.SSLContext | bool = True) -> None:
        context = _default_ssl_context() if verify is True else httpx.create_ssl_context(verify)
        super().__init__(verify=context)
        # httpx has no public hook for the network backend; its pool is rebuilt
        # here with httpcore's public constructor and our backend.
        self._pool = httpcore.ConnectionPool(
            ssl_context=context,
            http1=True,
            http2=False,
            network_backend=_PinnedBackend(resolution),
        )
