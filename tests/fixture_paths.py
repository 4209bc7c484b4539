"""Where the shared, read-only reference data lives (never copied into the repo)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(os.environ.get("MICROCRED_FIXTURES", REPO.parent / "shared" / "fixtures"))
SHARED_DOCS = FIXTURES.parent / "docs"
