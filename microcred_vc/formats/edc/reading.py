"""Europass EDC (ELM 3) → MicroCredential, with a Loss for every field the hub cannot hold.

The reader walks the JSON-LD tree as EDC tools write it (compacted with the
EDC context) and marks each key it uses; whatever remains unread on a node it
visited is reported as a loss with its JSON path. So a field is either mapped
or named, never dropped in silence.
"""

from __future__ import annotations

import re
from typing import Any

from microcred_vc.errors import ConversionError
from microcred_vc.formats.base import Loss
from microcred_vc.formats.edc import read_parts
from microcred_vc.formats.edc.common import (
    ATU_NS,
    COURSE_CODE_SCHEME,
    STUDENT_ID_SCHEME,
    first,
    many,
    node_id,
    parse_datetime,
)
from microcred_vc.formats.edc.framing import frame_if_needed
from microcred_vc.formats.edc.nodes import Node, Reader
from microcred_vc.model import MicroCredential, vocab
from microcred_vc.model.found import build_found, require_annex_i

#: Credential-level keys re-created by our writer; named once, not per sub-field.
_REGENERATED = {
    "credentialProfiles": "the credential profile is set by the writer (Generic)",
    "credentialSchema": "the EDC AP schema reference is set by the writer",
    "displayParameter": "display pages are re-rendered from the credential data; original images are not kept",
}
_HOURS = re.compile(r"^PT(\d+)H$")


def _email(node: Node, *, with_phone: bool = False) -> str | None:
    """The first mailto: address; further addresses are reported, the hub keeps one.
    ``with_phone``: the telephone is read too (organisations; a learner has none in the hub)."""
    found: list[str] = []
    for contact in node.children("contactPoint"):
        if with_phone:
            contact.used.update(k for k in ("phone",) if k in contact.value)
        for mailbox in contact.children("emailAddress"):
            iri = node_id(mailbox.value) or ""
            if iri.startswith("mailto:"):
                found.append(iri.removeprefix("mailto:"))
    for extra in found[1:]:
        node.reader.losses.append(
            Loss(f"{node.path}.contactPoint", f"{extra}: the hub keeps one email address")
        )
    return found[0] if found else None


def _one_text(node: Node, key: str) -> str | None:
    """A single text from a language map; other languages are reported, not dropped."""
    texts = node.text(key)
    if not texts:
        return None
    languages = list(texts)
    if len(languages) > 1:
        node.reader.losses.append(
            Loss(
                f"{node.path}.{key}",
                f"the hub keeps one language ({languages[0]}); dropped: {', '.join(languages[1:])}",
            )
        )
    return texts[languages[0]]


def _country(node: Node | None) -> str | None:
    concept = node.concept("spatial") if node else None
    return vocab.country_alpha2(concept.id) if concept else None


def _organisation(node: Node) -> dict[str, Any]:
    data: dict[str, Any] = {"id": node.value.get("id"), "legal_name": node.text("legalName")}
    # the hub has one country and region: the first location with a country gives
    # them; any other location stays unread and so is reported as a loss
    locations = node.children("location")
    with_country = [
        loc
        for loc in locations
        if isinstance(loc.value.get("address"), dict) and "countryCode" in loc.value["address"]
    ]
    for location in (with_country or locations)[:1]:
        address = location.child("address")
        country = address.concept("countryCode") if address else None
        if country:
            data["country"] = vocab.country_alpha2(country.id)
        region = location.concept("spatialCode")
        if region and region.id.startswith(ATU_NS):
            data["region"] = region.id
        elif "geographicName" in location.value:
            data["region"] = _one_text(location, "geographicName")
    eidas = node.child("eIDASIdentifier")
    if eidas:
        data["eidas_id"] = eidas.raw("notation")
        eidas.raw("spatial")
    vat = node.children("vatIdentifier")
    if vat:
        data["vat_id"] = vat[0].raw("notation")
        vat[0].raw("spatial")
    pages = node.children("homepage")
    if pages:
        data["homepage"] = pages[0].raw("contentURL")
    email = _email(node, with_phone=True)
    if email:
        data["email"] = email
    read_parts.organisation_extras(node, data, _organisation)
    return {k: v for k, v in data.items() if v is not None}


