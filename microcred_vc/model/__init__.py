"""The essential-elements hub: ``MicroCredential`` and the LMS inputs that build it."""

from microcred_vc.model.elements import (
    Assessment,
    Element,
    Learner,
    LearningOutcome,
    LegalId,
    MicroCredential,
    Organisation,
    QualityAssurance,
)
from microcred_vc.model.found import Completeness, LearningCredential, complete_with
from microcred_vc.model.lms import (
    CourseSpec,
    LearnerRow,
    build_micro_credential,
    course_spec_from_dict,
    learner_from_record,
    load_course_spec,
    load_roster,
)
from microcred_vc.model.mapping import mapping_rows
from microcred_vc.model.vocab import Concept

__all__ = [
    "Assessment",
    "Completeness",
    "Concept",
    "CourseSpec",
    "Element",
    "Learner",
    "LearnerRow",
    "LearningCredential",
    "LearningOutcome",
    "LegalId",
    "MicroCredential",
    "Organisation",
    "QualityAssurance",
    "build_micro_credential",
    "complete_with",
    "course_spec_from_dict",
    "learner_from_record",
    "load_course_spec",
    "load_roster",
    "mapping_rows",
]
