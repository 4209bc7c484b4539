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
from microcred_vc.model.vocab import Concept

__all__ = [
    "Assessment",
    "Concept",
    "Element",
    "Learner",
    "LearningOutcome",
    "LegalId",
    "MicroCredential",
    "Organisation",
    "QualityAssurance",
]
