"""Every bad roster row at once, before anything is issued (issue #20 item 2).

Oracle: a hand-labelled roster — each bad row was written to break exactly one rule, so
the expected (row, column, code) of each is known in advance; "nothing issued" is read
from the output folder and the status registry themselves.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from microcred_vc.batch import issue_batch
from microcred_vc.errors import RosterRowsInvalid
from microcred_vc.keys import generate_key
from microcred_vc.model import load_course_spec
from microcred_vc.status import StatusRegistry
from tests.fixture_paths import REPO

COURSE = REPO / "examples" / "course.json"
ISSUER = "did:web:micro.tudublin.example.ie"
CREATED = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)

ROWS = [
    "name,email,id,grade,completion_date",
    "Aoife Byrne,aoife.byrne@learners.example.eu,S001,A,2026-06-15",  # 2 good
    "Bad Email,not-an-email,S002,A,2026-06-15",  # 3
    ",noname@learners.example.eu,S003,A,2026-06-15",  # 4 no name
    "Bel\x07 Ringer,bel@learners.example.eu,S004,A,2026-06-15",  # 5 control character
    "Date Bad,date@learners.example.eu,S005,A,yesterday",  # 6
    "Aoife Again,AOIFE.BYRNE@learners.example.eu,S006,A,2026-06-15",  # 7 same email as 2
    "Same Id,sameid@learners.example.eu,S001,A,2026-06-15",  # 8 same id as 2
    "Extra Cell,extra@learners.example.eu,S007,A,2026-06-15,surplus",  # 9 cell with no column
    "Future Date,future@learners.example.eu,S008,A,2099-01-01",  # 10 after the issue date
    "Zoë Παπαδοπούλου,zoe@learners.example.eu,S009,B,2026-06-16",  # 11 good
]
EXPECTED = {
    (3, "email", "ROSTER_INVALID"),
    (4, "name", "ROSTER_INVALID"),
    (5, "name", "ROSTER_INVALID"),
    (6, "completion_date", "ROSTER_INVALID"),
    (7, "email", "BATCH_DUPLICATE_LEARNER"),
    (8, "id", "BATCH_DUPLICATE_LEARNER"),
    (9, "", "ROSTER_INVALID"),
    (10, "completion_date", "ROSTER_INVALID"),
}


@pytest.fixture()
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def _run(tmp_path: Path, roster: Path, registry: StatusRegistry, **options):
    return issue_batch(
        load_course_spec(COURSE),
        roster,
        generate_key("Ed25519", controller=ISSUER),
        out_dir=tmp_path / "out",
        registry=registry,
        created=CREATED,
        **options,
    )


def test_every_bad_row_in_one_error_and_nothing_issued(tmp_path: Path, roster: Path) -> None:
    with StatusRegistry(f"sqlite:///{tmp_path / 's.db'}") as registry:
        with pytest.raises(RosterRowsInvalid) as caught:
            _run(tmp_path, roster, registry)
        assert registry.lists() == [] or registry.allocated("revocation-1") == []
    found = {(p.row, p.column, p.code) for p in caught.value.problems}
    assert found == EXPECTED
    assert caught.value.code == "ROSTER_ROWS_INVALID"
    assert "8 roster rows" in caught.value.message
    assert "row 2" in next(p.message for p in caught.value.problems if p.row == 7)
    assert len(caught.value.to_dict()["rows"]) == len(EXPECTED)
    assert not list((tmp_path / "out").glob("credential-*.json"))


def test_skip_invalid_issues_the_good_rows_and_writes_rejects(tmp_path: Path, roster: Path) -> None:
    with StatusRegistry(f"sqlite:///{tmp_path / 's.db'}") as registry:
        result = _run(tmp_path, roster, registry, skip_invalid=True)
        allocated = registry.allocated("revocation-1")
    assert (result.issued, result.rejected, result.complete) == (2, 8, False)
    assert [i.row for i in result.items if i.status == "issued"] == [2, 11]
    assert len(allocated) == 2 == len(list((tmp_path / "out").glob("credential-*.json")))
    assert result.rejects_path == tmp_path / "out" / "rejects.csv"
    with result.rejects_path.open(encoding="utf-8", newline="") as handle:
        rejected = list(csv.reader(handle))
    assert rejected[0] == ["row", "reason", "name", "email", "id", "grade", "completion_date"]
    assert [int(r[0]) for r in rejected[1:]] == sorted(r for r, _, _ in EXPECTED)
    by_row = {int(r[0]): r for r in rejected[1:]}
    assert by_row[3][2:] == ROWS[2].split(",")  # the original cells, untouched
    assert by_row[9][2:] == ROWS[8].split(",")  # the cell beyond the header kept too
    assert "BATCH_DUPLICATE_LEARNER" in by_row[7][1]


def test_a_learner_issued_by_a_run_elsewhere_is_refused(tmp_path: Path, roster: Path) -> None:
    """Same status database, another output folder: the index says they have it."""
    good = tmp_path / "good.csv"
    good.write_text("\n".join([ROWS[0], ROWS[1], ROWS[10]]) + "\n", encoding="utf-8")
    with StatusRegistry(f"sqlite:///{tmp_path / 's.db'}") as registry:
        first = _run(tmp_path, good, registry)
        assert first.issued == 2
        with pytest.raises(RosterRowsInvalid) as caught:
            issue_batch(
                load_course_spec(COURSE),
                good,
                generate_key("Ed25519", controller=ISSUER),
                out_dir=tmp_path / "elsewhere",
                registry=registry,
                created=CREATED,
            )
        again = _run(tmp_path, good, registry)  # the same folder: already done
        assert len(registry.allocated("revocation-1")) == 2
    assert {(p.row, p.code) for p in caught.value.problems} == {
        (2, "BATCH_ALREADY_ISSUED"),
        (3, "BATCH_ALREADY_ISSUED"),
    }
    assert (again.skipped, again.issued) == (2, 0)
