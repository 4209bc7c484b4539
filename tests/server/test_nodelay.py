"""Every connection the server accepts sends small writes at once (``TCP_NODELAY``).

Oracle (a property of the socket, read back with ``getsockopt``; no timing): the
listening socket ``microcred serve --workers N`` shares between its workers is made
the way uvicorn makes it (``socket.socket(AF_INET)``, ``proto == 0``). On such a
socket asyncio leaves Nagle's algorithm on — the control below shows it with
uvicorn's own protocol — and uvicorn's two writes per response (headers, body) then
wait for the client's delayed ACK: 40 ms per response, 22 requests/s on one
keep-alive connection in the server benchmark. :class:`GuardedH11Protocol` must
switch it off on every accepted connection.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import httpx
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from microcred_vc.server.protocol import GuardedH11Protocol, set_nodelay


async def _app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _recording(base: type[H11Protocol]) -> type[H11Protocol]:
    class Recording(base):  # type: ignore[valid-type, misc]
        seen: list[int] = []

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            Recording.seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    return Recording


def _serve_once(protocol: type[H11Protocol]) -> list[int]:
    """Serve one request on a uvicorn-style shared socket; the accepted socket's option."""
    listener = socket.socket(socket.AF_INET)  # as uvicorn's Config.bind_socket makes it
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    assert listener.proto == 0  # the precondition under which asyncio skips TCP_NODELAY
    server = uvicorn.Server(uvicorn.Config(_app, http=protocol, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=10).text == "ok"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
    return protocol.seen  # type: ignore[attr-defined]


def test_uvicorns_own_protocol_leaves_nagle_on_there() -> None:
    """The control: without our protocol the accepted socket has TCP_NODELAY off."""
    assert _serve_once(_recording(H11Protocol)) == [0]


def test_the_guarded_protocol_turns_nagle_off_on_every_connection() -> None:
    seen = _serve_once(_recording(GuardedH11Protocol))
    assert len(seen) == 1 and seen[0] != 0


def test_a_non_tcp_transport_is_left_alone() -> None:
    """A Unix socket has no TCP options: set_nodelay must not raise on one."""
    left, right = socket.socketpair(socket.AF_UNIX)

    class Transport(asyncio.BaseTransport):
        def get_extra_info(self, name: str, default: Any = None) -> Any:
            return left if name == "socket" else default

    try:
        set_nodelay(Transport())
    finally:
        left.close()
        right.close()
