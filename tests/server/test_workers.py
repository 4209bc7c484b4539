"""`microcred serve --workers 2`: two processes on one socket share keys and status indexes.

Oracle (properties): every answer to concurrent requests is a success (201 for
issuing, 200 for verifying, no 429/500/503 and no "database is locked"), the
status indexes handed out by the two processes are all distinct (they come
from the shared database, not per-process counters), and every credential
names the one issuer key both workers load. No timing assertions.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from microcred_vc.server.config import load_config, server_key
from microcred_vc.server.run import free_port
from tests.fixture_paths import REPO

TOKEN = "workers-token-0123456789abcdef"
COUNT = 48


def _wait_until_up(proc: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + 180  # spawned workers import everything afresh
    while True:
        try:
            if httpx.get(f"{base}/openapi.json", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.3)


def test_two_workers_concurrent_issue_and_verify(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "MICROCRED_API_TOKENS": TOKEN, "PYTHONPATH": str(REPO)}
    code = "import sys; from microcred_vc.cli import main; sys.exit(main())"
    args = ["serve", "--data-dir", str(tmp_path), "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, base)
        # the parent created the key before the workers started: this reads that file
        issuer = server_key(load_config(tmp_path, overrides={"tokens": [TOKEN]}), "Ed25519").did
        body = {
            "credential": {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
                "issuer": issuer,
                "credentialSubject": {"id": "did:example:learner"},
            },
            "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
        }
        auth = {"Authorization": f"Bearer {TOKEN}"}

        def issue(_: int) -> httpx.Response:
            with httpx.Client(base_url=base, timeout=120) as c:
                return c.post("/credentials/issue", json=body, headers=auth)

        with ThreadPoolExecutor(16) as pool:
            issued = list(pool.map(issue, range(COUNT)))
        assert [r.status_code for r in issued] == [201] * COUNT, [r.text for r in issued][:3]
        vcs = [r.json()["verifiableCredential"] for r in issued]
        assert {vc["issuer"] for vc in vcs} == {issuer}
        indexes = [vc["credentialStatus"]["statusListIndex"] for vc in vcs]
        assert len(set(indexes)) == COUNT

        def verify(vc: dict) -> httpx.Response:
            with httpx.Client(base_url=base, timeout=120) as c:
                return c.post("/credentials/verify", json={"verifiableCredential": vc})

        with ThreadPoolExecutor(16) as pool:
            verified = list(pool.map(verify, vcs))
        failed = [r.text for r in verified if r.status_code != 200]
        assert not failed, failed[:3]
        assert all(r.json()["verified"] is True for r in verified)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
