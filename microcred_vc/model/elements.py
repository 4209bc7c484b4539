"""The hub: an EU micro-credential as the Council Recommendation (Annex I) defines it.

Every format converts to and from this model, never format to format, so the
model holds the union of what the formats can say: language maps (EDC), one
issuer plus co-awarding bodies, the controlled vocabularies by IRI. Building
an invalid credential raises :class:`~microcred_vc.errors.ModelError` whose
message names the element in a course administrator's words.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from microcred_vc.errors import ModelError
from microcred_vc.model import vocab
from microcred_vc.model.messages import humanise
from microcred_vc.model.types import IRI, Duration, HttpUrl, LangStr, LangTag, primary_text

MAX_ECTS = Decimal(60)
MAX_WORKLOAD_HOURS = 1800  # 60 ECTS x 30 hours

ParticipationMode = Literal["online", "onsite", "blended"]
ResultStatus = Literal[
    "Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"
]
LearnerOutcome = Literal["admission", "credit", "certification", "badge"]


_OUTERMOST: ContextVar[bool] = ContextVar("microcred_outermost", default=False)


def _check_country(value: Any) -> str:
    if isinstance(value, str):
        code = vocab.country_alpha2(value.strip())
        if code:
            return code
    raise PydanticCustomError(
        "country", f"must be an ISO 3166-1 country code such as 'IE' or 'DE' (got {value!r})"
    )


CountryCode = Annotated[str, BeforeValidator(_check_country)]


def _in(scheme: vocab.Scheme) -> Any:
    return BeforeValidator(lambda v: v if v is None else scheme.resolve(v))


class Element(BaseModel):
    """Base of every part: strict fields, and readable errors instead of pydantic's."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    __element_labels__: ClassVar[dict[tuple[str, ...], str]] = {}

    def __init__(self, /, **data: Any) -> None:
        # Nested parts are built through their own __init__; only the outermost
        # call translates, so locations stay relative to what the caller passed.
        if _OUTERMOST.get():
            super().__init__(**data)
            return
        token = _OUTERMOST.set(True)
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _model_error(type(self), exc) from None
        finally:
            _OUTERMOST.reset(token)

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if _OUTERMOST.get():
            return super().model_validate(obj, *args, **kwargs)
        token = _OUTERMOST.set(True)
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise _model_error(cls, exc) from None
        finally:
            _OUTERMOST.reset(token)


def _model_error(model: type[BaseModel], exc: ValidationError) -> ModelError:
    problems = humanise(model, exc)
    message = "; ".join(sentence for _, sentence in problems)
    return ModelError(message, problems=problems, element=problems[0][0] if problems else "")


class LegalId(Element):
    """A national identifier, only meaningful together with the issuing country."""

    notation: str = Field(title="Identifier", min_length=1)
    country: CountryCode = Field(title="Country of the identifier")


class Learner(Element):
    """Learner identification (Annex I): who earned it, as much as the issuer knows."""

    full_name: str = Field(title="Full name", min_length=1)
    given_name: str | None = Field(default=None, title="Given name")
    family_name: str | None = Field(default=None, title="Family name")
    date_of_birth: date | None = Field(default=None, title="Date of birth")
    email: EmailStr | None = Field(default=None, title="Email address")
    national_id: LegalId | None = Field(default=None, title="National identifier")
    did: IRI | None = Field(default=None, title="Learner identifier (DID or IRI)")
    student_id: str | None = Field(default=None, title="Student number", min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _derive_full_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("full_name"):
            parts = [data.get("given_name"), data.get("family_name")]
            if all(isinstance(p, str) and p.strip() for p in parts):
                data = {**data, "full_name": f"{parts[0]} {parts[1]}"}
        return data


class Organisation(Element):
    """An issuer, awarding body or quality-assurance agency (ELM ``Organisation``)."""

    id: IRI = Field(title="Identifier (URL or DID)")
    legal_name: LangStr = Field(title="Legal name")
    country: CountryCode = Field(title="Country")
    region: str | None = Field(default=None, title="Region")
    eidas_id: str | None = Field(default=None, title="eIDAS identifier")
    vat_id: str | None = Field(default=None, title="VAT number")
    homepage: HttpUrl | None = Field(default=None, title="Home page")
    email: EmailStr | None = Field(default=None, title="Email address")

    @property
    def name(self) -> str:
        return primary_text(self.legal_name)


class LearningOutcome(Element):
    """One learning outcome; the ESCO skill IRI makes it machine-comparable."""

    title: LangStr = Field(title="Learning outcome")
    esco_skill: IRI | None = Field(default=None, title="ESCO skill")
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


class Assessment(Element):
    """Type of assessment (Annex I): how the outcomes were checked."""

    title: LangStr = Field(title="Assessment title")
    type: Annotated[vocab.Concept, _in(vocab.ASSESSMENT)] = Field(title="Type of assessment")
    mode: Annotated[vocab.Concept | None, _in(vocab.MODE)] = Field(
        default=None, title="Mode of assessment"
    )


class QualityAssurance(Element):
    """Type of quality assurance (Annex I) used to create the micro-credential."""

    type: Annotated[vocab.Concept, _in(vocab.ACCREDITATION)] = Field(
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
    credit_system: Annotated[vocab.Concept, _in(vocab.CREDIT)] = Field(
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
    supervision: Annotated[vocab.Concept | None, _in(vocab.SUPERVISION)] = Field(
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
    isced_f: list[Annotated[vocab.Concept, _in(vocab.ISCED_F)]] = _list(
        "Field of education", "Field of education"
    )
    learning_setting: Annotated[vocab.Concept | None, _in(vocab.LEARNING_SETTING)] = Field(
        default=None, title="Learning setting"
    )
    code: str | None = Field(default=None, title="Course code", min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        """OB3 requires a description; the mapping says to synthesise it from the title."""
        if isinstance(data, dict) and data.get("description") is None and data.get("title"):
            data = {**data, "description": data["title"]}
        return data

    @field_validator("ects", mode="before")
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
