"""A real server on 127.0.0.1 for the whole module (uvicorn in a thread)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from microcred_vc.server.run import RunningServer, start_background

TOKEN = "test-token-0123456789abcdef"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    data_dir: Path = tmp_path_factory.mktemp("server")
    running = start_background(data_dir, tokens=[TOKEN], max_body_bytes=300_000)
    yield running
    running.stop()


@pytest.fixture()
def client(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


@pytest.fixture()
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def server_did(server: RunningServer, suite: str = "eddsa-rdfc-2022") -> str:
    """The DID the server signs ``suite`` with (its key is created here if it is not yet)."""
    from microcred_vc.server.config import key_type_for_suite, server_key

    return server_key(server.config, key_type_for_suite(suite)).did


def as_issuer(server: RunningServer, credential: dict, suite: str = "eddsa-rdfc-2022") -> dict:
    """``credential`` naming the server as issuer: the server never fills one in."""
    from types import SimpleNamespace

    from tests.issuing import issued_by

    return issued_by(credential, SimpleNamespace(did=server_did(server, suite)))
