"""MicroCredential → Europass EDC (ELM 3, EDC application profile 1.1).

Places follow the shared elements-mapping table. Where the EDC AP and the EC
samples disagree, the output satisfies both the structural shapes
(EDC-generic-no-cv: ``issued``, ``validFrom``, ``eIDASIdentifier``) and the
samples' habits (``issuanceDate`` too). Whatever the hub holds that ELM has no
place for is returned as a :class:`Loss`, never dropped silently.
"""

from __future__ import annotations

from typing import Any

from microcred_vc.formats.base import Loss
from microcred_vc.formats.edc.common import (
    ATU_NS,
    ATU_SCHEME,
    ESCO_SKILL_SCHEME,
    STUDENT_ID_SCHEME,
    NodeIds,
    concept,
    country_concept,
    identifier,
    language_concept,
    note,
    vocab_concept,
    web_resource,
    xsd_date_as_datetime,
)
from microcred_vc.formats.edc.elm_parts import (
    categories,
    contact,
    identifiers,
    organisation_extras,
    part_link,
)
from microcred_vc.formats.edc.profile import legal_id_country
from microcred_vc.model import MicroCredential, Organisation, vocab
from microcred_vc.model.elements import Learner, QualityAssurance


def _legal_id(ids: NodeIds, kind: str, owner: str, notation: str, country: str) -> dict[str, Any]:
    return {
        "id": ids("legalIdentifier", kind, owner),
        "type": "LegalIdentifier",
        "notation": notation,
        "spatial": country_concept(country),
    }


def organisation(org: Organisation, ids: NodeIds) -> dict[str, Any]:
    """An ELM Organisation; what a credential read as found lacks is left out, not made up."""
    location: dict[str, Any] = {
        "id": ids("location", org.id),
        "type": "Location",
        "address": {
            "id": ids("address", org.id),
            "type": "Address",
        },
    }
    if org.country:
        location["address"]["countryCode"] = country_concept(org.country)
    if org.region:
        # An EU ATU concept when the hub has one, else the region's name as text
        if org.region.startswith(ATU_NS):
            location["spatialCode"] = concept(org.region, None, ATU_SCHEME)
        else:
            location["geographicName"] = {next(iter(org.legal_name or {"en": ""})): org.region}
    node: dict[str, Any] = {"id": org.id, "type": "Organisation"}
    if org.legal_name:
        node["legalName"] = dict(org.legal_name)
    if org.country or org.region:
        node["location"] = [location]
    eidas_country = legal_id_country(org.eidas_id, org.country)  # spatial: the id's own country
    if org.eidas_id and eidas_country:  # identifiers need their country: kept only with it
        node["eIDASIdentifier"] = _legal_id(ids, "eidas", org.id, org.eidas_id, eidas_country)
    if org.vat_id:
        node["vatIdentifier"] = [_legal_id(ids, "vat", org.id, org.vat_id, org.country)]
    if org.registration and org.country:
        node["registration"] = _legal_id(ids, "reg", org.id, org.registration, org.country)
    if org.homepage:
        node["homepage"] = [web_resource(ids, "homepage", org.homepage)]
    organisation_extras(org, ids, node, organisation)
    return node


def person(learner: Learner | None, ids: NodeIds, lang: str) -> dict[str, Any]:
    if learner is None:  # a credential read as found may name no learner
        return {"id": ids("person"), "type": "Person"}
    node: dict[str, Any] = {"id": learner.did or ids("person"), "type": "Person"}
    if learner.full_name:
        node["fullName"] = {lang: learner.full_name}
    if learner.given_name:
        node["givenName"] = {lang: learner.given_name}
    if learner.family_name:
        node["familyName"] = {lang: learner.family_name}
    if learner.date_of_birth:
        node["dateOfBirth"] = xsd_date_as_datetime(learner.date_of_birth)
    if learner.national_id:
        node["nationalID"] = _legal_id(
            ids, "national", "learner", learner.national_id.notation, learner.national_id.country
        )
    if learner.email:
        node["contactPoint"] = [contact(ids, "learner", learner.email, None)]
    if learner.student_id:
        node["identifier"] = [identifier(ids, "student", learner.student_id, STUDENT_ID_SCHEME)]
    return node


def accreditation(qa: QualityAssurance, i: int, ids: NodeIds, losses: list[Loss]) -> dict[str, Any]:
    node: dict[str, Any] = {"id": ids("accreditation", i), "type": "Accreditation"}
    if qa.type is not None:
        node["dcType"] = vocab_concept(qa.type)
    if qa.title:
        node["title"] = dict(qa.title)
    if qa.agent is not None:
        node["accreditingAgent"] = organisation(qa.agent, ids)
    if qa.report_url:
        node["report"] = web_resource(ids, "report", qa.report_url)
    return node


