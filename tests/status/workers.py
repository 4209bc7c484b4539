"""Issuer processes for the concurrency tests (spawned; kept free of pytest imports
so each child starts fast)."""

from __future__ import annotations

import os
from multiprocessing.connection import Connection
from typing import Any

from microcred_vc.status import StatusRegistry


def allocate_many(url: str, list_id: str, count: int, allocation: str) -> list[int]:
    registry = StatusRegistry(url, allocation=allocation)  # type: ignore[arg-type]
    try:
        return [registry.allocate(list_id, "revocation") for _ in range(count)]
    finally:
        registry.close()


def allocate_then_crash(url: str, list_id: str, report: Connection) -> None:
    """Reserve an index, tell the parent, then die before 'issuing' anything."""
    registry = StatusRegistry(url, allocation="sequential")
    index = registry.allocate(list_id, "revocation", credential_id="urn:uuid:never-issued")
    report.send(index)  # a Pipe send is synchronous, unlike a Queue's feeder thread
    os._exit(3)  # no clean-up, no close(): like a killed issuer


def allocate_forever(url: str, list_id: str, report: Connection) -> None:
    registry = StatusRegistry(url)
    while True:
        report.send(registry.allocate(list_id, "revocation"))


def revoke_and_vanish(url: str, list_id: str, index: int) -> None:
    registry = StatusRegistry(url)
    registry.set_status(index, list_id=list_id, revoked=True, reason="durable")
    os._exit(0)  # no close, no dispose: only what set_status committed survives


def allocate_blocks(url: str, list_id: str, blocks: int, size: int, allocation: str) -> list[int]:
    """``blocks`` calls of ``allocate_many`` of ``size`` indexes each (credential ids
    name the process and position, so the parent can check what was recorded)."""
    registry = StatusRegistry(url, allocation=allocation)  # type: ignore[arg-type]
    me = os.getpid()
    try:
        got: list[int] = []
        for b in range(blocks):
            ids = [f"urn:test:{me}:{b}:{i}" for i in range(size)]
            got += registry.allocate_many(list_id, "revocation", ids)
        return got
    finally:
        registry.close()


def open_fresh(url: str, barrier: Any) -> str:
    """Open a registry at the same moment as the others (``barrier``); its outcome."""
    barrier.wait()
    try:
        StatusRegistry(url).close()
    except Exception as exc:  # the test reports what went wrong, in this process's words
        return f"{type(exc).__name__}: {exc}"
    return "ok"
