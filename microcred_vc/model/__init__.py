"""The essential-elements hub: ``MicroCredential`` and the LMS inputs that build it."""

from microcred_vc.model.base import Element
from microcred_vc.model.elements import (
    Assessment,
    LearningOutcome,
    MicroCredential,
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
from microcred_vc.model.parts import (
    Activity,
    Evidence,
    Identifier,
    Learner,
    LegalId,
    Organisation,
    OrganisationRef,
    PartTitle,
)
from microcred_vc.model.vocab import Concept

__all__ = [
    "Activity",
    "Assessment",
    "Completeness",
    "Concept",
    "CourseSpec",
    "Element",
    "Evidence",
    "Identifier",
    "Learner",
    "LearnerRow",
    "LearningCredential",
    "LearningOutcome",
    "LegalId",
    "MicroCredential",
    "Organisation",
    "OrganisationRef",
    "PartTitle",
    "QualityAssurance",
    "build_micro_credential",
    "complete_with",
    "course_spec_from_dict",
    "learner_from_record",
    "load_course_spec",
    "load_roster",
    "mapping_rows",
]
