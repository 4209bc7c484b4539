"""Shared fixtures for the proof tests: an offline loader over the official contexts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred_vc.jsonld.loader import DocumentLoader
from tests.fixture_paths import FIXTURES

VECTORS = FIXTURES / "di-vectors"
EDDSA = VECTORS / "vc-di-eddsa"
ECDSA = VECTORS / "vc-di-ecdsa"
OB3 = FIXTURES / "ob3"


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def loader() -> DocumentLoader:
    """The library's contexts plus the official copies (read in place, never copied)."""
    return DocumentLoader(extra_dirs=[FIXTURES / "contexts"])
