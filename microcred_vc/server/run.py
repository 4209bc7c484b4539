"""Start the service with uvicorn, in the foreground or in a background thread."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from microcred_vc.server.app import create_app
from microcred_vc.server.config import ServerConfig, load_config
from microcred_vc.server.protocol import configure_protocol, uvicorn_config

#: How ``serve`` tells its worker processes what to load (they are spawned, not forked).
_WORKER_ENV = "MICROCRED_SERVE_WORKER"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def public_url_warning(config: ServerConfig) -> str | None:
    """Why an operator should set ``public_url``, when it is not set.

    Without it, credentials name their status lists at this socket's address
    (``http://127.0.0.1:8080/status/…``), which no verifier elsewhere can reach,
    and a later ``public_url`` cannot change what was already signed.
    """
    if config.public_url_given:
        return None
    return (
        f"warning: public_url is not set; credentials issued now name their status lists at "
        f"{config.status_base_url}/…, which verifiers elsewhere cannot reach. Set public_url "
        f'in {config.data_dir / "settings.toml"} ([server] public_url = "https://…").'
    )


def default_workers() -> int:
    """One worker per core this process may run on (verification is CPU-bound)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def worker_share(config: ServerConfig, workers: int) -> ServerConfig:
    """The limits one of ``workers`` processes enforces so that together they keep the cap.

    ``max_connections`` bounds the descriptors the whole service holds (the
    defence against connection floods): each worker enforces only its own, so
    each gets an equal share, rounded up. The kernel does not balance accepts,
    so a busy worker may refuse while another has room; the total never exceeds
    the setting (plus the rounding). The rate limit stays per worker (a client's
    keep-alive connection stays on one worker; splitting its budget would throttle
    legitimate clients), which docs/security.md states.
    """
    if workers <= 1:
        return config
    return dataclasses.replace(
        config, max_connections=max(1, math.ceil(config.max_connections / workers))
    )


def prepare_shared_state(config: ServerConfig) -> None:
    """Create what workers share before any starts: the key files and the status schema.

    Each worker would otherwise create a missing key on first use, and two workers
    racing would each sign with a key of its own (one file wins, the other's
    credentials name a key nobody publishes). The API token file is made by
    ``load_config`` in this parent process already. Status indexes need nothing
    here: every allocation is a committed INSERT on the shared database (SQLite in
    WAL mode with BEGIN IMMEDIATE, or PostgreSQL), never an in-process counter.
    """
    from microcred_vc.server.config import KEY_TYPES_BY_SUITE_PREFIX, server_key
    from microcred_vc.status import StatusRegistry

    for key_type in sorted(set(KEY_TYPES_BY_SUITE_PREFIX.values())):
        server_key(config, key_type)
    StatusRegistry(config.status_url)


def worker_app() -> Any:
    """The app of one worker process: ``uvicorn`` calls this factory in each worker."""
    args = json.loads(os.environ[_WORKER_ENV])
    config = load_config(
        args["data_dir"], config_file=args["config_file"], host=args["host"], port=args["port"]
    )
    config = worker_share(config, int(args["workers"]))
    configure_protocol(config)
    return create_app(config)


def serve(
    data_dir: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    config_file: str | Path | None = None,
    workers: int | None = None,
) -> None:
    """Run the service; ``workers`` processes (default: the core count) share the socket."""
    workers = default_workers() if workers is None else workers
    config = load_config(data_dir, config_file=config_file, host=host, port=port)
    warning = public_url_warning(config)
    if warning:
        print(warning, file=sys.stderr)
    if workers <= 1:
        uvicorn.Server(uvicorn_config(create_app(config), config, host=host, port=port)).run()
        return
    prepare_shared_state(config)
    os.environ[_WORKER_ENV] = json.dumps(
        {
            "data_dir": str(Path(data_dir).resolve()),
            "config_file": None if config_file is None else str(Path(config_file).resolve()),
            "host": host,
            "port": port,
            "workers": workers,
        }
    )
    from uvicorn.supervisors import Multiprocess

    uv = uvicorn_config(
        f"{__name__}:worker_app",
        worker_share(config, workers),
        host=host,
        port=port,
        workers=workers,
    )
    Multiprocess(uv, sockets=[uv.bind_socket()]).run()


@dataclass
class RunningServer:
    """A server on a real socket in a daemon thread (tests and the demo)."""

    config: ServerConfig
    url: str
    server: Any
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_background(
    data_dir: str | Path, *, host: str = "127.0.0.1", port: int | None = None, **overrides: Any
) -> RunningServer:
    chosen = port or free_port(host)
    config = load_config(data_dir, host=host, port=chosen, overrides=overrides)
    server = uvicorn.Server(
        uvicorn_config(create_app(config), config, host=host, port=chosen, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    return RunningServer(config, f"http://{host}:{chosen}", server, thread)
