"""Read an OpenBadgeCredential back into the hub, reporting every field left behind.

Our own dumps carry the extension terms and come back exactly. Badges from
other issuers usually lack the Council's mandatory elements (assessment type,
quality assurance...): they are read as found, with a completeness report naming the
missing elements in words, because inventing them would misinform a verifier.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from microcred_vc.errors import FormatError
from microcred_vc.formats.base import Loss
from microcred_vc.formats.jsonld_values import as_list, concept_in, note_in, profile_in
from microcred_vc.formats.ob3 import parts
from microcred_vc.formats.ob3.terms import CREDENTIAL_TYPES, EQF_TYPE, ESCO_TYPE, ISCED_TYPE
from microcred_vc.model import vocab
from microcred_vc.model.elements import MicroCredential
from microcred_vc.model.found import build_found, require_annex_i

_HOURS = re.compile(r"^PT(\d+)H$")
_IGNORED_TOP = {"@context", "type", "credentialSchema", "name"}
_PRIVATE_IDS = {"name", "emailAddress", "sisSourcedId", "studentId", "nationalIdentityNumber"}


class _Reader:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.losses: list[Loss] = []

    def lose(self, path: str, reason: str) -> None:
        self.losses.append(Loss(path, reason))

    def leftovers(self, node: dict[str, Any], used: set[str], prefix: str) -> None:
        for key in sorted(set(node) - used):
            reason = {
                "proof": "the signature does not carry over; sign the converted credential",
                "credentialStatus": "status entries are re-issued by the target issuer",
            }.get(key, "no element of an EU micro-credential holds this")
            self.lose(f"{prefix}{key}", reason)

    # --- learner ---------------------------------------------------------------
    def learner(self, subject: dict[str, Any]) -> dict[str, Any]:
        learner: dict[str, Any] = {}
        if subject.get("id"):
            learner["did"] = subject["id"]
        national_notation = None
        for i, ident in enumerate(as_list(subject.get("identifier"))):
            kind = ident.get("identityType") if isinstance(ident, dict) else None
            path = f"credentialSubject.identifier[{i}]"
            if not isinstance(kind, str) or kind not in _PRIVATE_IDS:
                self.lose(path, f"identity type {kind!r} has no place in the learner element")
                continue
            if ident.get("hashed"):
                self.lose(path, f"hashed {kind} cannot be read back as the learner's {kind}")
                continue
            value = ident.get("identityHash")
            if kind == "name":
                learner["full_name"] = value
            elif kind == "emailAddress":
                learner["email"] = value
            elif kind == "nationalIdentityNumber":
                national_notation = value
            else:
                learner["student_id"] = value
        for src, dst in (("givenName", "given_name"), ("familyName", "family_name")):
            if subject.get(src):
                learner[dst] = subject[src]
        if subject.get("dateOfBirth"):
            learner["date_of_birth"] = subject["dateOfBirth"]
        legal = subject.get("nationalID")
        if isinstance(legal, dict):
            learner["national_id"] = {
                "notation": legal.get("notation"),
                "country": legal.get("spatial"),
            }
        elif national_notation:
            self.lose("credentialSubject.identifier", "national ID number without its country")
        return learner

    # --- achievement -----------------------------------------------------------
    def outcomes(self, ach: dict[str, Any], lang: str) -> list[Any]:
        if "learningOutcome" in ach:
            return [
                _outcome_in(lo) for lo in as_list(ach["learningOutcome"]) if isinstance(lo, dict)
            ]
        skills = [
            {"title": {lang: a.get("targetName")}, "esco_skill": a.get("targetUrl")}
            if _is_esco(a)
            else {"title": {lang: a.get("targetName")}, "related_skills": [_aligned(a, lang)]}
            for a in as_list(ach.get("alignment"))
            if isinstance(a, dict) and (_is_esco(a) or a.get("targetType") in parts.SKILL_TYPES)
        ]
        if skills:
            return skills
        criteria = ach.get("criteria")
        narrative = criteria.get("narrative") if isinstance(criteria, dict) else None
        if isinstance(narrative, str) and narrative:
            self.lose("credentialSubject.achievement.criteria.narrative",
                      "free-text criteria read as a single learning outcome")  # fmt: skip
            return [{"title": {lang: narrative}}]
        return []

    def alignments(self, ach: dict[str, Any], data: dict[str, Any], lang: str) -> None:
        for i, align in enumerate(as_list(ach.get("alignment"))):
            if not isinstance(align, dict):
                continue
            url = str(align.get("targetUrl", ""))
            level = vocab.eqf_level_from_iri(url)
            if level is not None or align.get("targetType") == EQF_TYPE:
                data.setdefault("eqf_level", level or align.get("targetCode"))
            elif _is_esco(align) or align.get("targetType") in parts.SKILL_TYPES:
                if align.get("targetType") in parts.SKILL_TYPES and "learningOutcome" in ach:
                    self.lose(f"credentialSubject.achievement.alignment[{i}]",
                              "a skill alignment beside the learning outcomes they hold")  # fmt: skip
            elif align.get("targetType") == ISCED_TYPE or url.startswith(vocab.ISCED_F.namespace):
                if "thematicArea" not in ach:
                    data.setdefault("isced_f", []).append(url)
            elif "educationSubject" not in ach:  # another framework: ELM educationSubject
                data.setdefault("education_subjects", []).append(_aligned(align, lang))
            else:
                self.lose(f"credentialSubject.achievement.alignment[{i}]",
                          "alignment beside the subjects the badge lists")  # fmt: skip

    def achievement(self, ach: dict[str, Any], data: dict[str, Any]) -> None:
        lang = ach.get("inLanguage") or "en"
        used = {"id", "type", "achievementType", "name", "title", "description", "descriptionMap",
                "criteria", "creator", "alignment", "resultDescription", "fieldOfStudy"}  # fmt: skip
        data["achievement_id"] = ach.get("id")
        data["title"] = ach.get("title") or ({lang: ach["name"]} if ach.get("name") else None)
        if ach.get("descriptionMap") or ach.get("description"):
            data["description"] = ach.get("descriptionMap") or {lang: ach["description"]}
        data["learning_outcomes"] = self.outcomes(ach, lang)
        criteria = ach.get("criteria") or {}
        if isinstance(criteria, dict) and criteria.get("id"):
            data["homepage"] = criteria["id"]
        self.alignments(ach, data, lang)
        used |= parts.read_achievement_extras(ach, data, lang)
        if ach.get("awardingBody"):
            data["awarding_bodies"] = [profile_in(p, lang)[0] for p in as_list(ach["awardingBody"])]
        elif ach.get("creator"):
            data["awarding_bodies"] = [profile_in(ach["creator"], lang)[0]]
        if "creditsAvailable" in ach:
            used.add("creditsAvailable")
            data["ects"] = _decimal(ach["creditsAvailable"])
        if "volumeOfLearning" in ach:
            used.add("volumeOfLearning")
            match = _HOURS.match(str(ach["volumeOfLearning"]))
            if match:
                data["workload_hours"] = int(match.group(1))
            else:
                self.lose("credentialSubject.achievement.volumeOfLearning",
                          "only whole hours (PT<n>H) are held as notional workload")  # fmt: skip
        direct = {
            "humanCode": "code", "learningOutcomeSummary": "learning_outcome_summary",
            "qfEheaCycle": "qf_ehea_cycle", "entryRequirement": "entry_requirements",
            "gradingScheme": "grading_scheme",
            "maximumDuration": "max_duration", "supplementaryDocument": "resources",
            "learnerOutcome": "learner_outcome", "instructionLanguage": "languages",
        }  # fmt: skip
        concepts = {"creditSystem": "credit_system", "nqfLevel": "nqf_level",
                    "idVerification": "supervision", "learningSetting": "learning_setting",
                    "mode": "participation_mode"}  # fmt: skip
        for key, field in direct.items():
            if key in ach:
                used.add(key)
                value = ach[key]
                data[field] = as_list(value) if field in _LIST_FIELDS else value
        for key, field in concepts.items():
            if key in ach:
                used.add(key)
                data[field] = concept_in(ach[key])
        if isinstance(data.get("participation_mode"), dict):
            data["participation_mode"] = data["participation_mode"]["id"]
        if "inLanguage" in ach:
            used.add("inLanguage")
            data.setdefault("languages", [ach["inLanguage"]])
        if "thematicArea" in ach:
            used.add("thematicArea")
            data["isced_f"] = [concept_in(c) for c in as_list(ach["thematicArea"])]
        if "stackable" in ach:
            used.add("stackable")
            data["stackability"] = "stackable" if ach["stackable"] is True else "standalone"
        if "additionalNote" in ach:
            used.add("additionalNote")
            data["additional_info"] = [note_in(n) for n in as_list(ach["additionalNote"])]
        used |= {"awardingBody", "learningOutcome", "assessment", "accreditation"}
        if isinstance(ach.get("fieldOfStudy"), str) and "thematicArea" not in ach:
            # free text, no ISCED-F code: ELM keeps it as a category (keyword), as it does tags
            data.setdefault("categories", []).append({lang: ach["fieldOfStudy"]})
        data["assessments"] = [_assessment(a, lang) for a in as_list(ach.get("assessment"))]
        data["quality_assurance"] = [
            _accreditation(a, lang) for a in as_list(ach.get("accreditation"))
        ]
        for key in ("quality_assurance", "learning_outcomes"):
            if not data[key]:
                del data[key]
        self.leftovers(ach, used, "credentialSubject.achievement.")


_LIST_FIELDS = {"part_of", "has_part", "resources", "learner_outcome", "languages"}


def _is_esco(align: dict[str, Any]) -> bool:
    return align.get("targetType") == ESCO_TYPE or str(align.get("targetUrl", "")).startswith(
        vocab.ESCO_SKILL_NS
    )


def _decimal(value: Any) -> Any:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value


def _assessment(node: Any, lang: str) -> Any:
    if not isinstance(node, dict):
        return node
    out = {"title": node.get("title"), "type": concept_in(node.get("dcType"))}
    if node.get("mode"):
        out["mode"] = concept_in(node["mode"])
    return {**out, **parts.read_assessment(node, lang)}


def _outcome_in(lo: dict[str, Any]) -> dict[str, Any]:
    skills = as_list(lo.get("relatedESCOSkill"))
    out: dict[str, Any] = {"title": lo.get("title")}
    if skills:
        out["esco_skill"], out["more_esco_skills"] = skills[0], skills[1:]
    if lo.get("relatedSkill"):
        out["related_skills"] = [concept_in(c) for c in as_list(lo["relatedSkill"])]
    if lo.get("reusabilityLevel"):
        out["reusability"] = concept_in(lo["reusabilityLevel"])
    return out


def _aligned(align: dict[str, Any], lang: str) -> dict[str, Any]:
    """An alignment target as an ELM concept: its IRI and its name as the label."""
    out: dict[str, Any] = {"id": align.get("targetUrl")}
    if align.get("targetName"):
        out["pref_label"] = {lang: align["targetName"]}
    return out


def _accreditation(node: Any, lang: str) -> Any:
    if not isinstance(node, dict):
        return node
    out = {
        "type": concept_in(node.get("dcType")),
        "title": node.get("title"),
        "agent": profile_in(node.get("accreditingAgent"), lang)[0],
    }
    if node.get("report"):
        out["report_url"] = node["report"]
    return out


def load(doc: Any, *, require: str | None = None) -> tuple[MicroCredential, list[Loss]]:
    """An OpenBadgeCredential (VC 2.0 or 1.1) → the hub as found, and what did not fit.

    The result is a :class:`~microcred_vc.model.found.LearningCredential` whose
    ``completeness`` names the missing Annex I elements; ``require="annex-i"``
    returns the strict micro-credential or raises ConversionError naming them.
    """
    if not isinstance(doc, dict):
        raise FormatError("An Open Badges 3.0 credential must be a JSON object")
    types = {t for t in as_list(doc.get("type")) if isinstance(t, str)}
    if not types & CREDENTIAL_TYPES:
        raise FormatError("Not an Open Badges 3.0 credential: type lacks OpenBadgeCredential")
    subject = doc.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    if not isinstance(subject, dict):
        raise FormatError("Not an Open Badges 3.0 credential: credentialSubject missing")
    reader = _Reader(doc)
    if not isinstance(subject.get("achievement"), dict):
        # read as found: the validator's error fixtures lack it; completeness says so
        subject = {**subject, "achievement": {}}
    data: dict[str, Any] = {}
    if doc.get("id"):
        data["id"] = doc["id"]
    ach = subject["achievement"]
    lang = ach.get("inLanguage") or "en"
    issuer, unused = profile_in(doc.get("issuer"), lang)
    for key in unused:
        reader.lose(f"issuer.{key}", "no element of an EU micro-credential holds this")
    data["issuer"] = issuer
    for src, dst in (("validFrom", "issued_at"), ("issuanceDate", "issued_at"),
                     ("validUntil", "valid_until"), ("expirationDate", "valid_until"),
                     ("awardedDate", "awarded_at")):  # fmt: skip
        if doc.get(src):
            data.setdefault(dst, doc[src])
    reader.achievement(ach, data)
    data.setdefault("awarding_bodies", [issuer])
    data["learner"] = reader.learner(subject)
    parts.read_results(subject, ach, data, lang, reader.lose)
    if not data["assessments"]:
        del data["assessments"]
    parts.read_credential_extras(doc, subject, data)
    for src, dst in (("activityStartDate", "start"), ("activityEndDate", "end")):
        if subject.get(src):
            data[dst] = subject[src]
    used = {"id", "type", "identifier", "givenName", "familyName", "dateOfBirth", "nationalID",
            "achievement", "result", "activityStartDate", "activityEndDate", "creditsEarned",
            "narrative"}  # fmt: skip
    reader.leftovers(subject, used, "credentialSubject.")
    top_used = _IGNORED_TOP | {"id", "issuer", "validFrom", "issuanceDate", "validUntil",
                               "expirationDate", "awardedDate", "credentialSubject",
                               "evidence", "credentialIdentifier"}  # fmt: skip
    if doc.get("description") and doc["description"] != ach.get("description"):
        reader.lose(
            "description", "the credential's own description differs from the achievement's"
        )
    top_used.add("description")
    reader.leftovers(doc, top_used, "")
    found = build_found(data, reader.losses, Loss)
    return require_annex_i(found, require, "Open Badge"), reader.losses
