"""Request size limit and per-client rate limit, as plain ASGI middleware.

The size limit counts the bytes actually received, not just Content-Length,
so a chunked upload cannot slip past it; both answer with problem details.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

Scope = dict[str, Any]


async def _problem(send: Any, status: int, code: str, title: str, detail: str) -> None:
    body = json.dumps({"code": code, "title": title, "detail": detail, "status": status}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _too_large(self, send: Any) -> None:
        detail = f"the limit is {self.max_bytes} bytes"
        await _problem(send, 413, "REQUEST_TOO_LARGE", "Request too large", detail)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        received = 0
        started = False

        async def limited_receive() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._too_large(send)


class RateLimit:
    """Token bucket per client (bearer token if any, else the peer address)."""

    def __init__(self, app: Any, per_minute: int) -> None:
        self.app = app
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def _client(self, scope: Scope) -> str:
        for name, value in scope.get("headers") or []:
            if name == b"authorization":
                return "tok:" + value.decode("latin-1")[-16:]
        client = scope.get("client") or ("?", 0)
        return f"ip:{client[0]}"

    def _allow(self, client: str) -> bool:
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self.buckets[client] = (tokens, now)
                return False
            self.buckets[client] = (tokens - 1.0, now)
            return True

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not self._allow(self._client(scope)):
            await _problem(
                send, 429, "RATE_LIMITED", "Too many requests", "slow down and retry later"
            )
            return
        await self.app(scope, receive, send)
