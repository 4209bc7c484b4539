"""``Idempotency-Key`` for the issuing POSTs (IETF draft-ietf-httpapi-idempotency-key-header).

A plugin that lost the answer to a POST sends it again with the same key and
gets the same answer: same status, same body, the same credential or job, no
second status index. The key is remembered per API token (one client's keys
never collide with another's) together with a fingerprint of what was asked
(method, path, query, body); following the draft, the same key with another
request is 422 and a key whose first request is still running is 409.
Only successful answers are stored: a refused request may be corrected and
sent again under the same key.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from microcred_vc.server.middleware import token_id
from microcred_vc.server.state import ServerState, problem

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
WAIT_SECONDS = 30.0


def _key(raw: str) -> str | JSONResponse:
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':  # the draft's sf-string form
        key = key[1:-1]
    if not key or len(key) > MAX_KEY_LENGTH or not all(" " <= c <= "~" for c in key):
        return problem(
            400,
            "IDEMPOTENCY_KEY_INVALID",
            "Invalid Idempotency-Key",
            f"{HEADER} must be 1-{MAX_KEY_LENGTH} printable ASCII characters (e.g. a UUID)",
        )
    return key


async def answer_once(
    request: Request,
    state: ServerState,
    token: str,
    body: bytes,
    run: Callable[[], JSONResponse],
) -> JSONResponse:
    """:func:`idempotent` for a route: the key, request line and body taken from
    ``request``, the work run off the event loop (it signs and writes the database)."""
    line = f"POST {request.url.path}?{request.url.query}"
    key = request.headers.get(HEADER.lower())
    return await run_in_threadpool(idempotent, state, key, token, line, body, run)


def idempotent(
    state: ServerState,
    raw_key: str | None,
    token: str,
    request_line: str,
    body: bytes,
    run: Callable[[], JSONResponse],
) -> JSONResponse:
    """``run()`` once per (client, key); a repeat of the same request gets the stored answer."""
    if raw_key is None:
        return run()
    key = _key(raw_key)
    if isinstance(key, JSONResponse):
        return key
    scope = f"{token_id(token)}:{key}"
    wanted = hashlib.sha256(request_line.encode() + b"\n" + body).hexdigest()
    store = state.store
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        outcome, row = store.claim_key(scope, wanted)
        if outcome == "claimed":
            break
        if row.fingerprint != wanted:
            return problem(
                422,
                "IDEMPOTENCY_KEY_REUSED",
                "Idempotency-Key reused",
                f"this {HEADER} was used for another request; use a new key for a new request",
            )
        if outcome == "done":
            replay = JSONResponse(json.loads(row.body), status_code=row.status_code)
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
        if time.monotonic() > deadline:
            response = problem(
                409,
                "IDEMPOTENCY_KEY_IN_PROGRESS",
                "Request in progress",
                f"the first request with this {HEADER} is still running; retry in a moment",
            )
            response.headers["Retry-After"] = "1"
            return response
        time.sleep(0.05)
    try:
        response = run()
    except BaseException:
        store.release_key(scope)
        raise
    if 200 <= response.status_code < 300:
        store.finish_key(scope, response.status_code, json.loads(bytes(response.body)))
    else:
        store.release_key(scope)
    return response
