"""Request body limits and per-client rate limits, as plain ASGI middleware.

Both answer with problem details before any route runs, and both are bounds
against a hostile client rather than conveniences:

* :class:`BodySizeLimit` reads the whole body itself, counting the bytes that
  actually arrive (a chunked upload has no Content-Length to trust) and under
  one deadline for the whole body (a client dribbling a byte a second must not
  hold a worker). Over the limit is 413, too slow is 408; both close the
  connection so the rest of an oversized body is never read.
* The same middleware holds JSON bodies to the library's strict reading
  (:func:`strict_json_problem`): FastAPI's own decoder lets a duplicate
  member name win silently (a second ``proof`` after the first) and accepts
  ``NaN``; the library's parser refuses both, so the HTTP path must too.
* :class:`RateLimit` keys its token buckets on who the client *is*: the id of a
  valid API token, otherwise the peer address. Keying on whatever the
  Authorization header says would give every made-up token a fresh bucket.
  The bucket store is an LRU of bounded size, so many addresses cannot grow it
  without limit.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from microcred_vc.errors import InputTooLarge, MicrocredError
from microcred_vc.jsonld.limits import check_limits, strict_loads

Scope = dict[str, Any]
#: Distinct clients the rate limiter remembers (least recently seen forgotten first).
DEFAULT_MAX_CLIENTS = 10_000


async def _problem(send: Any, status: int, code: str, title: str, detail: str) -> None:
    body = json.dumps({"code": code, "title": title, "detail": detail, "status": status}).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if status in (408, 413):  # the rest of the body is not wanted: close after answering
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """413 for a body over ``max_bytes`` (however sent), 408 when it takes over ``timeout`` s."""

    def __init__(self, app: Any, max_bytes: int, timeout: float | None = 30.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

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
        loop = asyncio.get_running_loop()
        deadline = None if self.timeout is None else loop.time() + self.timeout
        chunks: list[bytes] = []
        received = 0
        while True:
            remaining = None if deadline is None else max(0.0, deadline - loop.time())
            try:
                message = await asyncio.wait_for(receive(), remaining)
            except TimeoutError:
                detail = f"the request body must arrive within {self.timeout} s"
                await _problem(send, 408, "REQUEST_TIMEOUT", "Request body too slow", detail)
                return
            if message["type"] == "http.disconnect":
                return  # the client left; nobody to answer
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._too_large(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        refusal = await strict_json_problem(headers, body)
        if refusal is not None:
            await _problem(send, 400, refusal.code, refusal.title, refusal.message)
            return
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: disconnect notifications

        await self.app(scope, replay, send)


#: Bodies above this size are checked in a worker thread, off the event loop.
_INLINE_JSON_BYTES = 64_000


def _strict_reading(body: bytes) -> MicrocredError | None:
    try:
        obj = strict_loads(body)
        check_limits(obj)
    except MicrocredError as exc:  # duplicate member, NaN/Infinity, depth or node caps
        return exc
    except RecursionError:
        return InputTooLarge("the request body is nested too deeply")
    except ValueError:
        return None  # not JSON at all: the route's own validation answers that (422)
    return None


async def strict_json_problem(headers: dict[bytes, bytes], body: bytes) -> MicrocredError | None:
    """The error a JSON request body earns under the library's strict parser, if any."""
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if not body or not (content_type == b"application/json" or content_type.endswith(b"+json")):
        return None
    if len(body) <= _INLINE_JSON_BYTES:
        return _strict_reading(body)
    return await asyncio.to_thread(_strict_reading, body)


def token_id(token: str) -> str:
    """A short, non-secret name for an API token (its bucket key, safe to log)."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


class RateLimit:
    """Token bucket per client: a valid API token's id, else the peer address."""

    def __init__(
        self,
        app: Any,
        per_minute: int,
        tokens: Iterable[str] = (),
        max_clients: int = DEFAULT_MAX_CLIENTS,
    ) -> None:
        self.app = app
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.tokens = [t.encode() for t in tokens]
        self.max_clients = max_clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def _valid_token(self, header: bytes) -> bytes | None:
        scheme, _, given = header.partition(b" ")
        given = given.strip()
        if scheme.lower() != b"bearer" or not given:
            return None
        # Compare with every token (no early exit), like the route's own check.
        matches = [t for t in self.tokens if hmac.compare_digest(given, t)]
        return matches[0] if matches else None

    def client_key(self, scope: Scope) -> str:
        """Who is asking: an authenticated token, or else where the request came from."""
        for name, value in scope.get("headers") or []:
            if name == b"authorization":
                valid = self._valid_token(value)
                if valid is not None:
                    return "tok:" + token_id(valid.decode("latin-1"))
                break  # an invalid token counts as anonymous
        client = scope.get("client") or ("?", 0)
        return f"ip:{client[0]}"

    def _allow(self, client: str) -> bool:
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            self.buckets[client] = (tokens - 1.0 if allowed else tokens, now)
            while len(self.buckets) > self.max_clients:
                self.buckets.popitem(last=False)  # forget the least recently seen
            return allowed

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not self._allow(self.client_key(scope)):
            await _problem(
                send, 429, "RATE_LIMITED", "Too many requests", "slow down and retry later"
            )
            return
        await self.app(scope, receive, send)
