"""OB3 → EDC → OB3 and EDC → OB3 → EDC keep every element both formats carry.

Oracle: a property (hypothesis). For any hub credential limited to what both formats
carry, going through both formats and back gives the same hub object, field by field
in :data:`CARRIED`. The EC's Annex I sample (an official file) converts to OB3 and back
without losing any element it carries; what it has that the hub has no home for is
listed in :data:`ANNEX1_UNCARRIED` and must be exactly what the loss report names.

The table below is the one in docs/reference/mapping.md ("Elements both formats carry").
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from microcred_vc.formats import edc, ob3
from microcred_vc.model import MicroCredential
from tests.fixture_paths import FIXTURES
from tests.model.strategies import lang_str, micro_credentials, slug, text

#: hub field → (OB 3.0 place, ELM / EDC place); both formats carry each of these.
CARRIED: dict[str, tuple[str, str]] = {
    "id": ("id", "id"),
    "identifiers": ("mc:credentialIdentifier", "identifier"),
    "achievement_id": ("achievement.id", "claim.specifiedBy.id"),
    "achievement_identifiers": ("achievement.otherIdentifier", "spec.identifier"),
    "learner": ("credentialSubject (identifier[], mc:givenName, ...)", "credentialSubject (Person)"),
    "title": ("achievement.name, mc:title", "claim.title, spec.title"),
    "issuer": ("issuer (Profile: phone, image, parentOrg, otherIdentifier, mc:altLabel)",
               "issuer (Organisation: contactPoint, logo, subOrganizationOf, identifier, altLabel)"),
    "awarding_bodies": ("mc:awardingBody", "claim.awardedBy.awardingBody"),
    "issued_at": ("validFrom", "issuanceDate, issued, validFrom"),
    "awarded_at": ("awardedDate", "claim.awardedBy.awardingDate"),
    "valid_until": ("validUntil", "expirationDate"),
    "learning_outcomes": ("mc:learningOutcome (relatedESCOSkill, relatedSkill)",
                          "spec.learningOutcome (relatedESCOSkill, relatedSkill)"),
    "learning_outcome_summary": ("mc:learningOutcomeSummary", "spec.learningOutcomeSummary"),
    "ects": ("achievement.creditsAvailable", "spec.creditPoint"),
    "workload_hours": ("mc:volumeOfLearning", "spec.volumeOfLearning"),
    "credit_system": ("mc:creditSystem", "creditPoint.framework"),
    "credits_earned": ("credentialSubject.creditsEarned", "claim.creditReceived"),
    "eqf_level": ("alignment ext:EQFLevel", "spec.eqfLevel"),
    "nqf_level": ("mc:nqfLevel", "spec.nqfLevel"),
    "assessments": ("mc:assessment; result[] + resultDescription[]",
                    "spec.provenBy (GradingScheme); claim.provenBy (grade, assessedBy)"),
    "grade": ("result[0].value", "claim.provenBy[0].grade"),
    "grading_scheme": ("mc:gradingScheme; resultDescription.name", "gradingScheme.title"),
    "supervision": ("mc:idVerification", "claim.provenBy[0].idVerification"),
    "participation_mode": ("mc:mode", "spec.mode"),
    "quality_assurance": ("mc:accreditation", "accreditation"),
    "entry_requirements": ("mc:entryRequirement", "spec.entryRequirement"),
    "stackability": ("mc:stackable", "spec.isPartOf"),
    "part_of": ("mc:isPartOf", "spec.isPartOf"),
    "has_part": ("mc:hasPart", "spec.hasPart"),
    "part_titles": ("mc:isPartOf/hasPart {id, title}", "isPartOf/hasPart specification title"),
    "partial_qualification": ("mc:isPartialQualification", "spec.isPartialQualification"),
    "additional_info": ("mc:additionalNote; credentialSubject.narrative",
                        "claim.additionalNote"),
    "homepage": ("achievement.criteria.id", "spec.homepage"),
    "description": ("achievement.description, mc:descriptionMap", "claim.description"),
    "start": ("activityStartDate", "influencedBy.temporal.startDate"),
    "end": ("activityEndDate", "influencedBy.temporal.endDate"),
    "activity": ("mc:learningActivity", "claim.influencedBy (LearningActivity)"),
    "max_duration": ("mc:maximumDuration", "spec.maximumDuration"),
    "resources": ("mc:supplementaryDocument", "spec.supplementaryDocument"),
    "languages": ("achievement.inLanguage, mc:instructionLanguage", "spec.language"),
    "isced_f": ("alignment ext:ISCEDF, mc:thematicArea", "spec.thematicArea"),
    "learning_setting": ("mc:learningSetting", "spec.learningSetting"),
    "code": ("achievement.humanCode", "claim.identifier (Course code)"),
    "categories": ("achievement.tag (one language)", "spec.category"),
    "education_subjects": ("mc:educationSubject; other alignments", "spec.educationSubject"),
    "evidence": ("evidence[] (mc:dcType)", "evidence (Evidence: dcType, evidenceStatement)"),
}  # fmt: skip
#: hub fields only one format carries (the loss report names them on the way out).
ONE_FORMAT_ONLY = {
    "qf_ehea_cycle": "OB3 only (mc:qfEheaCycle): ELM has no QF-EHEA property",
    "result_status": "OB3 only (result.status): no ELM vocabulary for it",
    "learner_outcome": "OB3 only (mc:learnerOutcome): ELM entitlements need a specification",
    "kind": "the hub's own class name",
}

ANNEX1 = FIXTURES / "edc" / "elm-v3-samples" / "Sample-MC-Annex1-unsigned.jsonld"
#: what the Annex I sample holds that the hub has no home for (not Annex I elements)
ANNEX1_UNCARRIED = {
    "$.credentialProfiles",  # regenerated by the writer
    "$.credentialSchema",
    "$.displayParameter",
    "$.issuer.groupMemberOf",  # a Group of organisations
    "$.issuer.location.address.fullAddress",  # the street address
    "$.credentialSubject.hasClaim.awardedBy.awardingBody.groupMemberOf",
    "$.credentialSubject.hasClaim.awardedBy.awardingBody.location.address.fullAddress",
}

png = st.just("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk")
concept = st.builds(
    lambda s, t: {"id": f"http://data.europa.eu/snb/dcf/{s}", "pref_label": {"en": t}}, slug, text
)
identifier = st.fixed_dictionaries(
    {"notation": slug},
    optional={"scheme": st.sampled_from(["Certificate number", "sourcedId", "ext:Local"])},
)
fresh = st.uuids().map(lambda u: f"urn:uuid:{u}")


def _org_extras(org: dict[str, Any], draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    extra = {
        "alt_label": draw(st.none() | lang_str),
        "logo": draw(st.none() | png),
        "registration": draw(st.none() | slug),
        "identifiers": draw(st.lists(identifier, max_size=2)),
        "phone": draw(st.none() | st.sampled_from(["+353 1 234 5678", "1-222-333-4444"])),
    }
    if depth == 0 and draw(st.booleans()):
        parent = {"id": draw(fresh), "legal_name": draw(lang_str), "country": org["country"]}
        extra["parent_org"] = _org_extras(parent, draw, 1)
    return {**org, **{k: v for k, v in extra.items() if v not in (None, [])}}


@st.composite
def carried(draw: st.DrawFn) -> MicroCredential:
    """A hub credential limited to what both formats carry (see ONE_FORMAT_ONLY)."""
    base = draw(micro_credentials())
    data = base.model_dump(exclude={"kind", "qf_ehea_cycle", "result_status", "learner_outcome"})
    data = {k: v for k, v in data.items() if v is not None}
    data["languages"] = [t for t in data.get("languages", []) if "-" not in t]
    lang = data["languages"][0] if data["languages"] else "en"
    if "grade" not in data:
        data.pop("supervision", None)  # ELM records it on a graded assessment
    data["issuer"] = _org_extras(data["issuer"], draw)
    data["awarding_bodies"] = [data["issuer"], *data["awarding_bodies"][1:]]
    for outcome in data["learning_outcomes"]:
        if outcome.get("esco_skill"):
            outcome["more_esco_skills"] = [
                f"http://data.europa.eu/esco/skill/{u}"
                for u in draw(st.lists(st.uuids(), max_size=2))
            ]
        outcome["related_skills"] = draw(st.lists(concept, max_size=2))
    for i, item in enumerate(data["assessments"]):
        if i and draw(st.booleans()):
            item["grade"] = draw(text)
            item["grading_scheme"] = draw(lang_str)
            item["grading_description"] = draw(lang_str)
        if i == 0 and data.get("grading_scheme") and draw(st.booleans()):
            item["grading_description"] = draw(lang_str)
        graded = data.get("grade") if i == 0 else item.get("grade")
        if graded and draw(st.booleans()):  # ELM names the assessor of a graded assessment
            item["assessed_by"] = {"id": draw(fresh), "legal_name": draw(lang_str), "country": "BE"}
        item["languages"] = draw(
            st.lists(st.sampled_from(["en", "de", "fr"]), max_size=2, unique=True)
        )
    parts = [*data.get("part_of", []), *data.get("has_part", [])]
    if len(set(parts)) != len(parts):
        data.pop("has_part", None)
        parts = data.get("part_of", [])
    data["part_titles"] = [{"id": p, "title": draw(lang_str)} for p in parts]
    if data.get("eqf_level") and draw(st.booleans()):
        data["partial_qualification"] = draw(st.booleans())
    data["identifiers"] = draw(st.lists(identifier, max_size=2))
    data["achievement_identifiers"] = draw(st.lists(identifier, max_size=2))
    data["credits_earned"] = draw(st.none() | st.sampled_from(["2", "5.5", "12.25"]))
    data["categories"] = [{lang: t} for t in draw(st.lists(text, max_size=2))]
    data["education_subjects"] = draw(st.lists(concept, max_size=2))
    evidence = st.fixed_dictionaries(
        {
            "id": fresh,
            "type": st.just({"id": "http://data.europa.eu/snb/evidence-type/c_18016257"}),
            "narrative": text,
        }
    )
    data["evidence"] = draw(st.lists(evidence, max_size=1))
    if draw(st.booleans()):
        data["activity"] = {
            "title": draw(lang_str),
            "description": draw(st.none() | lang_str),
            "type": {"id": "http://data.europa.eu/snb/learning-activity/bf2e3a7bae"},
            "mode": {"id": "http://data.europa.eu/snb/learning-assessment/e92d221e4d"},
            "volume": draw(st.sampled_from(["PT60H", "P60M"])),
            "languages": ["en"],
            "directed_by": {"id": draw(fresh), "legal_name": draw(lang_str), "country": "BE"},
        }
        data["activity"] = {k: v for k, v in data["activity"].items() if v is not None}
    data = {k: v for k, v in data.items() if v not in (None, [])}
    return MicroCredential(**data)


def _same(before: MicroCredential, after: MicroCredential) -> None:
    a, b = before.model_dump(), after.model_dump()
    for name in CARRIED:
        assert b[name] == a[name], name


def _edc(mc: MicroCredential) -> MicroCredential:
    return edc.load(json.loads(json.dumps(edc.dump(mc))))[0]


def _ob3(mc: MicroCredential) -> MicroCredential:
    return ob3.load(json.loads(json.dumps(ob3.dump(mc))))[0]


PROPERTY = settings(
    max_examples=30,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # shrinking would take minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(autouse=True, scope="module")
def _no_display_image() -> Any:
    """The display page is re-rendered from the data (not an element): a stub keeps the
    properties fast (rendering a PNG per example would dominate)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(edc, "display_parameter", lambda mc, ids: {"id": ids("displayParameter")})
        yield


