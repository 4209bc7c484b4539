"""The hub: an EU micro-credential as the Council Recommendation (Annex I) defines it.

Every format converts to and from this model, never format to format, so the
model holds the union of what the formats can say: language maps (EDC), one
issuer plus co-awarding bodies, the controlled vocabularies by IRI. Building
an invalid credential raises :class:`~microcred_vc.errors.ModelError` whose
message names the element in a course administrator's words.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AwareDatetime, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from microcred_vc.model import vocab
from microcred_vc.model.base import Element, in_scheme
from microcred_vc.model.parts import (
    Activity,
    Evidence,
    Identifier,
    Learner,
    Organisation,
    OrganisationRef,
    PartTitle,
)
from microcred_vc.model.types import IRI, Duration, HttpUrl, LangStr, LangTag, primary_text

MAX_ECTS = Decimal(60)
MAX_WORKLOAD_HOURS = 1800  # 60 ECTS x 30 hours

ParticipationMode = Literal["online", "onsite", "blended"]
ResultStatus = Literal[
    "Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"
]
LearnerOutcome = Literal["admission", "credit", "certification", "badge"]


class LearningOutcome(Element):
    """One learning outcome; the ESCO skill IRI makes it machine-comparable."""

    title: LangStr = Field(title="Learning outcome")
    esco_skill: IRI | None = Field(default=None, title="ESCO skill")
    #: ESCO skills beyond the first (ELM ``relatedESCOSkill`` is 0..n)
    more_esco_skills: list[IRI] = Field(default_factory=list, title="Further ESCO skills")
    #: skills from other frameworks (ELM ``relatedSkill``; OB3 competency alignments)
    related_skills: list[vocab.Concept] = Field(default_factory=list, title="Related skills")
    reusability: vocab.Concept | None = Field(default=None, title="Reusability level")

    @field_validator("esco_skill")
    @classmethod
    def _esco(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("http://data.europa.eu/esco/"):
            raise PydanticCustomError(
                "esco",
                "must be an ESCO IRI starting with http://data.europa.eu/esco/ (got {v})",
                {"v": repr(value)},
            )
        return value

    @field_validator("more_esco_skills")
    @classmethod
    def _more_esco(cls, value: list[str]) -> list[str]:
        return [cls._esco(v) or v for v in value]


class Assessment(Element):
    """Type of assessment (Annex I): how the outcomes were checked."""

    title: LangStr = Field(title="Assessment title")
    type: Annotated[vocab.Concept, in_scheme(vocab.ASSESSMENT)] = Field(title="Type of assessment")
    mode: Annotated[vocab.Concept | None, in_scheme(vocab.MODE)] = Field(
        default=None, title="Mode of assessment"
    )
    # The first assessment's grade and grading scheme title are the credential's
    # ``grade`` / ``grading_scheme``; these hold those of the further assessments.
    grade: str | None = Field(default=None, title="Assessment grade", min_length=1)
    grading_scheme: LangStr | None = Field(default=None, title="Assessment grading scheme")
    grading_description: LangStr | None = Field(default=None, title="Grading scheme description")
    assessed_by: OrganisationRef | None = Field(default=None, title="Assessed by")
    languages: list[LangTag] = Field(default_factory=list, title="Language of assessment")


class QualityAssurance(Element):
    """Type of quality assurance (Annex I) used to create the micro-credential."""

    type: Annotated[vocab.Concept, in_scheme(vocab.ACCREDITATION)] = Field(
        title="Type of quality assurance"
    )
    title: LangStr = Field(title="Quality assurance title")
    agent: Organisation = Field(title="Quality assurance body")
    report_url: HttpUrl | None = Field(default=None, title="Quality assurance report")


def _list(title: str, item: str, *, required: bool = False) -> Any:
    """A list field; a required one has no default and needs at least one item."""
    extra: dict[str, Any] = {"item": item}
    if required:
        return Field(title=title, min_length=1, json_schema_extra=extra)
    return Field(default_factory=list, title=title, json_schema_extra=extra)


class MicroCredential(Element):
    """All Annex I elements (mandatory and optional) plus the NESET 2020 extras."""

    __element_labels__: ClassVar[dict[tuple[str, ...], str]] = {
        ("issuer", "country"): "Country of the issuer",
        ("issuer", "region"): "Region of the issuer",
        ("learner", "full_name"): "Learner's full name",
        ("learner", "email"): "Learner's email address",
        ("learner", "date_of_birth"): "Learner's date of birth",
    }

    kind: Literal["MicroCredential"] = Field(default="MicroCredential", title="Credential kind")
    # Every credential has an identifier (OB3 requires one); a fresh urn:uuid if not given.
    id: IRI = Field(
        default_factory=lambda: f"urn:uuid:{uuid.uuid4()}", title="Credential identifier"
    )
    achievement_id: IRI | None = Field(default=None, title="Micro-credential identifier")
    identifiers: list[Identifier] = _list("Credential identifiers", "Credential identifier")
    achievement_identifiers: list[Identifier] = _list(
        "Micro-credential identifiers", "Micro-credential identifier"
    )
    # --- Annex I, mandatory ---
    learner: Learner = Field(title="Learner identification")
    title: LangStr = Field(title="Title of the micro-credential")
    issuer: Organisation = Field(title="Issuer")
    awarding_bodies: list[Organisation] = _list("Awarding bodies", "Awarding body", required=True)
    issued_at: AwareDatetime = Field(title="Date of issuing")
    learning_outcomes: list[LearningOutcome] = _list(
        "Learning outcomes", "Learning outcome", required=True
    )
    ects: Decimal | None = Field(default=None, title="Notional workload (ECTS)")
    workload_hours: int | None = Field(default=None, title="Notional workload (hours)")
    credit_system: Annotated[vocab.Concept, in_scheme(vocab.CREDIT)] = Field(
        default=vocab.ECTS, title="Credit system"
    )
    eqf_level: int | None = Field(default=None, title="EQF level")
    nqf_level: vocab.Concept | None = Field(default=None, title="National qualifications level")
    qf_ehea_cycle: int | None = Field(default=None, title="QF-EHEA cycle")
    assessments: list[Assessment] = _list("Type of assessment", "Assessment", required=True)
    participation_mode: ParticipationMode = Field(title="Form of participation")
    quality_assurance: list[QualityAssurance] = _list(
        "Type of quality assurance", "Quality assurance", required=True
    )
    # --- Annex I, optional ---
    awarded_at: AwareDatetime | None = Field(default=None, title="Date of award")
    valid_until: AwareDatetime | None = Field(default=None, title="Valid until")
    learning_outcome_summary: LangStr | None = Field(default=None, title="Learning outcome summary")
    entry_requirements: LangStr | None = Field(default=None, title="Prerequisites to enrol")
    supervision: Annotated[vocab.Concept | None, in_scheme(vocab.SUPERVISION)] = Field(
        default=None, title="Supervision and identity verification"
    )
    grade: str | None = Field(default=None, title="Grade achieved", min_length=1)
    grading_scheme: LangStr | None = Field(default=None, title="Grading scheme")
    result_status: ResultStatus | None = Field(default=None, title="Result status")
    stackability: Literal["standalone", "stackable"] = Field(
        default="standalone", title="Integration / stackability"
    )
    part_of: list[IRI] = _list("Stackable towards", "Stackable towards")
    has_part: list[IRI] = _list("Made up of", "Part")
    #: titles of the parts named in part_of / has_part (ELM links a part only with its title)
    part_titles: list[PartTitle] = _list("Titles of the parts", "Part title")
    partial_qualification: bool | None = Field(default=None, title="Partial qualification")
    additional_info: list[LangStr] = _list("Further information", "Further information")
    homepage: HttpUrl | None = Field(default=None, title="Further information web page")
    # --- NESET extras ---
    # Default None is never kept: _defaults copies the title in, and without a
    # title the credential is rejected anyway (one message, not two).
    description: LangStr = Field(default=None, title="Description")  # type: ignore[assignment]
    start: AwareDatetime | None = Field(default=None, title="Start of the learning period")
    end: AwareDatetime | None = Field(default=None, title="End of the learning period")
    max_duration: Duration | None = Field(default=None, title="Maximum duration")
    resources: list[HttpUrl] = _list("Learning resources", "Learning resource")
    learner_outcome: list[LearnerOutcome] = _list("Outcome for the learner", "Outcome")
    languages: list[LangTag] = _list("Language of instruction", "Language")
    isced_f: list[Annotated[vocab.Concept, in_scheme(vocab.ISCED_F)]] = _list(
        "Field of education", "Field of education"
    )
    learning_setting: Annotated[vocab.Concept | None, in_scheme(vocab.LEARNING_SETTING)] = Field(
        default=None, title="Learning setting"
    )
    code: str | None = Field(default=None, title="Course code", min_length=1)
    # --- what ELM and OB3 both carry beyond Annex I (issue 19 item 4) ---
    credits_earned: Decimal | None = Field(default=None, title="Credits earned")
    evidence: list[Evidence] = _list("Evidence", "Evidence")
    categories: list[LangStr] = _list("Keywords", "Keyword")
    education_subjects: list[vocab.Concept] = _list("Subjects", "Subject")
    activity: Activity | None = Field(default=None, title="Learning activity")

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        """OB3 requires a description; the mapping says to synthesise it from the title."""
        if isinstance(data, dict) and data.get("description") is None and data.get("title"):
            data = {**data, "description": data["title"]}
        return data

    @field_validator("ects", "credits_earned", mode="before")
    @classmethod
    def _ects(cls, value: Any) -> Any:
        if value is None:
            return None
        try:
            number = Decimal(str(value)) if not isinstance(value, Decimal) else value
        except (InvalidOperation, ValueError):
            raise PydanticCustomError(
                "ects", "must be a number (got {v})", {"v": repr(value)}
            ) from None
        if isinstance(value, bool) or not number.is_finite():
            raise PydanticCustomError("ects", "must be a number (got {v})", {"v": repr(value)})
        if number < 0:
            raise PydanticCustomError("ects", "must be ≥ 0 (got {v})", {"v": str(value)})
        if number > MAX_ECTS:
            raise PydanticCustomError(
                "ects",
                "must be ≤ {m}: a micro-credential is smaller than a degree (got {v})",
                {"m": str(MAX_ECTS), "v": str(value)},
            )
        if number != number.quantize(Decimal("0.01")):
            raise PydanticCustomError(
                "ects", "must have at most 2 decimals (got {v})", {"v": str(value)}
            )
        return number

    @field_validator("workload_hours")
    @classmethod
    def _hours(cls, value: int | None) -> int | None:
        if value is not None and not 0 <= value <= MAX_WORKLOAD_HOURS:
            raise PydanticCustomError(
                "hours",
                "must be between 0 and {m} hours (got {v})",
                {"m": MAX_WORKLOAD_HOURS, "v": value},
            )
        return value

    @field_validator("eqf_level")
    @classmethod
    def _eqf(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= 8:
            raise PydanticCustomError("eqf", "must be between 1 and 8 (got {v})", {"v": value})
        return value

    @field_validator("qf_ehea_cycle")
    @classmethod
    def _cycle(cls, value: int | None) -> int | None:
        if value is not None and not 0 <= value <= 3:
            raise PydanticCustomError(
                "cycle",
                "must be 0 (short cycle), 1, 2 or 3 (got {v})",
                {"v": value},
            )
        return value

    @field_validator("participation_mode", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower()
            for key, concept in vocab.PARTICIPATION_MODES.items():
                if value == concept.id:
                    return key
            if value in vocab.PARTICIPATION_MODES:
                return value
        raise PydanticCustomError(
            "mode", "must be one of: online, onsite, blended (got {v})", {"v": repr(value)}
        )

    @model_validator(mode="after")
    def _coherent(self) -> MicroCredential:
        if self.ects is None and self.workload_hours is None:
            raise PydanticCustomError(
                "mc_sentence",
                "Notional workload is missing: give the ECTS credits or the workload in hours",
            )
        if self.start and self.end and self.end < self.start:
            raise PydanticCustomError(
                "mc_sentence", "End of the learning period must not be before its start"
            )
        if self.valid_until and self.valid_until <= self.issued_at:
            raise PydanticCustomError(
                "mc_sentence", "Valid until must be later than the date of issuing"
            )
        if self.stackability == "stackable" and not self.part_of:
            raise PydanticCustomError(
                "mc_sentence",
                "Integration / stackability: a stackable micro-credential must name the "
                "credential it stacks towards (part_of)",
            )
        if self.achievement_id is None:
            seed = f"{self.issuer.id}|{self.code or primary_text(self.title)}"
            self.achievement_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"
        return self

    @property
    def participation_concept(self) -> vocab.Concept:
        """The EU mode-of-learning concept for the Annex I form of participation."""
        return vocab.PARTICIPATION_MODES[self.participation_mode]

    @property
    def eqf_concept(self) -> vocab.Concept | None:
        return vocab.EQF.concepts[str(self.eqf_level)] if self.eqf_level else None

    @property
    def primary_language(self) -> str:
        return self.languages[0] if self.languages else next(iter(self.title))
