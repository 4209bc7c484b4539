"""A whole-request deadline on every outbound fetch (issue #16 V6).

Oracle: the property "no fetch outlives its deadline by more than scheduling
slack", checked against a real loopback socket server that trickles one byte
every 50 ms, so that no single read ever waits long enough to hit the
per-read timeout. Before this change such a server was never cut off: the
request ran for as long as the server kept trickling.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from microcred_vc.errors import NetworkDeadlineExceeded, NetworkError
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.keys.did import Resolver
from microcred_vc.net import HttpFetcher, fetch_bytes

DEADLINE = 0.6
SLACK = 0.9  # two cores shared with other test runs
BYTE_EVERY = 0.05


def _trickle(conn: socket.socket, mode: str, stop: threading.Event) -> None:
    """Answer one request, dribbling the headers or the body a byte at a time."""
    with conn:
        conn.settimeout(5)
        request = b""
        while b"\r\n\r\n" not in request:
            data = conn.recv(4096)
            if not data:
                return
            request += data
        if mode == "body":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n")
            drip = b"[" + b"0," * 199 + b"0"
        else:
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            drip = b"X-Slow: " + b"a" * 400
        for i in range(len(drip)):
            if stop.is_set():
                return
            try:
                conn.sendall(drip[i : i + 1])
            except OSError:  # the client gave up: the point of the test
                return
            time.sleep(BYTE_EVERY)


@pytest.fixture
def trickler() -> Iterator[Callable[[str], str]]:
    """A loopback server; ``trickler(mode)`` is the URL of a ``body`` or ``headers`` trickle."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()
    mode = {"value": "body"}

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            threading.Thread(target=_trickle, args=(conn, mode["value"], stop), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.getsockname()[1]}"

    def url(kind: str) -> str:
        mode["value"] = kind
        return f"{base}/{kind}"

    try:
        yield url
    finally:
        stop.set()
        thread.join(2)
        server.close()


def _timed(call: Callable[[], Any]) -> tuple[BaseException, float]:
    start = time.monotonic()
    with pytest.raises(NetworkDeadlineExceeded) as info:
        call()
    return info.value, time.monotonic() - start


@pytest.mark.parametrize("mode", ["body", "headers"])
def test_fetcher_cuts_a_trickling_server_off_at_the_deadline(
    mode: str, trickler: Callable[[str], str]
) -> None:
    url = trickler(mode)
    fetch = HttpFetcher(block_private=False, timeout=1.0, deadline=DEADLINE)
    error, elapsed = _timed(lambda: fetch(url))
    assert error.code == "NETWORK_DEADLINE"  # type: ignore[attr-defined]
    assert isinstance(error, NetworkError)  # callers catching NetworkError still do
    assert DEADLINE - 0.05 <= elapsed < DEADLINE + SLACK


@pytest.mark.parametrize("mode", ["body", "headers"])
def test_loader_cuts_a_trickling_server_off_at_the_deadline(
    mode: str, trickler: Callable[[str], str]
) -> None:
    url = trickler(mode)
    loader = DocumentLoader(
        allow_remote=True,
        allowed_prefixes=[url],
        block_private=False,
        timeout=1.0,
        deadline=DEADLINE,
    )
    _, elapsed = _timed(lambda: loader.load(url))
    assert elapsed < DEADLINE + SLACK


def test_default_deadline_is_three_times_the_timeout(trickler: Callable[[str], str]) -> None:
    """No deadline given: timeout x 3, so a 0.25 s read timeout stops the request at 0.75 s."""
    url = trickler("body")
    _, elapsed = _timed(lambda: HttpFetcher(block_private=False, timeout=0.25)(url))
    assert 0.7 <= elapsed < 0.75 + SLACK


def test_deadline_covers_injected_transports() -> None:
    """Through a test transport (no socket deadline), the body loop still stops in time.

    ``did:web`` uses the injected transport path: each hop answers quickly but
    the body is an endless slow stream.
    """

    class Slow(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            while True:
                time.sleep(BYTE_EVERY)
                yield b" "

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Slow())

    resolver = Resolver(
        allow_network=True, transport=httpx.MockTransport(handler), timeout=1.0, deadline=DEADLINE
    )
    _, elapsed = _timed(lambda: resolver.resolve("did:web:slow.example#key-1"))
    assert elapsed < DEADLINE + SLACK


def test_deadline_spans_redirects() -> None:
    """Each hop is quick enough for the per-read timeout; together they are not."""

    def handler(request: httpx.Request) -> httpx.Response:
        time.sleep(0.25)
        hop = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{hop + 1}"})

    fetch = HttpFetcher(
        block_private=False, timeout=1.0, deadline=DEADLINE, transport=httpx.MockTransport(handler)
    )
    _, elapsed = _timed(lambda: fetch("http://hops.example/0"))
    assert elapsed < DEADLINE + SLACK


def test_dns_lookup_is_inside_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """A resolver that never answers does not hold the request past its deadline."""
    real = socket.getaddrinfo

    def hanging(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "hang.example":
            time.sleep(3)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    _, elapsed = _timed(
        lambda: fetch_bytes("http://hang.example/", timeout=1.0, max_bytes=10, deadline=DEADLINE)
    )
    assert elapsed < DEADLINE + SLACK
