"""Course checks an administrator expects before issuing (issue #20, item 3).

Oracles: the ECTS Users' Guide 2015 ("one credit corresponds to 25 to 30
hours of work") for workload; Unicode's general category Cc for control
characters; the date order is a property (an award cannot follow its
credential's issue date). Each case failed, or passed silently, before.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from microcred_vc.errors import CourseSpecError, RosterError
from microcred_vc.model.course_checks import control_character, course_findings
from microcred_vc.model.lms import (
    LearnerRow,
    build_micro_credential,
    course_spec_from_dict,
    load_course_spec,
    load_roster,
)
from tests.model.test_lms import COURSE, HEADER, write


def _course(**changes: object) -> dict:
    data = {k: v for k, v in COURSE.items() if k not in ("ects", "workload_hours")}
    return {**data, **{k: v for k, v in changes.items() if v is not None}}


@pytest.mark.parametrize(
    ("ects", "hours", "fragment"),
    [
        (0, None, "more than 0 ECTS"),
        ("0.00", None, "more than 0 ECTS"),
        (4, 1000, "250.0 hours per credit"),
        (10, 100, "10.0 hours per credit"),
        (None, 0, "more than 0 hours"),
    ],
    ids=["zero", "zero-decimal", "4-ects-1000-hours", "too-few-hours", "zero-hours"],
)
def test_impossible_workload_is_refused(ects, hours, fragment: str) -> None:
    with pytest.raises(CourseSpecError, match=fragment) as info:
        course_spec_from_dict(_course(ects=ects, workload_hours=hours))
    assert info.value.code == "COURSE_SPEC_INVALID"


@pytest.mark.parametrize(("ects", "hours"), [(5, 100), (5, 200), (2, 110)])
def test_unusual_workload_is_a_warning(ects: int, hours: int) -> None:
    """Outside 25–30 h per credit but within half/double of it: issued, with a warning."""
    spec = course_spec_from_dict(_course(ects=ects, workload_hours=hours))
    assert len(spec.warnings) == 1
    assert "25–30" in spec.warnings[0]


@pytest.mark.parametrize(("ects", "hours"), [(5, 125), (5, 150), (1, 25), (5, None)])
def test_workload_inside_the_guide_is_silent(ects: int, hours: int | None) -> None:
    assert course_spec_from_dict(_course(ects=ects, workload_hours=hours)).warnings == ()


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x00", "\x7f", "\x85"])
def test_control_characters_in_course_text_are_refused(char: str) -> None:
    data = _course(ects=5)
    data["title"] = {"en": f"Data{char} literacy"}
    with pytest.raises(CourseSpecError, match=r"title\.en: contains the control character U\+"):
        course_spec_from_dict(data)


PROBE_ROW = LearnerRow(row=2, full_name="Ana Nowak", email="ana@example.pl")


def test_tabs_and_newlines_are_text() -> None:
    assert control_character("line one\nline\ttwo\r\n") is None
    spec = course_spec_from_dict(_course(ects=5, workload_hours=125, description={"en": "a\nb"}))
    assert course_findings(spec.data, build_micro_credential(spec, PROBE_ROW)) == []


@pytest.mark.parametrize("char", ["\x1b[31m", "\x07"])
def test_control_characters_in_roster_names_are_refused(tmp_path: Path, char: str) -> None:
    roster = write(tmp_path, "r.csv", HEADER + f"Ana{char} Nowak,ana@example.pl,,,\n")
    with pytest.raises(RosterError, match="row 2: name contains the control character") as info:
        list(load_roster(roster))
    assert info.value.details["row"] == 2


def test_award_date_after_issue_date_is_refused(tmp_path: Path) -> None:
    course = course_spec_from_dict(_course(ects=5))
    roster = write(tmp_path, "r.csv", HEADER + "Ana Nowak,ana@example.pl,,,2031-06-30\n")
    (row,) = load_roster(roster)
    with pytest.raises(RosterError, match="row 2: completion date .* after the date of issuing"):
        build_micro_credential(course, row, issued_at=datetime(2030, 1, 1, tzinfo=UTC))
    ok = build_micro_credential(course, row, issued_at=datetime(2031, 7, 1, tzinfo=UTC))
    assert ok.awarded_at == datetime(2031, 6, 30, tzinfo=UTC)


def test_a_png_given_as_course_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "course.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    with pytest.raises(CourseSpecError, match="is not UTF-8 text"):
        load_course_spec(path)
