"""The example course's first learner as a MicroCredential: the tests' common sample."""

from __future__ import annotations

from microcred_vc.model import (
    MicroCredential,
    build_micro_credential,
    load_course_spec,
    load_roster,
)
from tests.fixture_paths import REPO

EXAMPLES = REPO / "examples"


def example_micro_credential() -> MicroCredential:
    """Aoife Byrne's Research Data Stewardship micro-credential (examples/)."""
    course = load_course_spec(EXAMPLES / "course.json")
    return build_micro_credential(course, next(iter(load_roster(EXAMPLES / "roster.csv"))))
