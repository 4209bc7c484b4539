"""The hub's parts as a credential found in the wild has them: what Annex I requires may be absent.

Each subclasses the strict part so the writers read both; :mod:`microcred_vc.model.found`
builds the found credential from them.
"""

from __future__ import annotations

from typing import Any

from pydantic import field_validator

from microcred_vc.model import vocab
from microcred_vc.model.base import CountryCode
from microcred_vc.model.elements import Assessment, LearningOutcome, QualityAssurance
from microcred_vc.model.parts import Activity, Learner, Organisation
from microcred_vc.model.types import LangStr, primary_text


class FoundOrganisation(Organisation):
    """An organisation as a credential names it: the legal name or country may be absent."""

    legal_name: LangStr | None = None  # type: ignore[assignment]
    country: CountryCode | None = None  # type: ignore[assignment]

    @property
    def name(self) -> str:
        return primary_text(self.legal_name) if self.legal_name else self.id


class FoundLearner(Learner):
    """A learner as found: a badge may identify them only by a DID or a hashed email."""

    full_name: str | None = None  # type: ignore[assignment]


class FoundOutcome(LearningOutcome):
    title: LangStr | None = None  # type: ignore[assignment]


class FoundAssessment(Assessment):
    title: LangStr | None = None  # type: ignore[assignment]
    type: vocab.Concept | None = None  # type: ignore[assignment]

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        return value if value is None else vocab.ASSESSMENT.resolve(value)


class FoundQualityAssurance(QualityAssurance):
    type: vocab.Concept | None = None  # type: ignore[assignment]
    title: LangStr | None = None  # type: ignore[assignment]
    agent: FoundOrganisation | None = None  # type: ignore[assignment]

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        return value if value is None else vocab.ACCREDITATION.resolve(value)


class FoundActivity(Activity):
    """The activity as found (its director is an :class:`OrganisationRef` already)."""
