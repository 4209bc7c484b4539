"""What the app and its routes share: the server state, problem responses, the token check.

Apart from ``app.py`` so the routes need not import the module that includes
them (issue 15: no import circles).
"""

from __future__ import annotations

import hmac
import threading
from pathlib import Path
from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from microcred_vc.errors import ConfigError
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
        self.trust = _trust_registries(config)
        _follow_public_url(self.registry, config)

    def own_document(self) -> dict[str, Any] | None:
        """The DID document of the server's did:web identity (None without one)."""
        from microcred_vc.keys.document import did_document as build

        if self.config.did_web is None:
            return None
        return build([self.key_for_suite(s) for s in ("eddsa-rdfc-2022", "ecdsa-rdfc-2019")])

    def resolver(self) -> Any:
        """Offline resolution, plus the server's own DID document (it knows its keys)."""
        from microcred_vc.keys import Resolver

        own = self.own_document()
        return Resolver(documents={own["id"]: own}) if own is not None else None

    def verify_options(self) -> dict[str, Any]:
        """What every verification the server runs is given: its status registry, its own
        DID document, the configured trust registries (API, verify page, issued pages)."""
        return {"registry": self.registry, "resolver": self.resolver(), "trust": self.trust}

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


def _follow_public_url(registry: Any, config: ServerConfig) -> None:
    """Lists published under another ``public_url`` move to this one, explicitly.

    A list's URL is fixed (issue 20): the only way to move it is a recorded, logged
    relocation. Restarting the service under a new ``public_url`` is the operator's
    explicit act, so the service performs that relocation itself (reason: the new
    setting); earlier credentials keep their old URL, which the registry still
    resolves and the service still serves.
    """
    base = config.status_base_url
    for list_id in registry.lists():
        current = registry.list_info(list_id).url
        wanted = registry.list_url(list_id, base)
        if current is not None and current != wanted:
            registry.relocate(
                current, wanted, reason=f"server public_url is now {config.public_url}"
            )


def _trust_registries(config: ServerConfig) -> tuple[Any, ...]:
    """The configured registry files, read once at start-up; a bad file stops the start."""
    if not config.trust_registries:
        return ()
    from microcred_vc.errors import MicrocredError
    from microcred_vc.trust import load_trust_registry

    loaded = []
    for name in config.trust_registries:
        path = Path(name) if Path(name).is_absolute() else config.data_dir / name
        try:
            loaded.append(load_trust_registry(path))
        except MicrocredError as exc:
            raise ConfigError(f"server setting trust_registries: {exc.message}") from exc
    return tuple(loaded)


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
