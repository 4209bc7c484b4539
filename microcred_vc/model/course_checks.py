"""The checks a course administrator expects before anything is issued.

The data model (:mod:`microcred_vc.model.elements`) accepts what a *real*
credential may carry, because the library also reads other issuers' EDCs and
badges. Issuing from an LMS course file is stricter: a course worth 0 ECTS,
4 ECTS for 1,000 hours, or a title with an ESC byte pasted from a terminal are
mistakes of the person typing the file, and a signed credential cannot be
taken back. So these checks run on course specs and roster rows only.

Workload follows the ECTS Users' Guide (2015): one credit corresponds to
25–30 hours of work. Outside that band is a warning (some systems count
differently); below half or above double the band is an error.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from microcred_vc.model.elements import MicroCredential

#: ECTS Users' Guide 2015: "25 to 30 hours of work" per credit.
HOURS_PER_ECTS = (Decimal(25), Decimal(30))
#: Beyond these the numbers cannot both be right (half and double the band).
HOURS_PER_ECTS_LIMITS = (Decimal("12.5"), Decimal(60))
#: Tab, line feed and carriage return are text; every other C0/C1 control is not.
ALLOWED_CONTROLS = frozenset("\t\n\r")


@dataclass(frozen=True)
class CourseFinding:
    """One problem found in a course spec: ``error`` stops issuing, ``warning`` is shown."""

    severity: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (as U+XXXX and its name), if any."""
    for char in text:
        if char not in ALLOWED_CONTROLS and unicodedata.category(char) == "Cc":
            return f"U+{ord(char):04X}"
    return None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for number, item in enumerate(value, 1):
            yield from _strings(item, f"{path}[{number}]")


def _workload(ects: Decimal | None, hours: Decimal | None) -> Iterator[CourseFinding]:
    if ects is not None and ects <= 0:
        yield CourseFinding(
            "error", "ects", f"a micro-credential is worth more than 0 ECTS (got {ects})"
        )
        return
    if hours is not None and hours <= 0:
        yield CourseFinding(
            "error", "workload_hours", f"the workload must be more than 0 hours (got {hours})"
        )
        return
    if ects is None or hours is None:
        return
    per_credit = hours / ects
    low, high = HOURS_PER_ECTS
    hard_low, hard_high = HOURS_PER_ECTS_LIMITS
    text = (
        f"{hours} hours for {ects} ECTS is {per_credit:.1f} hours per credit; "
        f"the ECTS Users' Guide counts {low}–{high}"
    )
    if per_credit < hard_low or per_credit > hard_high:
        yield CourseFinding("error", "workload_hours", f"{text} (one of the two is wrong)")
    elif per_credit < low or per_credit > high:
        yield CourseFinding("warning", "workload_hours", text)


def course_findings(data: dict[str, Any], course: MicroCredential) -> list[CourseFinding]:
    """Every administrator-level problem of a course spec, errors and warnings.

    ``course`` is the spec as the data model read it: the workload is judged on
    its parsed numbers, the text on the raw ``data`` (every string the file holds).
    """
    hours = None if course.workload_hours is None else Decimal(course.workload_hours)
    findings = list(_workload(course.ects, hours))
    for path, text in _strings(data, ""):
        found = control_character(text)
        if found is not None:
            findings.append(
                CourseFinding(
                    "error", path, f"contains the control character {found} (not printable text)"
                )
            )
    return findings
