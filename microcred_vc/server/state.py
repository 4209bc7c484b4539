"""What the app and its routes share: the server state, problem responses, the token check.

Apart from ``app.py`` so the routes need not import the module that includes
them (issue 15: no import circles).
"""

from __future__ import annotations

import hmac
import threading
from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from microcred_vc.server.cache import ListCache
from microcred_vc.server.config import ServerConfig, key_type_for_suite, server_key

PROBLEM = "application/problem+json"


def problem(status: int, code: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"code": code, "title": title, "detail": detail, "status": status, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


class ServerState:
    """What the routes share: settings, keys by type, the status registry."""

    def __init__(self, config: ServerConfig) -> None:
        from microcred_vc.status import StatusRegistry

        self.config = config
        self.registry = StatusRegistry(config.status_url)
        self._keys: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._store: Any = None
        # Signed lists by (list_id, url); see cache.py for why builds are generation-checked.
        self.list_cache: ListCache[dict[str, Any]] = ListCache()

    def key_for_suite(self, suite: str, key_type: str | None = None) -> Any:
        """The server's key for ``suite`` (of ``key_type``, default: the suite's usual one)."""
        key_type = key_type or key_type_for_suite(suite)
        with self._lock:
            if key_type not in self._keys:
                self._keys[key_type] = server_key(self.config, key_type)
            return self._keys[key_type]

    def issuer_did(self, suite: str = "eddsa-rdfc-2022", key_type: str | None = None) -> str:
        """The DID credentials issued with ``suite`` (and ``key_type``) must name as issuer."""
        return self.key_for_suite(suite, key_type).did

    @property
    def store(self) -> Any:
        """Courses, learner claims, idempotency keys and jobs (``store.py``), opened on first use."""
        with self._lock:
            if self._store is None:
                from microcred_vc.server.store import ServerStore

                self._store = ServerStore(self.config.status_url)
            return self._store

    def invalidate(self, list_id: str | None = None) -> None:
        """After a status change: drop cached lists, and any build already under way."""
        self.list_cache.invalidate(list_id)


_bearer = HTTPBearer(
    auto_error=False, description="API token (settings.toml or MICROCRED_API_TOKENS)"
)


def require_token(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> str:
    state: ServerState = request.app.state.microcred
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )
    given = credentials.credentials.encode()
    if not any(hmac.compare_digest(given, t.encode()) for t in state.config.tokens):
        raise HTTPException(
            401, "the bearer token is not valid", headers={"WWW-Authenticate": "Bearer"}
        )
    return credentials.credentials
