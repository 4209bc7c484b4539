"""The tutorial scripts run as users run them, and say what the tutorials promise."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.fixture_paths import REPO


def _run(script: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(REPO / "examples" / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        # this checkout's package, not whichever one the interpreter has installed
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_lms_tutorial(tmp_path) -> None:
    out = _run("lms_issue.py", str(tmp_path))
    assert "failed 0" in out
    assert "verified: True - issued by did:web:micro.tudublin.example.ie" in out
    assert "after revocation: False - revoked" in out and "academic misconduct" in out
    assert len(list((tmp_path / "issued").glob("*.json"))) >= 50


def test_wallet_tutorial() -> None:
    out = _run("wallet_verify.py")
    assert out.count(": VERIFIED") == 4
    assert "tampered credential (60 ECTS instead of 5): NOT VERIFIED" in out


def test_integrator_tutorial() -> None:
    out = _run("integrator_convert.py")
    assert "re-signed OB3 verifies: True" in out
    assert "OB2 → EDC refused [CONVERSION_FAILED]" in out
    assert "OB3 → EDC:" in out and "EDC → OB3:" in out
    assert '"EuropeanDigitalCredential"' in out
