"""Europass European Digital Credentials (ELM 3 / EDC AP 1.1) ⇄ the MicroCredential hub.

``dump(mc)`` writes an unsigned EDC JSON-LD document (seal it with
:func:`microcred_vc.seal.seal_edc`, or add a Data Integrity proof);
``load(doc)`` reads an EDC back and lists every field the hub cannot hold.
``dump_with_losses(mc)`` also returns what the hub held that EDC cannot carry.
"""

from __future__ import annotations

from typing import Any

from microcred_vc.errors import ConversionError
from microcred_vc.formats.base import ConversionResult, Loss
from microcred_vc.formats.edc import elm_parts
from microcred_vc.formats.edc.common import (
    COURSE_CODE_SCHEME,
    CREDENTIAL_SCHEME,
    EDC_CONTEXT,
    EDC_SCHEMA,
    EDC_TYPES,
    GENERIC_PROFILE,
    VC_V1,
    NodeIds,
    concept,
    identifier,
    note,
    xsd_datetime,
)
from microcred_vc.formats.edc.display import display_languages, display_parameter
from microcred_vc.formats.edc.profile import check_output
from microcred_vc.formats.edc.reading import load
from microcred_vc.formats.edc.writing import accreditation, organisation, person, specification
from microcred_vc.model import MicroCredential

__all__ = ["EDC_CONTEXT", "VC_V1", "dump", "dump_with_losses", "load"]


def _claim(mc: MicroCredential, ids: NodeIds, losses: list[Loss]) -> dict[str, Any]:
    spec = specification(mc, ids, losses)
    bodies = [organisation(o, ids) for o in mc.awarding_bodies]
    if spec["type"] != "Qualification" and bodies and mc.quality_assurance:
        # Only a Qualification has accreditation in ELM; otherwise quality
        # assurance is the accreditation of the (first) awarding body.
        bodies[0]["accreditation"] = [
            accreditation(qa, i, ids, losses) for i, qa in enumerate(mc.quality_assurance)
        ]
    awarding: dict[str, Any] = {
        "id": ids("awardingProcess"),
        "type": "AwardingProcess",
        "awardingBody": bodies,
    }
    if mc.awarded_at is not None:
        awarding["awardingDate"] = xsd_datetime(mc.awarded_at)
    claim: dict[str, Any] = {"id": ids("learningAchievement"), "type": "LearningAchievement"}
    if mc.title:
        claim["title"] = dict(mc.title)
    if mc.description:
        claim["description"] = dict(mc.description)
    claim["awardedBy"] = awarding
    claim["specifiedBy"] = spec
    ref = {"id": awarding["id"], "type": "AwardingProcess"}
    graded = elm_parts.assessments(mc, ids, spec.get("provenBy", []), ref, organisation)
    if graded:
        claim["provenBy"] = graded
    if mc.supervision is not None and not (graded and mc.grade is not None):
        losses.append(
            Loss(
                "supervision",
                "ELM records identity verification on a graded assessment; no grade given",
            )
        )
    act = elm_parts.activity(mc, ids, ref, organisation)
    if act is not None:
        claim["influencedBy"] = [act]
    if mc.credits_earned is not None:
        claim["creditReceived"] = elm_parts.credits_received(mc, ids)
    if mc.additional_info:
        claim["additionalNote"] = [
            note(ids, f"additional{i}", text) for i, text in enumerate(mc.additional_info)
        ]
    if mc.code:
        claim["identifier"] = [identifier(ids, "code", mc.code, COURSE_CODE_SCHEME)]
    return claim


