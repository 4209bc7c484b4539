"""Checking a roster on a pool gives the plan checking it here gives (issue 22).

Oracles:
- a hand-labelled roster of 64 rows (more than two check chunks, so the pool is used)
  whose bad rows each break one rule, caught either before building (unreadable row,
  duplicate learner) or while building in a worker (a completion date after the
  issue date): the expected (row, column, code) is known in advance;
- a property: the plan made on a process pool equals the plan made in this process,
  problem for problem and document for document, in roster order;
- negative tests: a key of another controller raises ``IssuerKeyMismatch`` from a
  worker too, and a row that cannot be sent to a worker is checked here instead.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from microcred_vc.batch.plan import CHECK_CHUNK_MIN, make_plan
from microcred_vc.errors import IssuerKeyMismatch
from microcred_vc.keys import generate_key
from microcred_vc.model import load_course_spec
from microcred_vc.model.lms import roster_records
from tests.fixture_paths import REPO

COURSE = REPO / "examples" / "course.json"
ISSUER = "did:web:micro.tudublin.example.ie"
CREATED = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
BAD = {
    5: ("Bad Email,not-an-email,S{n},A,2026-06-15", "email", "ROSTER_INVALID"),
    17: ("Future,f{n}@learners.example.eu,S{n},A,2099-01-01", "completion_date", "ROSTER_INVALID"),
    30: ("Again,l3@learners.example.eu,S{n},A,2026-06-15", "email", "BATCH_DUPLICATE_LEARNER"),
    51: ("Later,f{n}@learners.example.eu,S{n},A,2030-01-01", "completion_date", "ROSTER_INVALID"),
}
ROWS = 64


@pytest.fixture(scope="module")
def pool() -> Any:
    with ProcessPoolExecutor(2) as executor:
        yield executor


def _roster(tmp_path: Path) -> Path:
    lines = ["name,email,id,grade,completion_date"]
    for n in range(2, ROWS + 2):  # spreadsheet rows: the header is row 1
        template = BAD.get(n, ("Learner {n},l{n}@learners.example.eu,S{n},A,2026-06-15",))[0]
        lines.append(template.format(n=n))
    path = tmp_path / "roster.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _plan(records: list[Any], key: Any, pool: Any) -> Any:
    return make_plan(
        load_course_spec(COURSE), records, key, format="ob3", moment=CREATED, out=None,
        journal=None, status=None, pool=pool,
    )  # fmt: skip


def test_a_pool_checks_rows_as_this_process_does(tmp_path: Path, pool: Any) -> None:
    assert ROWS > 2 * CHECK_CHUNK_MIN  # the pool path is taken
    records = list(roster_records(_roster(tmp_path)))
    key = generate_key("Ed25519", controller=ISSUER)
    here, there = _plan(records, key, None), _plan(records, key, pool)
    expected = {(row, column, code) for row, (_, column, code) in BAD.items()}
    assert {(p.row, p.column, p.code) for p in there.problems} == expected
    assert there.problems == here.problems  # same messages, same (roster) order
    assert [p.item.row for p in there.todo] == [p.item.row for p in here.todo]
    assert [p.doc for p in there.todo] == [p.doc for p in here.todo]
    assert len(there.todo) == ROWS - len(BAD)


def test_a_key_of_another_controller_is_refused_from_a_worker(tmp_path: Path, pool: Any) -> None:
    records = list(roster_records(_roster(tmp_path)))
    with pytest.raises(IssuerKeyMismatch):
        _plan(records, generate_key("Ed25519", controller="did:web:other.example"), pool)


def test_a_row_that_cannot_reach_a_worker_is_checked_here(tmp_path: Path, pool: Any) -> None:
    records = list(roster_records(_roster(tmp_path)))
    first = records[0]
    # a caller's own row object carrying something that does not pickle
    records[0] = replace(first, learner=replace(first.learner, extra={"hook": lambda: None}))
    key = generate_key("Ed25519", controller=ISSUER)
    there = _plan(records, key, pool)
    here = _plan(records, key, None)
    assert there.problems == here.problems
    assert [p.doc for p in there.todo] == [p.doc for p in here.todo]
