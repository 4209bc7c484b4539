"""Course findings reach the administrator through the CLI (issue #20, items 3 and 5).

Oracle: the ECTS Users' Guide band (25–30 h per credit, see
tests/model/test_course_checks.py) and the CLI contract — warnings on stderr
(stdout may carry the credential), one-line typed errors, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import issue_args


def _course(workdir: Path, **changes: object) -> None:
    """The example course (issued by its own did:web, the ``key`` fixture) with ``changes``."""
    path = workdir / "course.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_unusual_workload_is_warned_on_stderr(run, workdir: Path, key: Path) -> None:
    _course(workdir, ects=5, workload_hours=200)
    result = run(*issue_args(workdir, key))
    assert result.code == 0, result.err
    assert "warning: course workload_hours: 200 hours for 5 ECTS" in result.err
    assert json.loads(result.out)["type"]  # stdout is still exactly the credential


def test_zero_ects_is_one_line_error(run, workdir: Path, key: Path) -> None:
    _course(workdir, ects=0, workload_hours=None)
    result = run(*issue_args(workdir, key))
    assert result.code != 0
    assert "COURSE_SPEC_INVALID" in result.err and "more than 0 ECTS" in result.err
    assert "Traceback" not in result.err + result.out


def test_png_course_file_is_one_line_error(run, workdir: Path, key: Path) -> None:
    (workdir / "course.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff")
    result = run(*issue_args(workdir, key))
    assert result.code != 0
    assert "not UTF-8 text" in result.err
    assert "Traceback" not in result.err + result.out and "INTERNAL" not in result.err
