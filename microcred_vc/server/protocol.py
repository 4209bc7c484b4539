"""uvicorn settings and an HTTP/1.1 protocol with a header deadline and a connection cap.

uvicorn's keep-alive timeout only runs *between* requests: a client that
connects and sends its request headers one byte at a time (slowloris) holds a
connection, and a file descriptor, for as long as it likes; a few hundred of
them make the server unreachable and about a thousand exhaust a 1,024 file
limit. :class:`GuardedH11Protocol` closes a connection whose request headers
are not complete ``header_timeout`` seconds after its first byte (or after
connecting), and refuses connections beyond ``max_connections`` on accept, so
the descriptors held stay bounded. The body has its own deadline in
:class:`~microcred_vc.server.middleware.BodySizeLimit`.

It also turns Nagle's algorithm off on every connection (:func:`set_nodelay`).
asyncio does that itself only for a socket whose Python object says it is TCP
(``proto == IPPROTO_TCP``); the listening socket ``serve --workers N`` shares
between its worker processes is made by uvicorn as ``socket.socket(AF_INET)``, with
``proto == 0``, so asyncio skipped every connection accepted on it, and uvicorn's two writes per response (headers, then body) met the
client's delayed ACK: every response took 40 ms longer, capping one keep-alive
connection at ~23 requests/s.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from microcred_vc.server.config import ServerConfig


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    """Send small writes at once (``TCP_NODELAY``) on a TCP connection, whatever its
    socket object claims; other transports (Unix sockets, test doubles) are left alone."""
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    with contextlib.suppress(OSError):  # not TCP after all, or already closed
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, plus a request-header deadline and a connection cap."""

    header_timeout: float = 10.0
    max_connections: int = 500

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None

    def _awaiting_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if self._awaiting_headers() and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        set_nodelay(transport)
        if len(self.connections) > self.max_connections:
            transport.abort()  # over the cap: free the descriptor at once
            return
        self._arm()  # a connection that never sends anything is closed too

    def data_received(self, data: bytes) -> None:
        if self._awaiting_headers():
            self._arm()
        super().data_received(data)
        if not self._awaiting_headers():
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def configure_protocol(config: ServerConfig) -> None:
    """In a worker process: give the importable protocol class this server's limits."""
    GuardedH11Protocol.header_timeout = config.header_timeout
    GuardedH11Protocol.max_connections = config.max_connections


def protocol_for(config: ServerConfig) -> type[GuardedH11Protocol]:
    """A protocol class carrying this server's deadline and cap (uvicorn builds one per connection)."""
    return type(
        "ConfiguredH11Protocol",
        (GuardedH11Protocol,),
        {"header_timeout": config.header_timeout, "max_connections": config.max_connections},
    )


def uvicorn_config(
    app: Any,
    config: ServerConfig,
    *,
    host: str,
    port: int,
    log_level: str = "info",
    workers: int = 1,
) -> uvicorn.Config:
    """One place for the uvicorn limits, used by ``microcred serve`` and the tests alike.

    With ``workers > 1`` ``app`` is the import string of an app factory and the
    protocol is named by import string too: each worker is a fresh (spawned)
    process, and a class made by :func:`protocol_for` cannot be sent to it. The
    factory sets the limits on :class:`GuardedH11Protocol` in each worker instead.
    """
    many = workers > 1
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        workers=workers,
        factory=many,
        http=f"{__name__}:GuardedH11Protocol" if many else protocol_for(config),
        timeout_keep_alive=config.keep_alive_timeout,
        limit_concurrency=config.max_connections,
        h11_max_incomplete_event_size=config.max_header_bytes,
        backlog=config.backlog,
    )
