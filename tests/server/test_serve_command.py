"""`microcred serve` as an operator starts it: a real process on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from microcred_vc.server.config import load_config, server_key
from microcred_vc.server.run import free_port
from tests.fixture_paths import REPO


def test_microcred_serve_process(tmp_path: Path) -> None:
    port = free_port()
    token = "process-token-0123456789abcdef"
    exe = Path(sys.executable).with_name("microcred")
    # this checkout's package, not whichever one the interpreter has installed
    env = {**os.environ, "MICROCRED_API_TOKENS": token, "PYTHONPATH": str(REPO)}
    # the operator's key exists before the server starts; credentials name its DID as
    # issuer (the server never fills one in)
    config = load_config(tmp_path, overrides={"tokens": [token]})
    issuer = server_key(config, "Ed25519").did
    proc = subprocess.Popen(
        [
            str(exe),
            "serve",
            "--data-dir",
            str(tmp_path),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",  # one process: tests/server/test_workers.py covers several
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        body = {
            "credential": {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
                "issuer": issuer,
                "credentialSubject": {"id": "did:example:learner"},
            }
        }
        issued = httpx.post(
            f"{base}/credentials/issue",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert issued.status_code == 201, issued.text
        vc = issued.json()["verifiableCredential"]
        verified = httpx.post(
            f"{base}/credentials/verify", json={"verifiableCredential": vc}, timeout=30
        )
        assert verified.status_code == 200 and verified.json()["verified"] is True
        assert vc["issuer"] == issuer
        assert (tmp_path / "keys" / "Ed25519.json").exists()
        assert (tmp_path / "status.db").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
