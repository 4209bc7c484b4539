"""Filling a status list the fast way, for the list-full tests (131,072 allocations one
by one would take minutes; one bulk INSERT takes a second)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert

from microcred_vc.status import StatusRegistry, schema
from microcred_vc.status.bitstring import MIN_ENTRIES


def fill_all_but(registry: StatusRegistry, list_id: str, free: set[int]) -> None:
    """Create ``list_id`` and allocate every index of it except ``free``."""
    registry.create_list(list_id, "revocation")
    rows = [
        {"list_id": list_id, "idx": i, "status": 0, "allocated_at": datetime.now(UTC)}
        for i in range(MIN_ENTRIES)
        if i not in free
    ]
    with registry._write() as conn:
        conn.execute(insert(schema.status_entries), rows)