def _distinct(mc: MicroCredential) -> bool:
    """In RDF one IRI is one node: generated organisations sharing an id must be equal."""
    orgs = [mc.issuer, *mc.awarding_bodies, *(qa.agent for qa in mc.quality_assurance)]
    seen: dict[str, Any] = {}
    return all(seen.setdefault(o.id, o) == o for o in orgs)


@PROPERTY
@given(carried().filter(_distinct))
def test_ob3_to_edc_to_ob3_keeps_every_carried_element(mc):
    start = _ob3(mc)  # the credential as an OB3 carries it
    _same(mc, start)
    _same(start, _ob3(_edc(start)))


@PROPERTY
@given(carried().filter(_distinct))
def test_edc_to_ob3_to_edc_keeps_every_carried_element(mc):
    start = _edc(mc)
    _same(mc, start)
    _same(start, _edc(_ob3(start)))


def test_every_hub_field_is_in_the_table():
    assert set(CARRIED) | set(ONE_FORMAT_ONLY) == set(MicroCredential.model_fields)


def test_ec_annex1_sample_converts_to_ob3_and_back_without_loss():
    """Oracle: the EC's Annex I sample. Read, to OB3, back to EDC and read again: the
    same hub object; the only losses are what the hub has no home for, all named."""
    found, losses = edc.load(json.loads(ANNEX1.read_text(encoding="utf-8")))
    assert {loss.field for loss in losses} == ANNEX1_UNCARRIED
    assert found.issuer.registration == "0000" and found.issuer.alt_label == {"en": "UniZ"}
    assert found.identifiers[0].notation == "C012"
    assert found.learning_outcomes[0].more_esco_skills and found.learning_outcomes[1].related_skills
    assert found.partial_qualification is False and found.activity is not None
    badge = ob3.dump(found)
    back, ob3_losses = ob3.load(json.loads(json.dumps(badge)))
    assert not ob3_losses
    # OB3 requires a description: the writer puts the title in its place (mapping row N1)
    assert found.description is None and back.description == found.title
    assert back == found.model_copy(update={"description": found.title})
    again, _ = edc.load(edc.dump(back))
    assert again == back