def _learner(node: Node) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": _one_text(node, "fullName"),
        "given_name": _one_text(node, "givenName"),
        "family_name": _one_text(node, "familyName"),
    }
    born = node.raw("dateOfBirth")
    if isinstance(born, str) and len(born) >= 10:
        data["date_of_birth"] = born[:10]
    national = node.child("nationalID")
    if national:
        data["national_id"] = {"notation": national.raw("notation"), "country": _country(national)}
    data["email"] = _email(node)
    subject_id = node.value.get("id")
    if isinstance(subject_id, str) and not subject_id.startswith("urn:epass:person:"):
        data["did"] = subject_id
    for ident in node.children("identifier"):
        if ident.raw("schemeName") == STUDENT_ID_SCHEME:
            data["student_id"] = ident.raw("notation")
        else:
            node.reader.losses.append(
                Loss(ident.path, "a learner identifier other than the student number")
            )
    return {k: v for k, v in data.items() if v is not None}


def _quality(node: Node) -> dict[str, Any]:
    agent = node.child("accreditingAgent")
    report = node.child("report")
    data = {
        "type": node.concept("dcType"),
        "title": node.text("title"),
        "agent": _organisation(agent) if agent else None,
        "report_url": report.raw("contentURL") if report else None,
    }
    return {k: v for k, v in data.items() if v is not None}


def _assessment(spec: Node) -> dict[str, Any]:
    data = {
        "title": spec.text("title"),
        "type": spec.concept("dcType"),
        "mode": first(spec.concepts("mode")),
    }
    return {k: v for k, v in data.items() if v is not None}


def _outcome(node: Node) -> dict[str, Any]:
    data: dict[str, Any] = {"title": node.text("title")}
    read_parts.outcome_skills(node, data)
    data["reusability"] = node.concept("reusabilityLevel")
    return {k: v for k, v in data.items() if v is not None}


def _participation(modes: list[vocab.Concept]) -> str | None:
    for mode in modes:
        for key, known in vocab.PARTICIPATION_MODES.items():
            if mode.id == known.id:
                return key
    return None


def _specification(spec: Node, data: dict[str, Any]) -> None:
    data["achievement_id"] = spec.value.get("id")
    spec.text("title")  # the claim's title is the hub title; the spec repeats it
    spec.raw("dcType")  # the learning-opportunity type: the hub's kind is fixed
    data["learning_outcomes"] = [_outcome(o) for o in spec.children("learningOutcome")]
    for credit in spec.children("creditPoint")[:1]:
        data["ects"] = credit.raw("point")
        framework = credit.concept("framework")
        if framework is not None:
            data["credit_system"] = framework
    volume = spec.raw("volumeOfLearning")
    match = _HOURS.match(volume) if isinstance(volume, str) else None
    if match:
        data["workload_hours"] = int(match.group(1))
    elif volume is not None:
        spec.reader.losses.append(
            Loss(f"{spec.path}.volumeOfLearning", f"{volume!r} is not a whole number of hours")
        )
    eqf = spec.concept("eqfLevel")
    if eqf is not None:
        data["eqf_level"] = vocab.eqf_level_from_iri(eqf.id)
    data["nqf_level"] = first(spec.concepts("nqfLevel"))
    data["participation_mode"] = _participation(spec.concepts("mode"))
    assessments = spec.children("provenBy")
    data["assessments"] = [
        {**_assessment(a), **read_parts.assessment_spec(a, i == 0, data)}
        for i, a in enumerate(assessments)
    ]
    data["assessment_ids"] = [a.value.get("id") for a in assessments]
    data["partial_qualification"] = spec.raw("isPartialQualification")
    data["categories"] = read_parts.categories(spec)
    data["education_subjects"] = spec.concepts("educationSubject")
    data["achievement_identifiers"] = read_parts.identifiers(spec)
    data["learning_outcome_summary"] = spec.note("learningOutcomeSummary")
    data["entry_requirements"] = spec.note("entryRequirement")
    data["learning_setting"] = spec.concept("learningSetting")
    data["max_duration"] = spec.raw("maximumDuration")
    pages = spec.children("homepage")
    if pages:
        data["homepage"] = pages[0].raw("contentURL")
    data["resources"] = [d.raw("contentURL") for d in spec.children("supplementaryDocument")]
    data["languages"] = [
        t for t in (vocab.language_tag(c.id) for c in spec.concepts("language")) if t
    ]
    data["isced_f"] = spec.concepts("thematicArea")
    data["quality_assurance"] = [_quality(a) for a in spec.children("accreditation")]
    data["part_of"] = read_parts.parts(spec, "isPartOf", data)
    data["has_part"] = read_parts.parts(spec, "hasPart", data)
    if data["part_of"]:
        data["stackability"] = "stackable"


