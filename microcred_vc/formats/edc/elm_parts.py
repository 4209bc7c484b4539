"""ELM nodes for the hub parts beyond Annex I: logos, phones, identifiers, evidence,
the learning activity, graded assessments, credits received (issue 19 item 4).

Each writer here has its reader in :mod:`microcred_vc.formats.edc.read_parts`,
so that an EDC converted to OB3 and back keeps what both formats carry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from microcred_vc.formats.base import Loss
from microcred_vc.formats.edc.common import (
    BASE64,
    ENCODING_SCHEME,
    FILE_TYPE_SCHEME,
    NodeIds,
    concept,
    identifier,
    language_concept,
    note,
    vocab_concept,
    xsd_datetime,
)
from microcred_vc.formats.edc.display import display_languages
from microcred_vc.model import MicroCredential
from microcred_vc.model.elements import Activity, Identifier, Organisation

#: The writer's Organisation node builder, passed in (writing.py imports this module).
WriteOrg = Callable[[Organisation, NodeIds], dict[str, Any]]
#: The EU evidence-type scheme (EDC-generic-full restricts Evidence.dcType to it).
EVIDENCE_SCHEME = "http://data.europa.eu/snb/evidence-type/25831c2"
#: MIME subtype of an embedded image → the EU file-type authority code.
FILE_TYPES = {"png": "PNG", "jpeg": "JPEG", "jpg": "JPEG", "gif": "GIF", "svg+xml": "SVG"}
FILE_TYPE_NS = FILE_TYPE_SCHEME + "/"


def media_object(ids: NodeIds, role: str, data_uri: str) -> dict[str, Any] | None:
    """An ELM MediaObject (base64 content and file type) from a ``data:image/...;base64,`` URI;
    ``None`` for a web address, which a MediaObject cannot hold (ELM needs the bytes)."""
    head, _, content = data_uri.partition(";base64,")
    subtype = head.removeprefix("data:image/").lower()
    if not head.startswith("data:image/") or not content or subtype not in FILE_TYPES:
        return None
    code = FILE_TYPES[subtype]
    return {
        "id": ids("mediaObject", role),
        "type": "MediaObject",
        "content": content,
        "contentEncoding": concept(BASE64["id"], BASE64["label"], ENCODING_SCHEME),
        "contentType": concept(FILE_TYPE_NS + code, code, FILE_TYPE_SCHEME),
    }


def identifiers(ids: NodeIds, role: str, items: list[Identifier]) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(items):
        node = identifier(ids, f"{role}{i}", item.notation, item.scheme or "")
        if not item.scheme:
            del node["schemeName"]
        out.append(node)
    return out


def contact(ids: NodeIds, owner: str, email: str | None, phone: str | None) -> dict[str, Any]:
    """One ContactPoint with the mailbox and telephone ELM keeps together."""
    node: dict[str, Any] = {"id": ids("contactPoint", owner), "type": "ContactPoint"}
    if email:
        node["emailAddress"] = [{"id": f"mailto:{email}", "type": "Mailbox"}]
    if phone:
        node["phone"] = [{"id": ids("phone", owner), "type": "Phone", "phoneNumber": phone}]
    return node


def organisation_extras(
    org: Organisation, ids: NodeIds, node: dict[str, Any], organisation: WriteOrg
) -> None:
    """Short name, logo, identifiers, phone and parent onto an ELM Organisation node."""
    if org.alt_label:
        node["altLabel"] = dict(org.alt_label)
    logo = media_object(ids, f"logo|{org.id}", org.logo) if org.logo else None
    if logo is not None:
        node["logo"] = logo
    if org.identifiers:
        node["identifier"] = identifiers(ids, f"org|{org.id}|", org.identifiers)
    if org.email or org.phone:
        node["contactPoint"] = [contact(ids, org.id, org.email, org.phone)]
    if placeable(org.parent_org):
        node["subOrganizationOf"] = organisation(org.parent_org, ids)


def placeable(org: Organisation | None) -> bool:
    """An ELM Organisation needs a legal name and a location with its country (EDC AP)."""
    return org is not None and bool(org.legal_name) and bool(org.country)


def organisation_losses(org: Organisation, path: str) -> list[Loss]:
    out = []
    if org.logo and media_object(NodeIds(""), "", org.logo) is None:
        out.append(Loss(f"{path}.logo", "an ELM logo is an embedded image; a logo web address "
                                        "(or another file type) has no place"))  # fmt: skip
    if org.registration and not org.country:
        out.append(Loss(f"{path}.registration", "an ELM registration needs its country"))
    if org.parent_org is not None and not placeable(org.parent_org):
        out.append(Loss(f"{path}.parent_org", "an ELM organisation needs its legal name and "
                                              "country; the parent organisation lacks one"))  # fmt: skip
    elif org.parent_org is not None:
        out += organisation_losses(org.parent_org, f"{path}.parent_org")
    return out


def evidence(mc: MicroCredential, ids: NodeIds, losses: list[Loss]) -> list[dict[str, Any]]:
    """ELM Evidence: typed (evidence-type scheme), with one statement; OB3's learner-work
    evidence has no ELM type, so it has no place and is named as a loss."""
    out = []
    for i, item in enumerate(mc.evidence):
        if item.type is None:
            losses.append(Loss(f"evidence[{i}]", "ELM Evidence needs an evidence type "
                                                 "(evidence-type scheme); this evidence has none"))  # fmt: skip
            continue
        node: dict[str, Any] = {
            "id": item.id or ids("evidence", i),
            "type": "Evidence",
            "dcType": concept(
                item.type.id, item.type.pref_label, item.type.in_scheme or EVIDENCE_SCHEME
            ),
        }
        if item.narrative:
            node["evidenceStatement"] = item.narrative
        for name in ("name", "description", "genre", "audience"):
            if getattr(item, name):
                losses.append(Loss(f"evidence[{i}].{name}", "ELM Evidence has one statement only"))
        out.append(node)
    return out


def activity(
    mc: MicroCredential, ids: NodeIds, ref: dict[str, Any], organisation: WriteOrg
) -> dict[str, Any] | None:
    """The LearningActivity (period, title, type, mode, volume, languages, director)."""
    act = mc.activity or Activity()
    if mc.start is None and mc.end is None and mc.activity is None:
        return None
    node: dict[str, Any] = {"id": ids("learningActivity"), "type": "LearningActivity"}
    title = act.title or mc.title
    if title:
        node["title"] = dict(title)
    if act.description:
        node["description"] = dict(act.description)
    node["awardedBy"] = ref
    if mc.start is not None or mc.end is not None:
        period: dict[str, Any] = {"id": ids("period"), "type": "PeriodOfTime"}
        if mc.start is not None:
            period["startDate"] = xsd_datetime(mc.start)
        if mc.end is not None:
            period["endDate"] = xsd_datetime(mc.end)
        node["temporal"] = period
    if placeable(act.directed_by):
        node["directedBy"] = organisation(act.directed_by, ids)
    spec: dict[str, Any] = {}
    if act.type is not None:
        spec["dcType"] = vocab_concept(act.type)
    if act.mode is not None:
        spec["mode"] = [vocab_concept(act.mode)]
    if act.volume:
        spec["volumeOfLearning"] = act.volume
    languages = [c for c in (language_concept(t) for t in act.languages) if c is not None]
    if languages:
        spec["language"] = languages
    if spec:
        node["specifiedBy"] = {
            "id": ids("learningActivitySpec"),
            "type": "LearningActivitySpecification",
            **({"title": dict(title)} if title else {}),
            **spec,
        }
    return node


def assessments(
    mc: MicroCredential,
    ids: NodeIds,
    specs: list[dict[str, Any]],
    ref: dict[str, Any],
    organisation: WriteOrg,
) -> list[dict[str, Any]]:
    """One graded LearningAssessment per assessment that has a grade (the first one's
    grade is the credential's ``grade``), each pointing at its specification."""
    out = []
    lang = display_languages(mc)[0]
    for i, item in enumerate(mc.assessments):
        grade = mc.grade if i == 0 else item.grade
        if grade is None or not item.title:
            continue
        node: dict[str, Any] = {
            "id": ids("learningAssessment", *([i] if i else [])),
            "type": "LearningAssessment",
            "title": dict(item.title),
            "grade": note(ids, "grade" if i == 0 else f"grade{i}", {lang: grade}),
            "awardedBy": ref,
            "specifiedBy": {"id": specs[i]["id"], "type": "LearningAssessmentSpecification"},
        }
        if placeable(item.assessed_by):
            node["assessedBy"] = organisation(item.assessed_by, ids)
        if i == 0 and mc.supervision is not None:
            node["idVerification"] = vocab_concept(mc.supervision)
        out.append(node)
    return out


def unplaceable_losses(mc: MicroCredential) -> list[Loss]:
    """Assessors and activity directors ELM cannot describe (no legal name or country)."""
    why = "an ELM organisation needs its legal name and country"
    out = [
        Loss(f"assessments[{i}].assessed_by", why)
        for i, item in enumerate(mc.assessments)
        if item.assessed_by is not None and not placeable(item.assessed_by)
    ]
    if mc.activity and mc.activity.directed_by and not placeable(mc.activity.directed_by):
        out.append(Loss("activity.directed_by", why))
    return out


def credits_received(mc: MicroCredential, ids: NodeIds) -> list[dict[str, Any]]:
    if mc.credits_earned is None:
        return []
    return [
        {
            "id": ids("creditPoint", "received"),
            "type": "CreditPoint",
            "framework": vocab_concept(mc.credit_system),
            "point": format(mc.credits_earned, "f"),
        }
    ]


def categories(items: list[dict[str, str]]) -> dict[str, list[str]]:
    """Keywords as ELM's ``category`` language map (one list per language)."""
    out: dict[str, list[str]] = {}
    for item in items:
        for lang, text in item.items():
            out.setdefault(lang, []).append(text)
    return out


def part_link(mc: MicroCredential, iri: str, kind: str) -> dict[str, Any] | str | None:
    """A part as ELM links it: a described specification with its title, else nothing;
    of the linking specification's class (a Qualification links only Qualifications)."""
    titled = next((p for p in mc.part_titles if p.id == iri), None)
    if titled is None:
        return None
    return {"id": iri, "type": kind, "title": dict(titled.title)}
