"""OB3 places for the hub parts beyond Annex I (issue 19 item 4), written and read here.

Native OB3 where it has a field (``creditsEarned``, ``evidence``, ``otherIdentifier``,
``tag``, ``result[]`` with ``resultDescription``, ``narrative``); the ``mc:``
extension (ELM property IRIs) where it has none (learning activity, subjects,
partial qualification, credential identifiers).
"""

from __future__ import annotations

import re
from typing import Any

from microcred_vc.formats.base import Loss
from microcred_vc.formats.jsonld_values import (
    as_list,
    concept_in,
    concept_out,
    identifier_in,
    identifier_out,
    profile_in,
    profile_out,
)
from microcred_vc.model.elements import MicroCredential
from microcred_vc.model.types import primary_text

_LETTER = re.compile(r"^[A-F][+-]?$")
#: OB3 alignment target types that name a skill or competency (→ ELM relatedSkill)
SKILL_TYPES = frozenset({"ceasn:Competency", "CFItem"})


# --- writing --------------------------------------------------------------------
def grade_id(mc: MicroCredential, i: int) -> str:
    return f"{mc.achievement_id}#grade" + (f"-{i}" if i else "")


def result_descriptions(mc: MicroCredential, lang: str) -> list[dict[str, Any]]:
    """One ResultDescription per graded assessment: the ELM GradingScheme in OB3 words."""
    out = []
    for i in range(max(1, len(mc.assessments))):
        item = mc.assessments[i] if i < len(mc.assessments) else None
        grade = mc.grade if i == 0 else item.grade if item else None
        scheme = mc.grading_scheme if i == 0 else item.grading_scheme if item else None
        if grade is None and not (i == 0 and scheme):
            continue
        rd: dict[str, Any] = {
            "id": grade_id(mc, i),
            "type": ["ResultDescription"],
            "name": primary_text(scheme, lang) if scheme else "Grade",
            "resultType": "LetterGrade" if grade and _LETTER.match(grade) else "Result",
        }
        if item is not None and item.grading_description:
            rd["description"] = primary_text(item.grading_description, lang)
        out.append(rd)
    return out


def results(mc: MicroCredential) -> list[dict[str, Any]]:
    out = []
    if mc.grade is not None or mc.result_status:
        first: dict[str, Any] = {"type": ["Result"]}
        if mc.grade is not None:
            first["resultDescription"] = grade_id(mc, 0)
            first["value"] = mc.grade
        if mc.result_status:
            first["status"] = mc.result_status
        out.append(first)
    for i, item in enumerate(mc.assessments[1:], start=1):
        if item.grade is not None:
            out.append(
                {"type": ["Result"], "resultDescription": grade_id(mc, i), "value": item.grade}
            )
    return out


def assessment_out(item: Any) -> dict[str, Any]:
    """The extra parts of one ``mc:assessment`` node (beyond title, type, mode)."""
    out: dict[str, Any] = {}
    if item.grading_scheme:
        out["gradingScheme"] = dict(item.grading_scheme)
    if item.grading_description:
        out["gradingDescription"] = dict(item.grading_description)
    if item.assessed_by is not None:
        out["assessedBy"] = profile_out(item.assessed_by)
    if item.languages:
        out["instructionLanguage"] = list(item.languages)
    return out


def achievement_extras(mc: MicroCredential, lang: str, ach: dict[str, Any]) -> None:
    if mc.achievement_identifiers:
        ach["otherIdentifier"] = [
            identifier_out(i.notation, i.scheme) for i in mc.achievement_identifiers
        ]
    if mc.categories:
        ach["tag"] = [primary_text(c, lang) for c in mc.categories]
    if mc.education_subjects:
        ach["educationSubject"] = [concept_out(c) for c in mc.education_subjects]
    if mc.partial_qualification is not None:
        ach["isPartialQualification"] = mc.partial_qualification
    if mc.activity is not None:
        act = mc.activity
        node: dict[str, Any] = {"type": "LearningActivity"}
        for key, value in (
            ("title", dict(act.title) if act.title else None),
            ("descriptionMap", dict(act.description) if act.description else None),
            ("dcType", concept_out(act.type) if act.type else None),
            ("mode", concept_out(act.mode) if act.mode else None),
            ("volumeOfLearning", act.volume),
            ("instructionLanguage", list(act.languages) or None),
            ("directedBy", profile_out(act.directed_by) if act.directed_by else None),
        ):
            if value is not None:
                node[key] = value
        ach["learningActivity"] = node
    for name, key in (("part_of", "isPartOf"), ("has_part", "hasPart")):
        titles = {p.id: p.title for p in mc.part_titles}
        links = [
            {"id": iri, "title": dict(titles[iri])} if iri in titles else iri
            for iri in getattr(mc, name)
        ]
        if links:
            ach[key] = links


