"""The essential-elements mapping table as data, so the docs render it and never drift.

One row per element of the Council Recommendation Annex I (M = mandatory,
O = optional) and the NESET extras (N, X): where the hub keeps it, where it
goes in Open Badges 3.0 and in Europass EDC, its EU vocabulary, and what is
lost. ``EXTENSION_TERMS`` lists the ``mc:`` context terms for the docs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ELM = "http://data.europa.eu/snb/model/elm/"
EXTENSION_CONTEXT_URL = "https://w3id.org/microcred-vc/contexts/microcredential-v1.jsonld"


@dataclass(frozen=True)
class MappingRow:
    ref: str
    element: str
    field: str
    required: str
    ob3: str
    edc: str
    vocabulary: str
    loss: str


_ROWS: tuple[MappingRow, ...] = (
    MappingRow("M1", "Learner identification", "learner", "yes",
               "credentialSubject.id; credentialSubject.identifier[] (IdentityObject: name, "
               "emailAddress, studentId, nationalIdentityNumber)",
               "credentialSubject (Person): fullName, givenName, familyName, dateOfBirth, "
               "nationalID, contactPoint.emailAddress",
               "country/<ISO3> for nationalID.spatial",
               "OB3 has no given/family name on AchievementSubject: kept as mc:givenName / "
               "mc:familyName, with mc:dateOfBirth and mc:nationalID"),
    MappingRow("M2", "Title of the micro-credential", "title", "yes",
               "credentialSubject.achievement.name (primary language); mc:title (all languages)",
               "claim.title; spec.title", "—", "OB3 name is one string"),
    MappingRow("M3", "Country/region of the issuer", "issuer.country, issuer.region", "yes",
               "issuer.address.addressCountryCode, addressCountry, addressRegion",
               "issuer.location[].address.countryCode", "country/<ISO3>; atu/<code>",
               "Free-text region has no ATU code"),
    MappingRow("M4", "Awarding body(ies)", "awarding_bodies", "yes",
               "issuer (Profile, mc:legalName); achievement.creator; mc:awardingBody",
               "claim.awardedBy.awardingBody[]", "—", "—"),
    MappingRow("M5", "Date of issuing", "issued_at, awarded_at, valid_until", "yes",
               "validFrom; awardedDate; validUntil",
               "issuanceDate, validFrom; claim.awardedBy.awardingDate; expirationDate", "—",
               "—"),
    MappingRow("M6", "Learning outcomes", "learning_outcomes, learning_outcome_summary", "yes",
               "achievement.criteria.narrative; achievement.alignment[] (ESCO); "
               "mc:learningOutcome", "spec.learningOutcome[]; spec.learningOutcomeSummary",
               "ESCO skill http://data.europa.eu/esco/skill/<uuid>", "—"),
    MappingRow("M7", "Notional workload (ECTS)", "ects, workload_hours, credit_system", "yes",
               "achievement.creditsAvailable; mc:volumeOfLearning (xsd:duration); "
               "mc:creditSystem", "spec.creditPoint[]; spec.volumeOfLearning",
               "education-credit/6fcec5c5af (ECTS)", "—"),
    MappingRow("M8", "Level (EQF, NQF, QF-EHEA)", "eqf_level, nqf_level, qf_ehea_cycle",
               "if applicable", "achievement.alignment[] targetType ext:EQFLevel; "
               "mc:nqfLevel; mc:qfEheaCycle", "spec.eqfLevel; spec.nqfLevel[]",
               "eqf/{1..8}", "QF-EHEA cycle has no ELM property (unverified)"),
    MappingRow("M9", "Type of assessment", "assessments", "yes", "mc:assessment",
               "asmt.specifiedBy (LearningAssessmentSpecification) dcType, title, mode",
               "assessment/25831c2", "—"),
    MappingRow("M10", "Form of participation", "participation_mode", "yes", "mc:mode",
               "spec.mode[]", "learning-assessment/{920fbb3cbe,9191af2ed9,e92d221e4d}", "—"),
    MappingRow("M11", "Type of quality assurance", "quality_assurance", "yes",
               "mc:accreditation", "spec.accreditation[] / issuer.accreditation[]",
               "accreditation/25831c2", "—"),
    MappingRow("O1", "Prerequisites to enrol", "entry_requirements", "no",
               "mc:entryRequirement", "spec.entryRequirement", "—", "—"),
    MappingRow("O2", "Supervision and identity verification", "supervision", "no",
               "mc:idVerification", "asmt.idVerification",
               "supervision-verification/25831c2", "—"),
    MappingRow("O3", "Grade achieved", "grade, grading_scheme, result_status", "no",
               "credentialSubject.result[] (one per graded assessment); "
               "achievement.resultDescription[] (its grading scheme); mc:gradingScheme",
               "claim.provenBy[].grade; provenBy[].specifiedBy.gradingScheme {title, description}",
               "—", "EDC grades are text; result levels, allowed values and rubrics are lost"),
    MappingRow("O4", "Integration / stackability", "stackability, part_of, has_part", "no",
               "mc:stackable, mc:isPartOf, mc:hasPart ({id, title}); mc:isPartialQualification",
               "spec.isPartOf[]; spec.hasPart[] (specifications with their title); "
               "spec.isPartialQualification (Qualification only)", "—",
               "A part without its title (part_titles) cannot be linked in ELM"),
    MappingRow("O5", "Further information", "additional_info, homepage", "no",
               "mc:additionalNote; achievement.criteria.id (home page)", "claim.additionalNote[]; "
               "spec.homepage[]", "—", "Typed EDC notes become untyped text"),
    MappingRow("N1", "Description", "description", "OB3 yes", "achievement.description; mc:descriptionMap (all languages)",
               "claim.description", "—", "Synthesised from the title when absent"),
    MappingRow("N2", "Period / duration", "start, end, max_duration", "no",
               "credentialSubject.activityStartDate, activityEndDate; mc:maximumDuration",
               "act.temporal; spec.maximumDuration", "—", "—"),
    MappingRow("N3", "Learning resources", "resources", "no", "mc:supplementaryDocument",
               "spec.supplementaryDocument[]", "—", "Untyped URL list"),
    MappingRow("N4", "Outcome for the learner", "learner_outcome", "no", "mc:learnerOutcome",
               "claim.entitlesTo[]", "entitlement/25831c2", "Policy, not data"),
    MappingRow("X1", "Credential type", "kind", "—", "achievement.achievementType "
               "MicroCredential", "spec.dcType", "learning-opportunity/25831c2", "—"),
    MappingRow("X2", "Language of instruction", "languages", "no",
               "achievement.inLanguage (first); mc:instructionLanguage (all)", "spec.language[]",
               "language/<ISO 639 alpha-3>", "—"),
    MappingRow("X3", "Field of education", "isced_f", "no",
               "achievement.alignment[] targetType ext:ISCEDF; mc:thematicArea; free-text "
               "fieldOfStudy is kept as a keyword (categories)", "spec.thematicArea[]; spec.category",
               "isced-f/<code>", "—"),
    MappingRow("X4", "Learning setting", "learning_setting", "no", "mc:learningSetting",
               "spec.learningSetting", "learning-setting/{6fd4685715,e207a81fc7}", "—"),
    MappingRow("X5", "Course code", "code", "no", "achievement.humanCode",
               "claim.identifier[]", "—", "—"),
)  # fmt: skip

#: Every term of the ``mc:`` extension context and the IRI it maps to (ELM where one exists,
#: the project vocabulary ``mcv:`` otherwise). A test keeps this and the context file equal.
EXTENSION_TERMS: dict[str, str] = {
    "Concept": "skos:Concept",
    "LearningOutcome": "elm:LearningOutcome",
    "LearningAssessmentSpecification": "elm:LearningAssessmentSpecification",
    "Accreditation": "elm:Accreditation",
    "Note": "elm:Note",
    "LegalIdentifier": "elm:LegalIdentifier",
    "prefLabel": "skos:prefLabel",
    "inScheme": "skos:inScheme",
    "title": "elm:title",
    "descriptionMap": "elm:description",
    "legalName": "elm:legalName",
    "noteLiteral": "elm:noteLiteral",
    "givenName": "elm:givenName",
    "familyName": "elm:familyName",
    "dateOfBirth": "elm:dateOfBirth",
    "nationalID": "elm:nationalID",
    "notation": "elm:notation",
    "spatial": "elm:spatial",
    "awardingBody": "elm:awardingBody",
    "learningOutcome": "elm:learningOutcome",
    "learningOutcomeSummary": "elm:learningOutcomeSummary",
    "relatedESCOSkill": "elm:relatedESCOSkill",
    "reusabilityLevel": "elm:reusabilityLevel",
    "volumeOfLearning": "elm:volumeOfLearning",
    "creditSystem": "mcv:creditSystem",
    "nqfLevel": "elm:nqfLevel",
    "qfEheaCycle": "mcv:qfEheaCycle",
    "assessment": "elm:assessment",
    "dcType": "elm:dcType",
    "mode": "elm:mode",
    "accreditation": "elm:accreditation",
    "accreditingAgent": "elm:accreditingAgent",
    "report": "elm:report",
    "entryRequirement": "elm:entryRequirement",
    "idVerification": "elm:idVerification",
    "gradingScheme": "elm:gradingScheme",
    "stackable": "mcv:stackable",
    "isPartOf": "elm:isPartOf",
    "hasPart": "elm:hasPart",
    "additionalNote": "elm:additionalNote",
    "homepage": "elm:homepage",
    "maximumDuration": "elm:maximumDuration",
    "supplementaryDocument": "elm:supplementaryDocument",
    "learnerOutcome": "mcv:learnerOutcome",
    "instructionLanguage": "mcv:instructionLanguage",
    "thematicArea": "elm:thematicArea",
    "learningSetting": "elm:learningSetting",
    "altLabel": "skos:altLabel",
    "gradingDescription": "mcv:gradingDescription",
    "assessedBy": "elm:assessedBy",
    "schemeName": "elm:schemeName",
    "educationSubject": "elm:educationSubject",
    "isPartialQualification": "elm:isPartialQualification",
    "LearningActivity": "elm:LearningActivity",
    "learningActivity": "elm:influencedBy",
    "directedBy": "elm:directedBy",
    "relatedSkill": "elm:relatedSkill",
    "Identifier": "adms:Identifier",
    "credentialIdentifier": "adms:identifier",
}


#: Hub field → (OB 3.0 place, ELM / EDC place): the elements both formats carry, so
#: OB3 → EDC → OB3 and EDC → OB3 → EDC keep them (property tests in
#: tests/formats/test_carried_elements.py); ``mc:`` is the project's extension context.
CARRIED_ELEMENTS: dict[str, tuple[str, str]] = {
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


def mapping_rows() -> list[dict[str, str]]:
    """The table rows as plain dicts (keys: ref, element, field, required, ob3, edc, ...)."""
    return [asdict(row) for row in _ROWS]
