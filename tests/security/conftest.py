"""Signed samples of every format, shared by the tamper matrix and the edge-case tests."""

from __future__ import annotations

import pytest

from microcred_vc.jsonld.loader import DocumentLoader
from tests.security.samples import Sample, build_samples, fixture_loader


@pytest.fixture(scope="session")
def samples() -> dict[str, Sample]:
    """One signed credential per format and suite (keys and PKI generated per run)."""
    return build_samples()


@pytest.fixture(scope="session")
def ob3_loader() -> DocumentLoader:
    """The library's contexts plus the official OB 3.0 context copies."""
    return fixture_loader()
