"""Session-wide test settings."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.fixture_paths import FIXTURES

settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_report_header(config: pytest.Config) -> str:
    return f"microcred_vc fixtures: {FIXTURES}"


@pytest.fixture(scope="session")
def fixtures_dir():
    if not FIXTURES.is_dir():
        pytest.fail(f"reference fixtures not found at {FIXTURES}; clone with ../shared beside it")
    return FIXTURES
