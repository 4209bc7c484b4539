"""A learning credential *as found*: what a wallet or integrator reads, judged separately.

:class:`~microcred_vc.model.elements.MicroCredential` is the Council's definition
and stays strict: an LMS must not issue without every Annex I element. A badge
or EDC written by someone else usually lacks some of them, and refusing to read
it helps nobody (issue 19). :class:`LearningCredential` holds the same elements
with every one optional (a missing element is ``None`` or an empty list, never a
made-up value), and :attr:`LearningCredential.completeness` says which Annex I /
NESET elements are missing, by mapping-table code and in words.

``require="annex-i"`` (:func:`require_annex_i`) turns a found credential into the
strict one, or raises naming what is missing. :func:`complete_with` fills gaps
from a course the caller names and records each filled element as *supplied*.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import AwareDatetime, Field, PrivateAttr, field_validator, model_validator

from microcred_vc.errors import ConversionError, ModelError
from microcred_vc.model import vocab
from microcred_vc.model.elements import MicroCredential, ParticipationMode
from microcred_vc.model.found_parts import (
    FoundActivity,
    FoundAssessment,
    FoundLearner,
    FoundOrganisation,
    FoundOutcome,
    FoundQualityAssurance,
)
from microcred_vc.model.mapping import mapping_rows
from microcred_vc.model.types import LangStr, primary_text

REQUIRE_CHOICES = ("annex-i",)


class LearningCredential(MicroCredential):
    """Every Annex I element optional; :attr:`completeness` says what is missing.

    It subclasses the strict model so that the writers read both, but it is not
    issuable: :func:`microcred_vc.issue` turns it into a :class:`MicroCredential`
    first (:meth:`to_micro_credential`), which raises when an element is missing.
    """

    kind: Literal["LearningCredential"] = "LearningCredential"  # type: ignore[assignment]
    learner: FoundLearner | None = None  # type: ignore[assignment]
    title: LangStr | None = None  # type: ignore[assignment]
    issuer: FoundOrganisation | None = None  # type: ignore[assignment]
    awarding_bodies: list[FoundOrganisation] = Field(default_factory=list)  # type: ignore[assignment]
    issued_at: AwareDatetime | None = None  # type: ignore[assignment]
    learning_outcomes: list[FoundOutcome] = Field(default_factory=list)  # type: ignore[assignment]
    assessments: list[FoundAssessment] = Field(default_factory=list)  # type: ignore[assignment]
    participation_mode: ParticipationMode | None = None  # type: ignore[assignment]
    quality_assurance: list[FoundQualityAssurance] = Field(default_factory=list)  # type: ignore[assignment]
    activity: FoundActivity | None = None  # type: ignore[assignment]
    description: LangStr | None = None
    _supplied: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        """Unlike the strict model, nothing is synthesised: a found credential says what it says."""
        return data

    @field_validator("participation_mode", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> Any:
        return None if value is None else MicroCredential._mode(value)

    @model_validator(mode="after")
    def _coherent(self) -> LearningCredential:
        """Only the node identifier is derived (as the strict model does); nothing is judged."""
        if self.achievement_id is None and self.issuer is not None:
            name = self.code or (primary_text(self.title) if self.title else self.id)
            seed = f"{self.issuer.id}|{name}"
            self.achievement_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"
        return self

    @property
    def participation_concept(self) -> vocab.Concept | None:  # type: ignore[override]
        return (
            vocab.PARTICIPATION_MODES[self.participation_mode] if self.participation_mode else None
        )

    @property
    def primary_language(self) -> str:
        if self.languages:
            return self.languages[0]
        return next(iter(self.title)) if self.title else "en"

    @property
    def supplied(self) -> tuple[str, ...]:
        """Hub fields filled from a course named by the caller (``complete_with``), not found."""
        return self._supplied

    def hub_data(self) -> dict[str, Any]:
        """The elements actually present, as the strict model takes them."""
        data = self.model_dump(exclude={"kind"}, exclude_none=True, mode="python")
        return {k: v for k, v in data.items() if v != []}

    def to_micro_credential(self) -> MicroCredential:
        """The strict micro-credential; :class:`ModelError` names every missing element."""
        return MicroCredential(**self.hub_data())

    @property
    def completeness(self) -> Completeness:
        return judge(self)


@dataclass(frozen=True)
class ElementGap:
    """One Annex I / NESET element that is missing or unusable, by mapping-table code."""

    code: str
    element: str
    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "element": self.element,
            "path": self.path,
            "message": self.message,
        }


@dataclass(frozen=True)
class Completeness:
    """``complete`` when every mandatory Annex I element is present and valid.

    ``missing``: mandatory elements absent or not valid (each by code and in
    words); ``absent``: optional Annex I / NESET elements not given (for
    information); ``supplied``: elements filled from the caller's course, not
    found in the credential.
    """

    missing: tuple[ElementGap, ...] = ()
    absent: tuple[ElementGap, ...] = ()
    supplied: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        return "incomplete" if self.missing else "complete"

    @property
    def complete(self) -> bool:
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "missing": [g.to_dict() for g in self.missing],
            "absent": [g.to_dict() for g in self.absent],
            "supplied": list(self.supplied),
        }


# --- judging ----------------------------------------------------------------------
def _field_codes() -> dict[str, tuple[str, str]]:
    """Hub field → (mapping code, element name), from the one mapping table."""
    out: dict[str, tuple[str, str]] = {}
    for row in mapping_rows():
        for name in row["field"].split(","):
            name = name.strip()
            out.setdefault(name, (row["ref"], row["element"]))
            out.setdefault(name.split(".")[0], (row["ref"], row["element"]))
    out["issuer"] = ("M4", "Awarding body(ies)")  # the issuer's name and id; country is M3
    out["achievement_id"] = ("M2", "Title of the micro-credential")
    out["id"] = ("M5", "Date of issuing")
    return out


#: Sentences of the strict model's cross-field checks, by the element they judge.
_SENTENCE_CODES = (
    ("Notional workload", "ects"),
    ("End of the learning period", "start"),
    ("Valid until", "valid_until"),
    ("Integration / stackability", "stackability"),
)
_OPTIONAL = ("O1", "O2", "O3", "O4", "O5", "N1", "N2", "N3", "N4")


def _code_for(path: str, message: str) -> tuple[str, str]:
    codes = _field_codes()
    parts = path.split(".") if path else []
    if not parts:
        for prefix, name in _SENTENCE_CODES:
            if message.startswith(prefix):
                parts = [name]
                break
    if parts[:2] in (["issuer", "country"], ["issuer", "region"]):
        return codes["issuer.country"]
    return codes.get(parts[0] if parts else "", ("M1", "Learner identification"))


def judge(found: MicroCredential) -> Completeness:
    """The completeness of a hub object: a strict one is complete by construction."""
    supplied = found.supplied if isinstance(found, LearningCredential) else ()
    if not isinstance(found, LearningCredential):
        return Completeness(supplied=supplied)
    missing: list[ElementGap] = []
    try:
        found.to_micro_credential()
    except ModelError as exc:
        for path, message in exc.details.get("problems") or [("", exc.message)]:
            code, element = _code_for(path, message)
            missing.append(ElementGap(code, element, path, message))
    absent = []
    data = found.hub_data()
    for row in mapping_rows():
        if row["ref"] not in _OPTIONAL:
            continue
        names = [n.strip() for n in row["field"].split(",")]
        if not any(n in data and n != "stackability" for n in names):
            absent.append(
                ElementGap(row["ref"], row["element"], names[0], f"Not given: {row['element']}")
            )
    return Completeness(tuple(missing), tuple(absent), supplied)


# --- strictness and completion ------------------------------------------------------
def require_annex_i(found: Any, require: str | None, what: str = "credential") -> Any:
    """``require=None`` returns ``found``; ``"annex-i"`` the strict micro-credential or raises."""
    if require is None:
        return found
    if require not in REQUIRE_CHOICES:
        raise ConversionError(
            f"unknown requirement {require!r}; use one of {', '.join(REQUIRE_CHOICES)} or none",
            code="REQUIRE_UNKNOWN",
        )
    if not isinstance(found, LearningCredential):
        return found
    try:
        return found.to_micro_credential()
    except ModelError as exc:
        raise ConversionError(
            f"This {what} is not a complete EU micro-credential: {exc.message}",
            code="ANNEX_I_INCOMPLETE",
            problems=exc.details.get("problems"),
        ) from None


def build_found(data: dict[str, Any], losses: list[Any], loss: Any) -> MicroCredential:
    """The hub object for reader data: a :class:`MicroCredential` when every Annex I
    element is there, else a :class:`LearningCredential` whose completeness names
    what is missing. A value the model cannot hold becomes a loss.

    The reader reports the raw value it found; if that value is not valid (a
    country nobody knows, 90 ECTS), it is dropped and named, so reading never
    fails on one bad element and never keeps an invalid one.
    """
    data = {k: v for k, v in data.items() if v not in (None, [], {})}
    for _ in range(50):
        try:
            found = LearningCredential(**data)
            return found.to_micro_credential() if found.completeness.complete else found
        except ModelError as exc:
            problems = exc.details.get("problems") or []
            if not problems or not _drop(data, problems[0][0]):
                raise ConversionError(f"the credential cannot be read: {exc.message}") from None
            path, message = problems[0]
            losses.append(loss(path or "credential", f"not usable, left out: {message}"))
    raise ConversionError("the credential cannot be read: too many unusable values")


def _drop(data: Any, path: str) -> bool:
    """Delete the value at a dotted hub path (``awarding_bodies.0.country``)."""
    parts = [int(p) if p.isdigit() else p for p in path.split(".") if p != ""]
    if not parts:
        return False
    node = data
    for part in parts[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = parts[-1]
    try:
        del node[last]
    except (KeyError, IndexError, TypeError):
        # a required part missing inside an element (an awarding body without an
        # id): the element itself cannot be held, so it is the one left out
        return len(parts) > 1 and _drop(data, ".".join(map(str, parts[:-1])))
    return True


def complete_with(found: Any, course: Any) -> LearningCredential:
    """Fill the elements ``found`` lacks from a course (``CourseSpec`` or its dict).

    Only absent elements are filled, never replaced; each filled field is listed
    in :attr:`LearningCredential.supplied` (and so in the completeness report),
    because it was supplied by the caller, not found in the credential.
    """
    from microcred_vc.model.lms import CourseSpec, course_spec_from_dict

    spec = course if isinstance(course, CourseSpec) else course_spec_from_dict(course)
    data = (
        found.hub_data()
        if isinstance(found, LearningCredential)
        else found.model_dump(exclude={"kind"}, exclude_none=True)
    )
    supplied = list(found.supplied) if isinstance(found, LearningCredential) else []
    for key, value in spec.data.items():
        if key == "awarding_bodies" and "awarding_bodies" in data and "issuer" not in data:
            continue
        if data.get(key) in (None, [], {}):
            data[key] = value
            supplied.append(key)
        elif key in ("issuer",) and isinstance(value, dict):
            _fill_organisation(data, key, value, supplied)
        elif key == "awarding_bodies" and isinstance(value, list):
            for i, body in enumerate(data[key]):
                if i < len(value) and body.get("id") == value[i].get("id"):
                    _fill_organisation(data[key], i, value[i], supplied, f"awarding_bodies.{i}")
    if not data.get("awarding_bodies") and data.get("issuer"):
        data["awarding_bodies"] = [data["issuer"]]
    out = LearningCredential(**data)
    out._supplied = tuple(supplied)
    return out


def _fill_organisation(
    container: Any, key: Any, course_org: dict[str, Any], supplied: list[str], label: str = ""
) -> None:
    """The same organisation (same id) in the course: its missing details are supplied."""
    org = container[key]
    if not isinstance(org, dict) or org.get("id") != course_org.get("id"):
        return
    for name, value in course_org.items():
        if org.get(name) in (None, [], {}):
            org[name] = value
            supplied.append(f"{label or key}.{name}")


# Every hub object answers ``.completeness``; a strict one is complete by construction.
# Attached here (not in elements.py) so that elements never imports this module.
MicroCredential.completeness = property(judge)  # type: ignore[attr-defined]
