"""EU controlled vocabularies the Annex I elements are expressed in.

The EU vocabularies are published only through the Publications Office (no
data files could be shipped), so the concepts the library needs are listed
here by IRI with their English labels. A scheme marked ``open`` is one whose
full list we could not verify: any IRI in its namespace is accepted, while a
closed scheme (EQF, modes of learning, learning settings) rejects unknown
values so that a typo never ends up signed in a credential.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pycountry
from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from microcred_vc.model.types import IRI, LangStr

SNB = "http://data.europa.eu/snb/"
COUNTRY_NS = "http://publications.europa.eu/resource/authority/country/"
COUNTRY_SCHEME = "http://publications.europa.eu/resource/authority/country"
LANGUAGE_NS = "http://publications.europa.eu/resource/authority/language/"
LANGUAGE_SCHEME = "http://publications.europa.eu/resource/authority/language"
ESCO_SKILL_NS = "http://data.europa.eu/esco/skill/"


class Concept(BaseModel):
    """A SKOS concept as ELM uses it: an IRI, its scheme and a label per language."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: IRI
    pref_label: LangStr | None = Field(default=None, title="label")
    in_scheme: IRI | None = Field(default=None, title="scheme")

    def label(self, lang: str = "en") -> str:
        if not self.pref_label:
            return self.id
        return self.pref_label.get(lang) or next(iter(self.pref_label.values()))


@dataclass(frozen=True)
class Scheme:
    """One EU concept scheme: its IRI, namespace, known concepts by short key."""

    key: str
    title: str
    iri: str
    namespace: str
    concepts: dict[str, Concept] = field(default_factory=dict)
    open: bool = False

    def by_iri(self, iri: str) -> Concept | None:
        return next((c for c in self.concepts.values() if c.id == iri), None)

    def resolve(self, value: Any) -> Concept:
        """A short key, an IRI or a concept dict → the concept, or a readable error."""
        if isinstance(value, Concept):
            value = value.model_dump(exclude_none=True)
        if isinstance(value, str):
            if value in self.concepts:
                return self.concepts[value]
            known = self.by_iri(value)
            if known is not None:
                return known
            value = {"id": value}
        if not isinstance(value, dict) or "id" not in value:
            raise PydanticCustomError(
                "vocab", f"must be a concept IRI or one of: {self.keys_text()}"
            )
        iri = value["id"]
        known = self.by_iri(iri)
        if known is not None:
            # Keep labels the caller gave (EDC documents carry their own).
            if value.get("pref_label"):
                return Concept(id=iri, pref_label=value["pref_label"], in_scheme=self.iri)
            return known
        if ":" not in str(iri):
            raise PydanticCustomError(
                "vocab",
                f"{iri!r} is not in the EU vocabulary '{self.title}'; "
                f"use one of: {self.keys_text()}",
            )
        if str(iri).startswith(self.namespace) and not self.open:
            raise PydanticCustomError(
                "vocab",
                f"{iri!r} is not a known concept of the EU vocabulary "
                f"'{self.title}'; use one of: {self.keys_text()}",
            )
        return Concept.model_validate(value)

    def keys_text(self) -> str:
        return ", ".join(self.concepts)


def _scheme(
    key: str, title: str, path: str, items: dict[str, tuple[str, str]], *, open_: bool = False
) -> Scheme:
    ns = SNB + path + "/"
    iri = ns + "25831c2"
    concepts = {
        k: Concept(id=ns + code, pref_label={"en": label}, in_scheme=iri)
        for k, (code, label) in items.items()
    }
    return Scheme(key, title, iri, ns, concepts, open_)


EQF = _scheme("eqf", "European Qualifications Framework", "eqf",
              {str(n): (str(n), f"Level {n}") for n in range(1, 9)})  # fmt: skip

MODE = _scheme(
    "mode",
    "Mode of learning and assessment",
    "learning-assessment",
    {
        "online": ("920fbb3cbe", "Online"),
        "onsite": ("9191af2ed9", "Presential"),
        "blended": ("e92d221e4d", "Blended"),
        "project-based": ("7813801c77", "Project based"),
        "work-based": ("729f3bed4b", "Workbased"),
        "research-lab": ("ed4c557045", "Research-Lab based"),
        "hybrid": ("c_3a90b26d", "Hybrid"),
    },
)

ASSESSMENT = _scheme(
    "assessment",
    "Assessment type",
    "assessment",
    {
        "written-exam": ("6e6cb2cc78", "Written examination"),
        "oral-exam": ("d30284d7df", "Oral examination"),
        "artefact": ("de4d165a6c", "Artefact assessment"),
        "portfolio": ("4f03b91c0e", "Portfolio"),
        "project": ("795dac4096", "Project work"),
        "peer-assessment": ("19a2e5e671", "Peer assessment"),
        "marked-assignment": ("2939dae15f", "Marked assignment"),
        "continuous-evaluation": ("3484bd7e51", "Continuous evaluation"),
        "group-performance": ("56539a6507", "Group performance"),
        "practical": ("6a4db9f11d", "Practical assessment"),
        "attendance": ("7331eb4762", "Level of attendance"),
        "peer-review": ("812e3b0ae1", "Peer review"),
        "quiz": ("b1b68f6735", "Quiz"),
        "problem-based": ("c4256a2726", "Problem based learning"),
    },
    open_=True,
)

