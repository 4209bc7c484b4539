"""Running the pinned Digital Bazaar packages under node, for the cross-check tests.

The scripts in ``tests/interop/node`` read one JSON request on stdin and print
one JSON answer; ``make test`` installs their packages (``make node-deps``).
A test module marks itself with :func:`needs` so it skips, saying why, only
when node or the package is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from tests.fixture_paths import REPO

NODE_DIR = REPO / "tests" / "interop" / "node"


def missing(package: str) -> str | None:
    """Why ``package`` (e.g. ``@digitalbazaar/x``) cannot run here, or None when it can."""
    if shutil.which("node") is None or not (NODE_DIR / "node_modules" / package).is_dir():
        return f"node or {package} not installed (make node-deps)"
    return None


def needs(package: str) -> pytest.MarkDecorator:
    """Skip unless node and ``package`` are installed."""
    reason = missing(package)
    return pytest.mark.skipif(reason is not None, reason=reason or "")


def run_script(script: str, request: dict[str, Any]) -> dict[str, Any]:
    """Run ``tests/interop/node/<script>`` on ``request``; its answer as JSON."""
    out = subprocess.run(
        ["node", str(NODE_DIR / script)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=NODE_DIR,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)
