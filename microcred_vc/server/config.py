"""Server settings and the data directory: keys, status database, API tokens.

Everything the service needs lives in one folder so it can be backed up and
moved: issuer keys (created on first start, mode 0600), the SQLite status
registry (or a PostgreSQL URL in the settings) and ``settings.toml``. API
tokens come from the settings file or ``MICROCRED_API_TOKENS``; if neither
gives one, a random token is generated once and stored (0600) so issuing is
never open to anyone by accident.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microcred_vc.errors import ConfigError

KEY_TYPES_BY_SUITE_PREFIX = {
    "eddsa": "Ed25519",
    "Ed25519Signature2020": "Ed25519",
    "ecdsa": "P-256",
}


@dataclass
class ServerConfig:
    data_dir: Path
    tokens: list[str] = field(default_factory=list)
    public_url: str = "http://127.0.0.1:8080"
    #: False when public_url was not configured (it then names this socket, see serve()).
    public_url_given: bool = True
    status_db: str | None = None
    cors_origins: list[str] = field(default_factory=list)
    max_body_bytes: int = 2_000_000
    rate_limit_per_minute: int = 6000
    status_list: str = "revocation-1"
    suspension_list: str = "suspension-1"
    # Bounds against slow or numerous clients (docs/security.md, "HTTP service").
    header_timeout: float = 10.0  # s from a request's first byte to its last header
    body_timeout: float = 30.0  # s for the whole request body
    keep_alive_timeout: int = 5  # s an idle keep-alive connection stays open
    max_connections: int = 500  # open connections (and requests in progress)
    max_header_bytes: int = 16_384  # request line plus headers
    backlog: int = 128  # connections queued by the kernel before accept
    rate_limit_max_clients: int = 10_000  # token buckets remembered (LRU)
    #: The institution's did:web (e.g. "did:web:example.edu"): the server's keys are
    #: created with it as controller and GET /.well-known/did.json serves their DID
    #: document to publish. None: each key is its own did:key.
    did_web: str | None = None
    #: Issuer trust registry files (allow-list, DCC registry, EBSI TIR responses; see
    #: microcred_vc.trust) the verify API and page consult; relative paths are read from
    #: the data dir. Empty: every report says the issuer is not vouched for.
    trust_registries: list[str] = field(default_factory=list)

    @property
    def status_url(self) -> str:
        return self.status_db or f"sqlite:///{self.data_dir / 'status.db'}"

    @property
    def status_base_url(self) -> str:
        return f"{self.public_url.rstrip('/')}/status"


def _token_file(data_dir: Path) -> Path:
    return data_dir / "api-token"


def _ensure_token(data_dir: Path) -> list[str]:
    path = _token_file(data_dir)
    if path.is_file():
        return [path.read_text().strip()]
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(token + "\n")
    return [token]


def load_config(
    data_dir: str | Path,
    *,
    config_file: str | Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8080,
    overrides: dict[str, Any] | None = None,
) -> ServerConfig:
    """Settings from ``settings.toml`` in the data dir (or ``config_file``) and the environment."""
    root = Path(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    settings: dict[str, Any] = {}
    source = Path(config_file) if config_file else root / "settings.toml"
    if source.is_file():
        try:
            settings = tomllib.loads(source.read_text(encoding="utf-8")).get("server", {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source} is not valid TOML: {exc}") from exc
    elif config_file:
        raise ConfigError(f"config file not found: {config_file}")
    settings.update(overrides or {})
    env_tokens = [
        t.strip() for t in os.environ.get("MICROCRED_API_TOKENS", "").split(",") if t.strip()
    ]
    tokens = list(settings.pop("tokens", [])) + env_tokens
    known = set(ServerConfig.__dataclass_fields__) - {"data_dir", "tokens", "public_url_given"}
    unknown = set(settings) - known
    if unknown:
        raise ConfigError(f"unknown server setting(s): {', '.join(sorted(unknown))}")
    if "public_url" not in settings:
        settings["public_url"] = f"http://{host}:{port}"
        settings["public_url_given"] = False
    if settings.get("did_web") is not None:
        from microcred_vc.errors import MicrocredError
        from microcred_vc.keys.document import did_web

        try:
            settings["did_web"] = did_web(str(settings["did_web"]))
        except MicrocredError as exc:
            raise ConfigError(f"server setting did_web: {exc.message}") from exc
    config = ServerConfig(data_dir=root, tokens=tokens or _ensure_token(root), **settings)
    if any(len(t) < 16 for t in config.tokens):
        raise ConfigError("API tokens must be at least 16 characters long")
    _check_bounds(config)
    return config


_POSITIVE = (
    "max_body_bytes",
    "rate_limit_per_minute",
    "header_timeout",
    "body_timeout",
    "keep_alive_timeout",
    "max_connections",
    "max_header_bytes",
    "backlog",
    "rate_limit_max_clients",
)


def _check_bounds(config: ServerConfig) -> None:
    """Every bound must be a positive number: 0 or a typo must not switch a limit off."""
    for name in _POSITIVE:
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"server setting {name} must be a positive number, not {value!r}")


def server_key(config: ServerConfig, key_type: str) -> Any:
    """The server's key of this type, created on first use (controlled by ``did_web`` if set).

    A stored key of another controller is refused rather than relabelled: the
    credentials it signed name that controller, and its DID document lists it.
    """
    from microcred_vc.keys import KeyPair, generate_key

    keys = config.data_dir / "keys"
    keys.mkdir(exist_ok=True, mode=0o700)
    path = keys / f"{key_type}.json"
    if path.is_file():
        key = KeyPair.load(path)
        wanted = config.did_web or key.public.did
        if key.did != wanted:
            raise ConfigError(
                f"{path} belongs to {key.did}, but the server is configured as {wanted}; "
                "move the key file away to create a key for the configured DID"
            )
        return key
    key = generate_key(key_type, controller=config.did_web)
    key.save(path)
    return key


def key_type_for_suite(suite: str) -> str:
    for prefix, key_type in KEY_TYPES_BY_SUITE_PREFIX.items():
        if suite.startswith(prefix):
            return key_type
    raise ConfigError(f"no server key type for cryptosuite {suite!r}")
