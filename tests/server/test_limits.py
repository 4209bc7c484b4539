"""Issue #16 V8: rate limits that count clients, bodies however sent, a free event loop.

Oracles (properties): requests carrying made-up bearer tokens share the
anonymous bucket of their address (429 once it is used up), while a valid
token keeps its own; the bucket store never exceeds its bound, however many
clients appear; a chunked body over the limit is 413 like a declared one; a
slow verification on the verify page does not delay other requests; and a
status-list build that raced an invalidation is never cached. Each failed on
the old server.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from microcred_vc.server.middleware import RateLimit
from microcred_vc.server.run import start_background

TOKEN = "limits-token-0123456789abcdef"


def test_fake_token_flood_is_limited_as_anonymous(tmp_path) -> None:
    running = start_background(tmp_path, tokens=[TOKEN], rate_limit_per_minute=5)
    try:
        with httpx.Client(base_url=running.url, timeout=30) as client:
            codes = [
                client.get(
                    "/openapi.json", headers={"Authorization": f"Bearer fake-{i:024d}"}
                ).status_code
                for i in range(10)
            ]
            assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}, codes
            # No header at all: the same address, the same (spent) bucket.
            assert client.get("/openapi.json").status_code == 429
            # The real token is someone else: its own bucket.
            valid = {"Authorization": f"Bearer {TOKEN}"}
            assert client.get("/openapi.json", headers=valid).status_code == 200
    finally:
        running.stop()


def test_bucket_store_is_bounded() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    limiter = RateLimit(app, per_minute=60, tokens=[TOKEN], max_clients=500)

    async def flood() -> None:
        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            pass

        for i in range(5_000):
            scope = {
                "type": "http",
                "headers": [(b"authorization", f"Bearer made-up-{i}".encode())],
                "client": (f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", 1234),
            }
            await limiter(scope, receive, send)

    asyncio.run(flood())
    assert len(limiter.buckets) <= 500
    assert all(key.startswith("ip:") for key in limiter.buckets)  # made-up tokens: anonymous


def test_chunked_body_over_the_limit_is_413(server) -> None:
    limit = server.config.max_body_bytes

    def chunks() -> Iterator[bytes]:
        yield b'{"verifiableCredential": {"name": "'
        for _ in range(limit // 10_000 + 2):
            yield b"x" * 10_000
        yield b'"}}'

    with httpx.Client(base_url=server.url, timeout=60) as client:
        response = client.post(
            "/credentials/verify", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "REQUEST_TOO_LARGE"


def test_slow_verify_on_the_page_does_not_block_other_requests(
    server, monkeypatch: pytest.MonkeyPatch
) -> None:
    import microcred_vc.api

    real_verify = microcred_vc.api.verify
    started = threading.Event()

    def slow_verify(*args: Any, **kwargs: Any) -> Any:  # a test double: 3 s of "work"
        started.set()
        time.sleep(3)
        return real_verify(*args, **kwargs)

    monkeypatch.setattr(microcred_vc.api, "verify", slow_verify)
    result: dict[str, int] = {}

    def submit() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            result["code"] = client.post("/", data={"credential": "{}"}).status_code

    worker = threading.Thread(target=submit)
    worker.start()
    try:
        assert started.wait(20), "the slow verify never started"
        begin = time.monotonic()
        with httpx.Client(base_url=server.url, timeout=60) as client:
            assert client.get("/openapi.json").status_code == 200
        waited = time.monotonic() - begin
    finally:
        worker.join(60)
    assert waited < 1.5, f"a concurrent request waited {waited:.1f} s for the slow verify"
    assert result["code"] == 200


def test_cache_never_keeps_a_build_older_than_the_last_invalidation() -> None:
    """Writers bump the truth and invalidate; builders cache what they read.

    Property: once ``invalidate`` has returned after the truth became v, every
    later read of the cache sees nothing or a value >= v.
    """
    from microcred_vc.server.cache import ListCache

    cache: Any = ListCache()
    truth = {"v": 0}
    truth_lock = threading.Lock()
    violations: list[tuple[int, int]] = []
    stop = threading.Event()

    def build() -> int:
        with truth_lock:
            seen = truth["v"]
        time.sleep(random.random() / 1000)  # a slow signature
        return seen

    def builder() -> None:
        while not stop.is_set():
            cache.get_or_build("L", "url", build)

    def writer() -> None:
        for _ in range(300):
            with truth_lock:
                truth["v"] += 1
                now = truth["v"]
            cache.invalidate("L" if now % 3 else None)
            time.sleep(random.random() / 2000)
            got = cache.get("L", "url")
            if got is not None and got < now:
                violations.append((got, now))

    threads = [threading.Thread(target=builder) for _ in range(6)]
    for thread in threads:
        thread.start()
    writers = [threading.Thread(target=writer) for _ in range(2)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in threads:
        thread.join()
    assert not violations, violations[:5]
