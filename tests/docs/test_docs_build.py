"""The docs site builds in strict mode: a broken link or reference fails the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.fixture_paths import REPO


def test_mkdocs_strict_build(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    proc = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    site = tmp_path / "site"
    mapping = (site / "reference" / "mapping" / "index.html").read_text()
    assert "Learner identification" in mapping and "creditsAvailable" in mapping
    errors = (site / "reference" / "errors" / "index.html").read_text()
    assert "CANON_BUDGET_EXCEEDED" in errors and "CONTEXT_NOT_ALLOWED" in errors
    assert "JWT_KEY_SELF_ASSERTED" in errors and "SEAL_UNTRUSTED" in errors  # check codes
    assert "issue-batch" in (site / "reference" / "cli" / "index.html").read_text()
    assert "/credentials/verify" in (site / "reference" / "http" / "index.html").read_text()
    assert "canonicalize_nquads" in (site / "reference" / "api" / "index.html").read_text()