def _hub_only_losses(mc: MicroCredential) -> list[Loss]:
    losses = []
    if mc.qf_ehea_cycle is not None:
        losses.append(
            Loss("qf_ehea_cycle", "ELM has no property or vocabulary for the QF-EHEA cycle")
        )
    if mc.result_status is not None:
        losses.append(
            Loss("result_status", "ELM has no result-status vocabulary matching the hub's values")
        )
    if mc.learner_outcome:
        losses.append(
            Loss(
                "learner_outcome", "ELM entitlements need a specification and status; not derivable"
            )
        )
    if mc.stackability == "stackable":
        losses.append(
            Loss("stackability", "without part_of links EDC cannot say the credential is stackable")
        )
    orgs = [("issuer", mc.issuer)] + [
        (f"awarding_bodies[{i}]", o) for i, o in enumerate(mc.awarding_bodies)
    ]
    for path, org in orgs:
        if org is not None:
            losses += elm_parts.organisation_losses(org, path)
    losses += elm_parts.unplaceable_losses(mc)
    for i, item in enumerate(mc.assessments):
        graded = (mc.grade if i == 0 else item.grade) is not None and item.title
        if item.assessed_by is not None and not graded:
            losses.append(Loss(f"assessments[{i}].assessed_by", "ELM names the assessor on "
                                                                 "a graded assessment; no grade given"))  # fmt: skip
        if i and item.grade is not None and not item.title:
            losses.append(Loss(f"assessments[{i}].grade", "an ELM assessment needs a title"))
    losses += [
        Loss(
            f"languages[{i}]",
            f"EU language IRIs carry no region: {tag} is written as {tag.split('-')[0]}",
        )
        for i, tag in enumerate(mc.languages)
        if "-" in tag
    ]
    return losses


def _check_organisations(mc: MicroCredential) -> None:
    """In RDF one IRI is one node: two different organisations may not share an id."""
    seen: dict[str, Any] = {}
    orgs = [mc.issuer, *mc.awarding_bodies, *(qa.agent for qa in mc.quality_assurance)]
    for org in (o for o in orgs if o is not None):
        if org.id in seen and seen[org.id] != org:
            raise ConversionError(
                f"two different organisations share the id {org.id}; "
                "in an EDC an id names one organisation (give each its own id)"
            )
        seen[org.id] = org


def dump_with_losses(mc: MicroCredential, *, seal_certificate: Any = None) -> ConversionResult:
    """The EDC document and the hub fields it could not carry.

    The output satisfies the EDC AP or is refused (:mod:`.profile`): an issuer without
    an eIDAS legal identifier raises ``EDC_ISSUER_NO_LEGAL_ID``, unless
    ``seal_certificate`` (the certificate that will seal it) supplies the identifier.
    """
    if not isinstance(mc, MicroCredential):
        raise ConversionError(f"dump needs a MicroCredential, got {type(mc).__name__}")
    if seal_certificate is not None:
        from microcred_vc.seal.issuer import issuer_from_seal_certificate

        mc = issuer_from_seal_certificate(mc, seal_certificate)
    _check_organisations(mc)
    ids = NodeIds(mc.id)
    losses: list[Loss] = []
    subject = person(mc.learner, ids, display_languages(mc)[0])
    subject["hasClaim"] = [_claim(mc, ids, losses)]
    doc: dict[str, Any] = {
        "@context": [VC_V1, EDC_CONTEXT],
        "id": mc.id,
        "type": list(EDC_TYPES),
        "credentialProfiles": [
            concept(GENERIC_PROFILE["id"], GENERIC_PROFILE["label"], CREDENTIAL_SCHEME)
        ],
        "credentialSchema": [dict(EDC_SCHEMA)],
    }
    # a credential read as found may lack the issuer or date: left out, never made up
    if mc.identifiers:
        doc["identifier"] = elm_parts.identifiers(ids, "credential", mc.identifiers)
    if mc.issuer is not None:
        doc["issuer"] = organisation(mc.issuer, ids)
    if mc.issued_at is not None:
        issued = xsd_datetime(mc.issued_at)
        doc.update({"issuanceDate": issued, "issued": issued, "validFrom": issued})
    doc["credentialSubject"] = subject
    if mc.title and mc.issuer and mc.issuer.legal_name and mc.issued_at:
        doc["displayParameter"] = display_parameter(mc, ids)
    else:
        losses.append(
            Loss("displayParameter", "no display page: the title, issuer name or date is missing")
        )
    if mc.valid_until is not None:
        doc["expirationDate"] = xsd_datetime(mc.valid_until)
    evidence = elm_parts.evidence(mc, ids, losses)
    if evidence:
        doc["evidence"] = evidence
    losses += _hub_only_losses(mc)
    check_output(doc)
    return ConversionResult(doc, losses, "hub", "edc")


def dump(mc: MicroCredential, *, seal_certificate: Any = None) -> dict[str, Any]:
    """An unsigned EDC JSON-LD document for ``mc`` (losses: :func:`dump_with_losses`)."""
    document: dict[str, Any] = dump_with_losses(mc, seal_certificate=seal_certificate).document
    return document
