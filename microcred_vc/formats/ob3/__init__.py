"""Open Badges 3.0 (OB 3.0.3 on VC 2.0): a MicroCredential out as an OpenBadgeCredential, and back.

OB3 has native fields for about half of the Annex I elements. The rest (type of
assessment, form of participation, quality assurance, ...) go into the
project's extension context (``contexts/microcredential-v1.jsonld``), whose
terms are ELM property IRIs, so nothing is lost and the document stays valid
in JSON-LD safe mode. The OB3-native view (criteria narrative, ESCO/EQF
alignments, result) is still written, so a plain OB3 wallet shows it well.

``load`` also reads OB3 badges written by others: what the hub cannot hold is
returned as ``Loss`` entries, and a badge that lacks mandatory micro-credential
elements raises ``ConversionError`` naming them.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from microcred_vc.errors import FormatError
from microcred_vc.formats.jsonld_values import concept_out, iso, note_out, profile_out
from microcred_vc.formats.ob3 import parts
from microcred_vc.formats.ob3.terms import (
    CONTEXT,
    EQF_TYPE,
    ESCO_TYPE,
    ISCED_TYPE,
    OB3_CONTEXT,
    OB3_SCHEMA,
    VC_V2,
)
from microcred_vc.model import vocab
from microcred_vc.model.elements import MicroCredential
from microcred_vc.model.types import primary_text


def _outcomes_out(mc: MicroCredential) -> list[dict[str, Any]]:
    out = []
    for lo in mc.learning_outcomes:
        node: dict[str, Any] = {"type": "LearningOutcome"}
        if lo.title:
            node["title"] = dict(lo.title)
        if lo.esco_skill:
            more = list(lo.more_esco_skills)
            node["relatedESCOSkill"] = [lo.esco_skill, *more] if more else lo.esco_skill
        if lo.related_skills:
            node["relatedSkill"] = [concept_out(c) for c in lo.related_skills]
        if lo.reusability:
            node["reusabilityLevel"] = concept_out(lo.reusability)
        out.append(node)
    return out


def _alignments(mc: MicroCredential, lang: str) -> list[dict[str, Any]]:
    out = [
        {
            "type": ["Alignment"],
            "targetName": primary_text(lo.title, lang),
            "targetUrl": lo.esco_skill,
            "targetFramework": "ESCO",
            "targetType": ESCO_TYPE,
        }
        for lo in mc.learning_outcomes
        if lo.esco_skill and lo.title
    ]
    if mc.eqf_level:
        out.append(
            {
                "type": ["Alignment"],
                "targetName": f"EQF level {mc.eqf_level}",
                "targetUrl": vocab.eqf_iri(mc.eqf_level),
                "targetCode": str(mc.eqf_level),
                "targetFramework": "European Qualifications Framework",
                "targetType": EQF_TYPE,
            }
        )
    for area in mc.isced_f:
        code = area.id.rsplit("/", 1)[-1]
        out.append(
            {
                "type": ["Alignment"],
                "targetName": area.label(lang) if area.pref_label else f"ISCED-F {code}",
                "targetUrl": area.id,
                "targetCode": code,
                "targetFramework": "ISCED-F 2013",
                "targetType": ISCED_TYPE,
            }
        )
    return out


def _narrative(mc: MicroCredential, lang: str) -> str:
    lines = ["Learning outcomes:", ""]
    lines += [f"- {primary_text(lo.title, lang)}" for lo in mc.learning_outcomes if lo.title]
    if mc.learning_outcome_summary:
        lines += ["", primary_text(mc.learning_outcome_summary, lang)]
    return "\n".join(lines)


def _present(node: dict[str, Any]) -> dict[str, Any]:
    """A credential read as found may lack an element: it is left out, never made up."""
    return {k: v for k, v in node.items() if v is not None}


def _achievement(mc: MicroCredential, lang: str) -> dict[str, Any]:
    # OB3 requires a description; the mapping table's rule is the title in its place
    description = mc.description or mc.title
    mode = mc.participation_concept
    ach: dict[str, Any] = _present({
        "id": mc.achievement_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": primary_text(mc.title, lang) if mc.title else None,
        "title": dict(mc.title) if mc.title else None,
        "description": primary_text(description, lang) if description else None,
        "descriptionMap": dict(description) if description else None,
        "criteria": {"narrative": _narrative(mc, lang)},
        "creator": profile_out(mc.awarding_bodies[0]) if mc.awarding_bodies else None,
        "awardingBody": [profile_out(o) for o in mc.awarding_bodies] or None,
        "learningOutcome": _outcomes_out(mc) or None,
        "creditSystem": concept_out(mc.credit_system),
        "assessment": [
            _present({
                "type": "LearningAssessmentSpecification",
                "title": dict(a.title) if a.title else None,
                "dcType": concept_out(a.type) if a.type else None,
                "mode": concept_out(a.mode) if a.mode else None,
                **parts.assessment_out(a),
            })
            for a in mc.assessments
        ] or None,
        "mode": concept_out(mode) if mode else None,
        "accreditation": [
            _present({
                "type": "Accreditation",
                "dcType": concept_out(q.type) if q.type else None,
                "title": dict(q.title) if q.title else None,
                "accreditingAgent": profile_out(q.agent) if q.agent else None,
                "report": q.report_url,
            })
            for q in mc.quality_assurance
        ] or None,
        "stackable": mc.stackability == "stackable",
    })  # fmt: skip
    if mc.homepage:
        ach["criteria"]["id"] = mc.homepage
    if alignments := _alignments(mc, lang):
        ach["alignment"] = alignments
    if mc.ects is not None:
        ach["creditsAvailable"] = float(mc.ects)
    if mc.workload_hours is not None:
        ach["volumeOfLearning"] = f"PT{mc.workload_hours}H"
    if mc.code:
        ach["humanCode"] = mc.code
    if mc.languages:
        ach["inLanguage"] = mc.languages[0]
        ach["instructionLanguage"] = list(mc.languages)
    if mc.isced_f:
        ach["fieldOfStudy"] = ", ".join(c.label(lang) for c in mc.isced_f)
        ach["thematicArea"] = [concept_out(c) for c in mc.isced_f]
    if descriptions := parts.result_descriptions(mc, lang):
        ach["resultDescription"] = descriptions
    parts.achievement_extras(mc, lang, ach)
    optional: dict[str, Any] = {
        "learningOutcomeSummary": mc.learning_outcome_summary,
        "nqfLevel": concept_out(mc.nqf_level) if mc.nqf_level else None,
        "qfEheaCycle": mc.qf_ehea_cycle,
        "entryRequirement": mc.entry_requirements,
        "idVerification": concept_out(mc.supervision) if mc.supervision else None,
        "gradingScheme": mc.grading_scheme,
        "additionalNote": [note_out(n) for n in mc.additional_info] or None,
        "maximumDuration": mc.max_duration,
        "supplementaryDocument": list(mc.resources) or None,
        "learnerOutcome": list(mc.learner_outcome) or None,
        "learningSetting": concept_out(mc.learning_setting) if mc.learning_setting else None,
    }
    ach.update({k: v for k, v in optional.items() if v is not None})
    return ach


def _identity(kind: str, value: str, salt: str | None) -> dict[str, Any]:
    """An IdentityObject; hashed as OB 2.0/3.0 do: ``sha256$`` + hex(sha256(value + salt))."""
    if salt is None:
        return {"type": "IdentityObject", "identityHash": value, "identityType": kind,
                "hashed": False}  # fmt: skip
    digest = hashlib.sha256((value + salt).encode("utf-8")).hexdigest()
    return {"type": "IdentityObject", "identityHash": f"sha256${digest}", "identityType": kind,
            "hashed": True, "salt": salt}  # fmt: skip


def _subject(mc: MicroCredential, lang: str, salt: str | None) -> dict[str, Any]:
    from microcred_vc.model.found import FoundLearner

    learner = mc.learner or FoundLearner()  # a credential as found may name no learner
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if learner.did:
        subject["id"] = learner.did
    private = [("emailAddress", learner.email), ("sisSourcedId", learner.student_id)]
    if learner.national_id:
        private.append(("nationalIdentityNumber", learner.national_id.notation))
    # The name stays readable: a credential nobody can attribute cannot be displayed.
    named = [_identity("name", learner.full_name, None)] if learner.full_name else []
    subject["identifier"] = named + [
        _identity(kind, value, salt) for kind, value in private if value
    ]
    if not subject["identifier"]:
        del subject["identifier"]
    if learner.given_name:
        subject["givenName"] = learner.given_name
    if learner.family_name:
        subject["familyName"] = learner.family_name
    if salt is None and learner.date_of_birth:
        subject["dateOfBirth"] = learner.date_of_birth.isoformat()
    if salt is None and learner.national_id:
        subject["nationalID"] = {
            "type": "LegalIdentifier",
            "notation": learner.national_id.notation,
            "spatial": vocab.country_iri(learner.national_id.country),
        }
    subject["achievement"] = _achievement(mc, lang)
    if results := parts.results(mc):
        subject["result"] = results
    if mc.start:
        subject["activityStartDate"] = iso(mc.start)
    if mc.end:
        subject["activityEndDate"] = iso(mc.end)
    return subject


def dump(
    mc: MicroCredential, *, hash_identifiers: bool = False, salt: str | None = None
) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential carrying every element of ``mc``.

    ``hash_identifiers`` hashes the learner's email, student number and
    national ID (with ``salt``, random if not given) and leaves out the date of
    birth and national ID details, for badges that travel beyond the issuer.
    Hashes cannot be read back, so ``load`` then reports them as losses.
    """
    if not isinstance(mc, MicroCredential):
        raise FormatError("ob3.dump needs a MicroCredential")
    if salt is not None and not hash_identifiers:
        raise FormatError("a salt is only used with hash_identifiers=True")
    if hash_identifiers and salt is None:
        salt = secrets.token_hex(16)
    lang = mc.primary_language
    doc: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": mc.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
    }
    if mc.title:
        doc["name"] = primary_text(mc.title, lang)
    if mc.issuer is not None:
        doc["issuer"] = profile_out(mc.issuer)
    if mc.issued_at is not None:
        doc["validFrom"] = iso(mc.issued_at)
    if mc.valid_until:
        doc["validUntil"] = iso(mc.valid_until)
    if mc.awarded_at:
        doc["awardedDate"] = iso(mc.awarded_at)
    doc["credentialSubject"] = _subject(mc, lang, salt)
    parts.credential_extras(mc, doc, doc["credentialSubject"])
    doc["credentialSchema"] = [{"id": OB3_SCHEMA, "type": "JsonSchema"}]
    return doc


from microcred_vc.formats.ob3.reading import load  # noqa: E402  (the reader, kept in its own module)

__all__ = ["CONTEXT", "OB3_CONTEXT", "VC_V2", "dump", "load"]