SUPERVISION = _scheme(
    "supervision",
    "Supervision and verification of identity",
    "supervision-verification",
    {
        "unsupervised-no-id": ("c598449d64", "Unsupervised with no identity verification"),
        "unsupervised-id": ("df2880c5cb", "Unsupervised with identity verification"),
        "supervised-id": ("70be69aaf9", "Supervised with identity verification"),
    },
    open_=True,
)

LEARNING_SETTING = _scheme(
    "learning_setting",
    "Learning setting",
    "learning-setting",
    {
        "formal": ("6fd4685715", "Formal learning"),
        "non-formal": ("e207a81fc7", "Non-formal learning"),
    },
)

CREDIT = _scheme(
    "credit", "Education credit system", "education-credit",
    {"ects": ("6fcec5c5af", "European Credit Transfer and Accumulation System"),
     "ecvet": ("60b314e826", "European credit system for vocational education and training")},
    open_=True,
)  # fmt: skip

ACCREDITATION = _scheme(
    "accreditation", "Accreditation type", "accreditation",
    {"program-license": ("e57dddfcf3", "Program License"),
     "program-quality-assurance": ("820101cba6", "Program Quality Assurance"),
     "institutional-license": ("003293d2ce", "Institutional License"),
     "institutional-quality-assurance": ("bb4618238e", "Institutional Quality Assurance")},
    open_=True,
)  # fmt: skip

LEARNING_OPPORTUNITY = _scheme(
    "learning_opportunity", "Learning opportunity type", "learning-opportunity",
    {"short-programme": ("74a4a268e8", "Short learning programme"),
     "course": ("05053c1cbe", "Course"), "programme-module": ("0f7dac46ca", "Programme module"),
     "mentoring": ("11252a5207", "Mentoring"), "mooc": ("17744a2647", "MOOC"),
     "apprenticeship": ("63f9f6180c", "Apprenticeship"),
     "study-visit": ("65a4cf5de2", "Study visit"), "internship": ("77b99de990", "Internship"),
     "educational-programme": ("79343569f3", "Educational programme"),
     "class": ("7e1ac538db", "Class"), "service-learning": ("8b965da2d4", "Service learning"),
     "thesis": ("b2434ca358", "Thesis")},
    open_=True,
)  # fmt: skip

ISCED_F = _scheme("isced_f", "ISCED-F fields of education", "isced-f", {}, open_=True)

SCHEMES: dict[str, Scheme] = {
    s.key: s
    for s in (EQF, MODE, ASSESSMENT, SUPERVISION, LEARNING_SETTING, CREDIT, ACCREDITATION,
              LEARNING_OPPORTUNITY, ISCED_F)
}  # fmt: skip

ECTS = CREDIT.concepts["ects"]

#: Annex I "form of participation" words and their mode-of-learning concepts.
PARTICIPATION_MODES: dict[str, Concept] = {
    k: MODE.concepts[k] for k in ("online", "onsite", "blended")
}


def eqf_iri(level: int) -> str:
    return f"{EQF.namespace}{level}"


def eqf_level_from_iri(iri: str) -> int | None:
    if iri.startswith(EQF.namespace) and iri[len(EQF.namespace) :].isdigit():
        level = int(iri[len(EQF.namespace) :])
        return level if 1 <= level <= 8 else None
    return None


def country_alpha2(value: str) -> str | None:
    """ISO 3166-1 alpha-2 for an alpha-2, alpha-3 or EU authority country code."""
    code = value.rsplit("/", 1)[-1].upper() if value.startswith(COUNTRY_NS) else value.upper()
    if len(code) == 2:
        found = pycountry.countries.get(alpha_2=code)
    elif len(code) == 3:
        found = pycountry.countries.get(alpha_3=code)
    else:
        found = None
    return found.alpha_2 if found else None


def country_iri(alpha2: str) -> str:
    """The EU Publications Office country IRI (ISO alpha-3) EDC requires."""
    found = pycountry.countries.get(alpha_2=alpha2.upper())
    if found is None:
        raise ValueError(f"unknown ISO 3166-1 country code {alpha2!r}")
    return COUNTRY_NS + found.alpha_3


def country_name(alpha2: str) -> str:
    found = pycountry.countries.get(alpha_2=alpha2.upper())
    return found.name if found else alpha2


def language_iri(tag: str) -> str:
    """EU language authority IRI for a BCP 47 tag (``en`` → ``…/language/ENG``)."""
    primary = tag.split("-", 1)[0].lower()
    found = pycountry.languages.get(alpha_2=primary) if len(primary) == 2 else None
    if found is None and len(primary) == 3:
        found = pycountry.languages.get(alpha_3=primary)
    if found is None:
        raise ValueError(f"unknown language code {tag!r}")
    return LANGUAGE_NS + found.alpha_3.upper()


def language_tag(iri: str) -> str | None:
    """BCP 47 primary tag for an EU language IRI, or None when unknown."""
    code = iri.rsplit("/", 1)[-1].lower()
    found = pycountry.languages.get(alpha_3=code)
    if found is None:
        return None
    return getattr(found, "alpha_2", None) or found.alpha_3
