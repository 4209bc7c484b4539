"""Start the service with uvicorn, in the foreground or in a background thread."""

from __future__ import annotations

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
from microcred_vc.server.protocol import uvicorn_config


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


def serve(
    data_dir: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    config_file: str | Path | None = None,
) -> None:
    config = load_config(data_dir, config_file=config_file, host=host, port=port)
    warning = public_url_warning(config)
    if warning:
        print(warning, file=sys.stderr)
    uvicorn.Server(uvicorn_config(create_app(config), config, host=host, port=port)).run()


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
