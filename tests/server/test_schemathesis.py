"""Property-based requests generated from our own OpenAPI: never a 5xx."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

PER_OPERATION = 40


def _exercise(operation: Any, base_url: str, headers: dict[str, str]) -> list[int]:
    calls: list[int] = []

    @settings(
        max_examples=PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=60)
        calls.append(response.status_code)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
        )

    check()
    return calls


def test_generated_requests_never_5xx(server, auth) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    total = sum(len(_exercise(op, server.url, auth)) for op in operations)
    assert total >= 200, f"only {total} generated requests"