def credential_extras(mc: MicroCredential, doc: dict[str, Any], subject: dict[str, Any]) -> None:
    if mc.credits_earned is not None:
        subject["creditsEarned"] = float(mc.credits_earned)
    if mc.evidence:
        doc["evidence"] = [_evidence_out(e) for e in mc.evidence]
    if mc.identifiers:
        doc["credentialIdentifier"] = [
            {"type": "Identifier", "notation": i.notation, **({"schemeName": i.scheme} if i.scheme else {})}
            for i in mc.identifiers
        ]  # fmt: skip


def _evidence_out(item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ["Evidence"]}
    if item.id:
        out["id"] = item.id
    for key in ("name", "description", "narrative", "genre", "audience"):
        if getattr(item, key):
            out[key] = getattr(item, key)
    if item.type is not None:
        out["dcType"] = concept_out(item.type)
    return out


def dump_losses(mc: MicroCredential) -> list[Loss]:
    """What the hub holds that an OB3 document cannot: keywords are plain strings."""
    lang = mc.primary_language
    return [
        Loss(f"categories[{i}]", f"an OB3 tag is one string; kept in {lang} only")
        for i, c in enumerate(mc.categories)
        if set(c) - {lang}
    ]


# --- reading --------------------------------------------------------------------
def read_assessment(node: dict[str, Any], lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for src, dst in (
        ("gradingScheme", "grading_scheme"),
        ("gradingDescription", "grading_description"),
    ):
        if node.get(src):
            out[dst] = node[src]
    if node.get("assessedBy"):
        out["assessed_by"] = profile_in(node["assessedBy"], lang)[0]
    if node.get("instructionLanguage"):
        out["languages"] = as_list(node["instructionLanguage"])
    return out  # fmt: skip


def read_achievement_extras(ach: dict[str, Any], data: dict[str, Any], lang: str) -> set[str]:
    """The extras on the achievement; returns the keys used."""
    used = {"otherIdentifier", "tag", "educationSubject", "isPartialQualification",
            "learningActivity", "isPartOf", "hasPart"}  # fmt: skip
    data["achievement_identifiers"] = [
        identifier_in(e) for e in as_list(ach.get("otherIdentifier")) if isinstance(e, dict)
    ]
    data["categories"] = [{lang: t} for t in as_list(ach.get("tag")) if isinstance(t, str) and t]
    if "educationSubject" in ach:
        data["education_subjects"] = [concept_in(c) for c in as_list(ach["educationSubject"])]
    if "isPartialQualification" in ach:
        data["partial_qualification"] = ach["isPartialQualification"]
    act = ach.get("learningActivity")
    if isinstance(act, dict):
        data["activity"] = {
            "title": act.get("title"),
            "description": act.get("descriptionMap"),
            "type": concept_in(act.get("dcType")),
            "mode": concept_in(act.get("mode")),
            "volume": act.get("volumeOfLearning"),
            "languages": as_list(act.get("instructionLanguage")),
            "directed_by": profile_in(act["directedBy"], lang)[0] if act.get("directedBy") else None,
        }  # fmt: skip
    for key, name in (("isPartOf", "part_of"), ("hasPart", "has_part")):
        ids = []
        for part in as_list(ach.get(key)):
            iri = part.get("id") if isinstance(part, dict) else part
            ids.append(iri)
            if isinstance(part, dict) and part.get("title"):
                data.setdefault("part_titles", []).append({"id": iri, "title": part["title"]})
        if ids:
            data[name] = ids
    return used


def read_results(
    subject: dict[str, Any], ach: dict[str, Any], data: dict[str, Any], lang: str, lose: Any
) -> None:
    """Each result with its ResultDescription: the first is the credential's grade, the
    others are further assessments, each with its grade and grading scheme."""
    descriptions = {  # keyed by IRI: an id that is not a string references nothing
        rd["id"]: rd
        for rd in as_list(ach.get("resultDescription"))
        if isinstance(rd, dict) and isinstance(rd.get("id"), str)
    }
    own = str(ach.get("id")) + "#grade"
    referenced = set()
    assessments = data.setdefault("assessments", [])
    found_assessments = bool(assessments)
    for i, result in enumerate(as_list(subject.get("result"))):
        if not isinstance(result, dict):
            lose(f"credentialSubject.result[{i}]", "not a Result object")
            continue
        reference = result.get("resultDescription")
        if not isinstance(reference, str):
            reference = None
        rd = descriptions.get(reference) if reference else None
        referenced.add(reference)
        ours = (reference or "").startswith(own)
        k = i if not ours else _index(str(reference), own)
        while not found_assessments and len(assessments) <= k and rd is not None:
            assessments.append({})
        target = assessments[k] if k < len(assessments) else None
        value = None if result.get("value") is None else str(result["value"])
        if k == 0:
            data["grade"] = value
            if result.get("status"):
                data["result_status"] = result["status"]
        elif target is not None:
            target["grade"] = value
        else:
            lose(f"credentialSubject.result[{i}]", "a result without a result description "
                                                    "has no assessment to hold it")  # fmt: skip
        if rd is not None and not ours and target is not None:
            target.setdefault("title", {lang: rd["name"]} if rd.get("name") else None)
            if rd.get("name"):
                if k == 0:
                    data.setdefault("grading_scheme", {lang: rd["name"]})
                else:
                    target["grading_scheme"] = {lang: rd["name"]}
            if rd.get("description"):
                target["grading_description"] = {lang: rd["description"]}
        for key in sorted(set(result) - {"type", "value", "resultDescription", "status"}):
            lose(f"credentialSubject.result[{i}].{key}", "ELM grades are text; not carried")
        if k and result.get("status"):
            lose(f"credentialSubject.result[{i}].status", "only the credential's status is held")
    for j, (rid, rd) in enumerate(descriptions.items()):
        if rid not in referenced and not str(rid).startswith(own):
            lose(f"credentialSubject.achievement.resultDescription[{j}]",
                 "a result description no result uses has no grade to describe")  # fmt: skip
        elif rd is not None:
            extra = set(rd) - {"id", "type", "name", "description", "resultType"}
            for key in sorted(extra):
                lose(f"credentialSubject.achievement.resultDescription[{j}].{key}",
                     "an ELM grading scheme is a title and a description")  # fmt: skip


def _index(rid: str, own: str) -> int:
    tail = rid.removeprefix(own)
    return int(tail[1:]) if tail.startswith("-") and tail[1:].isdigit() else 0


def read_credential_extras(
    doc: dict[str, Any], subject: dict[str, Any], data: dict[str, Any]
) -> None:
    if subject.get("creditsEarned") is not None:
        data["credits_earned"] = subject["creditsEarned"]
    if isinstance(subject.get("narrative"), str) and subject["narrative"].strip():
        lang = data.get("languages", ["en"])[0] if data.get("languages") else "en"
        data.setdefault("additional_info", []).append({lang: subject["narrative"]})
    data["evidence"] = [
        {
            **{k: e[k] for k in ("id", "name", "description", "narrative", "genre", "audience") if e.get(k)},
            **({"type": concept_in(e["dcType"])} if e.get("dcType") else {}),
        }
        for e in as_list(doc.get("evidence"))
        if isinstance(e, dict)
    ]  # fmt: skip
    data["identifiers"] = [
        {"notation": i.get("notation"), "scheme": i.get("schemeName")}
        for i in as_list(doc.get("credentialIdentifier"))
        if isinstance(i, dict)
    ]