def _claim(claim: Node, data: dict[str, Any]) -> None:
    data["title"] = claim.text("title")
    data["description"] = claim.text("description")
    awarding = claim.child("awardedBy")
    if awarding:
        bodies = awarding.children("awardingBody")
        data["awarding_bodies"] = [_organisation(b) for b in bodies]
        for body in bodies:
            data["quality_assurance"] += [_quality(a) for a in body.children("accreditation")]
        data["awarded_at"] = awarding.moment("awardingDate")
    spec_ids = data.pop("assessment_ids", [])
    for n, assessment in enumerate(claim.children("provenBy")):
        linked = assessment.child("specifiedBy")
        link = linked.value.get("id") if linked else None
        i = spec_ids.index(link) if link in spec_ids else len(data["assessments"])
        if linked is not None and link in spec_ids:
            linked.used.update(linked.value)  # read where the specification lists it
        elif linked is not None and linked.value.get("title"):  # described only here
            found = read_parts.assessment_spec(linked, i == 0, data)
            data["assessments"].append({**_assessment(linked), **found})
        else:
            data["assessments"].append({"title": assessment.text("title")})
        target = data["assessments"][i]
        grade = assessment.note("grade")
        if grade and i == 0 and n == 0:
            data["grade"] = next(iter(grade.values()))
        elif grade:
            target["grade"] = next(iter(grade.values()))
        if i == 0:
            data["supervision"] = assessment.concept("idVerification")
        if not target.get("title"):
            target["title"] = assessment.text("title")
        assessment.text("title"), assessment.raw("awardedBy")
        assessor = assessment.child("assessedBy")
        if assessor is not None:
            target["assessed_by"] = _organisation(assessor)
    for activity in claim.children("influencedBy")[:1]:
        activity.raw("awardedBy")
        period = activity.child("temporal")
        if period:
            data["start"], data["end"] = period.moment("startDate"), period.moment("endDate")
        data["activity"] = read_parts.activity(activity, data, _organisation) or None
        if data.get("participation_mode") is None and data["activity"]:
            data["participation_mode"] = _participation(
                [m for m in [data["activity"].get("mode")] if m]
            )
    credits = claim.children("creditReceived")
    for credit in credits[:1]:
        data["credits_earned"] = credit.raw("point")
        credit.concept("framework")
    data["additional_info"] = [n.text("noteLiteral") for n in claim.children("additionalNote")]
    for ident in read_parts.identifiers(claim):
        if ident["scheme"] == COURSE_CODE_SCHEME and "code" not in data:
            data["code"] = ident["notation"]
        else:
            data["achievement_identifiers"].append(ident)


def load(doc: Any, *, require: str | None = None) -> tuple[MicroCredential, list[Loss]]:
    """Read any EDC into the hub as found (a :class:`LearningCredential` with its
    ``completeness``); ``require="annex-i"`` returns the strict micro-credential
    or raises ConversionError naming the missing Annex I elements. An expanded or
    flattened EDC is framed into the compacted tree first (:mod:`.framing`)."""
    doc, framing_losses = frame_if_needed(doc)
    if not isinstance(doc, dict):
        raise ConversionError(f"an EDC must be a JSON object, got {type(doc).__name__}")
    if "EuropeanDigitalCredential" not in many(doc.get("type")):
        raise ConversionError("not a Europass EDC: type has no EuropeanDigitalCredential")
    reader = Reader(doc)
    root = reader.node(doc, "$")
    assert root is not None
    data: dict[str, Any] = {
        "id": doc.get("id"),
        "quality_assurance": [],
        "assessments": [],
        "achievement_identifiers": [],
    }
    for key, reason in _REGENERATED.items():
        root.lose(key, reason)
    data["identifiers"] = read_parts.identifiers(root)
    data["evidence"] = read_parts.evidence(root)
    issuer = root.child("issuer")
    data["issuer"] = _organisation(issuer) if issuer else None
    dates = [root.moment(key) for key in ("issued", "issuanceDate", "validFrom")]
    data["issued_at"] = next((d for d in dates if d is not None), None)
    for key, value in zip(("issuanceDate", "validFrom"), dates[1:], strict=True):
        if value is not None and parse_datetime(str(value)) != parse_datetime(
            str(data["issued_at"])
        ):
            reader.losses.append(
                Loss(f"$.{key}", "differs from the date of issuing; the hub keeps one date")
            )
    data["valid_until"] = root.moment("expirationDate") or root.moment("validUntil")
    subject = root.child("credentialSubject")
    data["learner"] = _learner(subject) if subject is not None else None
    claims = subject.children("hasClaim") if subject is not None else []
    for extra in claims[1:]:
        reader.losses.append(
            Loss(extra.path, "only the first claim is the micro-credential; others are not carried")
        )
        extra.used.update(extra.value)
    if claims:
        spec = claims[0].child("specifiedBy")
        if spec:
            _specification(spec, data)
        _claim(claims[0], data)
    losses = framing_losses + reader.unread()
    found = build_found(data, losses, Loss)
    return require_annex_i(found, require, "EDC"), losses