def _assessment_specs(mc: MicroCredential, ids: NodeIds) -> list[dict[str, Any]]:
    specs = []
    for i, assessment in enumerate(mc.assessments):
        spec: dict[str, Any] = {
            "id": ids("learningAssessmentSpec", i),
            "type": "LearningAssessmentSpecification",
        }
        if assessment.title:
            spec["title"] = dict(assessment.title)
        if assessment.type is not None:
            spec["dcType"] = vocab_concept(assessment.type)
        if assessment.mode is not None:
            spec["mode"] = [vocab_concept(assessment.mode)]
        scheme = mc.grading_scheme if i == 0 else assessment.grading_scheme
        if scheme:
            spec["gradingScheme"] = {
                "id": ids("gradingScheme", *([i] if i else [])),
                "type": "GradingScheme",
                "title": dict(scheme),
            }
            if assessment.grading_description:
                spec["gradingScheme"]["description"] = dict(assessment.grading_description)
        languages = [c for c in map(language_concept, assessment.languages) if c is not None]
        if languages:
            spec["language"] = languages
        specs.append(spec)
    return specs


def specification(mc: MicroCredential, ids: NodeIds, losses: list[Loss]) -> dict[str, Any]:
    """Qualification when levelled (EQF/NQF live only there), else a LearningAchievementSpecification."""
    qualification = mc.eqf_level is not None or mc.nqf_level is not None
    spec: dict[str, Any] = {
        "id": mc.achievement_id,
        "type": "Qualification" if qualification else "LearningAchievementSpecification",
        "dcType": [vocab_concept(vocab.LEARNING_OPPORTUNITY.concepts["short-programme"])],
    }
    if mc.title:
        spec["title"] = dict(mc.title)
    if mc.learning_outcomes:
        spec["learningOutcome"] = [
            _outcome(outcome, i, ids) for i, outcome in enumerate(mc.learning_outcomes)
        ]
    if mc.participation_concept is not None:
        spec["mode"] = [vocab_concept(mc.participation_concept)]
    if mc.assessments:
        spec["provenBy"] = _assessment_specs(mc, ids)
    if mc.ects is not None:
        spec["creditPoint"] = [
            {
                "id": ids("creditPoint"),
                "type": "CreditPoint",
                "framework": vocab_concept(mc.credit_system),
                "point": format(mc.ects, "f"),
            }
        ]
    if mc.workload_hours is not None:
        spec["volumeOfLearning"] = f"PT{mc.workload_hours}H"
    if mc.eqf_concept is not None:
        spec["eqfLevel"] = vocab_concept(mc.eqf_concept)
    if mc.nqf_level is not None:
        spec["nqfLevel"] = [vocab_concept(mc.nqf_level)]
    if mc.learning_outcome_summary:
        spec["learningOutcomeSummary"] = note(ids, "outcomeSummary", mc.learning_outcome_summary)
    if mc.entry_requirements:
        spec["entryRequirement"] = note(ids, "entryRequirement", mc.entry_requirements)
    if mc.learning_setting is not None:
        spec["learningSetting"] = vocab_concept(mc.learning_setting)
    if mc.max_duration:
        spec["maximumDuration"] = mc.max_duration
    if mc.homepage:
        spec["homepage"] = [web_resource(ids, "homepage", mc.homepage)]
    if mc.resources:
        spec["supplementaryDocument"] = [web_resource(ids, "resource", url) for url in mc.resources]
    languages = [c for c in (language_concept(tag) for tag in mc.languages) if c is not None]
    if languages:
        spec["language"] = languages
    if len(languages) != len(mc.languages):
        losses.append(Loss("languages", "a language code has no EU language authority IRI"))
    if mc.isced_f:
        spec["thematicArea"] = [vocab_concept(c) for c in mc.isced_f]
    if qualification and mc.quality_assurance:
        spec["accreditation"] = [
            accreditation(qa, i, ids, losses) for i, qa in enumerate(mc.quality_assurance)
        ]
    if mc.achievement_identifiers:
        spec["identifier"] = identifiers(ids, "spec", mc.achievement_identifiers)
    if mc.categories:
        spec["category"] = categories(mc.categories)
    if mc.education_subjects:
        spec["educationSubject"] = [vocab_concept(c) for c in mc.education_subjects]
    if mc.partial_qualification is not None:
        if qualification:
            spec["isPartialQualification"] = mc.partial_qualification
        else:
            losses.append(Loss("partial_qualification", "ELM has the partial-qualification "
                                                        "flag only on a levelled Qualification"))  # fmt: skip
    for name, key in (("part_of", "isPartOf"), ("has_part", "hasPart")):
        links = [part_link(mc, iri, spec["type"]) for iri in getattr(mc, name)]
        if any(links):
            spec[key] = [link for link in links if link]
        if not all(links):
            losses.append(Loss(name, "ELM links parts as described specifications (with a "
                                     "title); a part given without its title cannot be carried"))  # fmt: skip
    return spec


def _outcome(outcome: Any, i: int, ids: NodeIds) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": ids("learningOutcome", i),
        "type": "LearningOutcome",
    }
    if outcome.title:
        node["title"] = dict(outcome.title)
    skills = [outcome.esco_skill] if outcome.esco_skill else []
    skills += outcome.more_esco_skills
    if skills:
        node["relatedESCOSkill"] = [concept(iri, None, ESCO_SKILL_SCHEME) for iri in skills]
    if outcome.related_skills:
        node["relatedSkill"] = [vocab_concept(c) for c in outcome.related_skills]
    if outcome.reusability is not None:
        node["reusabilityLevel"] = vocab_concept(outcome.reusability)
    return node
