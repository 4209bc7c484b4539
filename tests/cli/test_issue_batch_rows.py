"""``issue-batch`` lists every bad row and can skip them (issue #20 item 2).

Oracle: a roster with hand-placed bad rows (their row numbers are known); what was
issued is read from the output folder, the rejects from the CSV the command wrote.
"""

from __future__ import annotations

import csv
from pathlib import Path


def _roster(workdir: Path) -> Path:
    roster = workdir / "roster.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()  # header + 5 good rows
    lines += [
        "Broken Row,not-an-email,,A,2026-06-15",  # row 7
        "Twice,TWICE@learners.example.eu,,A,2026-06-15",  # row 8
        "Twice Again,twice@learners.example.eu,,A,2026-06-15",  # row 9: same email
        "Bad Date,date@learners.example.eu,,A,yesterday",  # row 10
    ]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return roster


def _args(workdir: Path, key: Path, *extra: str) -> list[str]:
    return [
        "issue-batch",
        "--course",
        str(workdir / "course.json"),
        "--roster",
        str(_roster(workdir)),
        "--key",
        str(key),
        "--out",
        str(workdir / "out"),
        *extra,
    ]


def test_every_bad_row_is_listed_and_nothing_issued(run, workdir: Path, key: Path) -> None:
    result = run(*_args(workdir, key))
    assert result.code == 2
    lines = [line for line in result.err.splitlines() if line.startswith("row ")]
    assert [line.split(":")[0] for line in lines] == [
        "row 7 column email",
        "row 9 column email",
        "row 10 column completion_date",
    ]
    assert "BATCH_DUPLICATE_LEARNER" in lines[1] and "row 8" in lines[1]
    assert "error [ROSTER_ROWS_INVALID]" in result.err
    assert not list((workdir / "out").glob("credential-*.json"))


def test_skip_invalid_issues_the_rest_and_writes_rejects(run, workdir: Path, key: Path) -> None:
    rejects = workdir / "rejected.csv"
    result = run(*_args(workdir, key, "--skip-invalid", "--rejects", str(rejects)))
    assert result.code == 3, result.err  # partial success
    assert len(list((workdir / "out").glob("credential-*.json"))) == 6
    with rejects.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["row"] for r in rows] == ["7", "9", "10"]
    assert rows[0]["email"] == "not-an-email" and rows[0]["reason"]
    assert f"rejected rows written to {rejects}" in result.err.replace("\n", "")
