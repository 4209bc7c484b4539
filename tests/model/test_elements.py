"""The hub model: valid credentials build, invalid ones fail with readable messages."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

from microcred_vc.errors import ModelError
from microcred_vc.model import MicroCredential, vocab
from tests.model.strategies import micro_credentials

BASE: dict[str, Any] = {
    "learner": {"full_name": "Aoife Byrne", "email": "aoife.byrne@example.ie"},
    "title": {"en": "Data literacy for public servants", "ga": "Litearthacht sonraí"},
    "issuer": {
        "id": "did:web:ucd.example.ie",
        "legal_name": "University College Dublin",
        "country": "IE",
    },
    "awarding_bodies": [
        {"id": "did:web:ucd.example.ie", "legal_name": "University College Dublin", "country": "IE"}
    ],
    "issued_at": "2026-06-30T12:00:00Z",
    "learning_outcomes": [{"title": "Clean and document a public data set"}],
    "ects": 5,
    "assessments": [{"title": "Final written exam", "type": "written-exam"}],
    "participation_mode": "online",
    "quality_assurance": [
        {
            "type": "program-license",
            "title": "Programme validated by QQI",
            "agent": {"id": "https://qqi.example.ie", "legal_name": "QQI", "country": "IE"},
        }
    ],
}


def build(**changes: Any) -> MicroCredential:
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is ...:
            data.pop(key)
        else:
            data[key] = value
    return MicroCredential(**data)


def error_of(**changes: Any) -> str:
    with pytest.raises(ModelError) as info:
        build(**changes)
    assert info.value.code == "MODEL_INVALID"
    return info.value.message


def test_valid_minimal_credential_fills_defaults() -> None:
    mc = build()
    assert mc.ects == Decimal(5)
    assert mc.credit_system == vocab.ECTS
    assert mc.description == mc.title  # OB3 needs one; synthesised from the title
    assert mc.achievement_id and mc.achievement_id.startswith("urn:uuid:")
    assert mc.participation_concept.id == "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"
    assert mc.assessments[0].type.id == "http://data.europa.eu/snb/assessment/6e6cb2cc78"
    assert mc.issued_at.utcoffset() is not None


def test_alpha3_and_eu_country_iri_normalise_to_alpha2() -> None:
    iri = "http://publications.europa.eu/resource/authority/country/DEU"
    mc = build(issuer={**BASE["issuer"], "country": iri})
    assert mc.issuer.country == "DE"
    assert build(issuer={**BASE["issuer"], "country": "fra"}).issuer.country == "FR"


def test_learner_full_name_derived_from_parts() -> None:
    mc = build(learner={"given_name": "Jan", "family_name": "Kowalski"})
    assert mc.learner.full_name == "Jan Kowalski"


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("learning_outcomes", "Missing mandatory element: Learning outcomes"),
        ("title", "Missing mandatory element: Title of the micro-credential"),
        ("issued_at", "Missing mandatory element: Date of issuing"),
        ("participation_mode", "Missing mandatory element: Form of participation"),
        ("quality_assurance", "Missing mandatory element: Type of quality assurance"),
        ("assessments", "Missing mandatory element: Type of assessment"),
        ("learner", "Missing mandatory element: Learner identification"),
    ],
)
def test_missing_mandatory_element(missing: str, message: str) -> None:
    assert error_of(**{missing: ...}) == message


def test_missing_workload_names_both_options() -> None:
    assert (
        error_of(ects=...)
        == "Notional workload is missing: give the ECTS credits or the workload in hours"
    )


def test_empty_list_of_mandatory_element() -> None:
    assert error_of(learning_outcomes=[]) == "Learning outcomes: give at least one"


@pytest.mark.parametrize(
    ("ects", "message"),
    [
        (-1, "Notional workload (ECTS) must be ≥ 0 (got -1)"),
        (
            75,
            "Notional workload (ECTS) must be ≤ 60: a micro-credential is smaller than a degree (got 75)",
        ),
        ("1.255", "Notional workload (ECTS) must have at most 2 decimals (got 1.255)"),
        ("five", "Notional workload (ECTS) must be a number (got 'five')"),
        ("NaN", "Notional workload (ECTS) must be a number (got 'NaN')"),
        (True, "Notional workload (ECTS) must be a number (got True)"),
    ],
)
def test_bad_ects(ects: Any, message: str) -> None:
    assert error_of(ects=ects) == message


def test_bad_workload_hours() -> None:
    assert error_of(workload_hours=5000) == (
        "Notional workload (hours) must be between 0 and 1800 hours (got 5000)"
    )


def test_bad_issuer_country() -> None:
    assert error_of(issuer={**BASE["issuer"], "country": "XX"}) == (
        "Country of the issuer must be an ISO 3166-1 country code such as 'IE' or 'DE' (got 'XX')"
    )


def test_bad_awarding_body_country_names_the_body() -> None:
    bodies = [*BASE["awarding_bodies"], {**BASE["issuer"], "country": "Atlantis"}]
    assert error_of(awarding_bodies=bodies) == (
        "Awarding body 2, country must be an ISO 3166-1 country code such as 'IE' or 'DE' "
        "(got 'Atlantis')"
    )


def test_unknown_participation_mode() -> None:
    assert error_of(participation_mode="remote") == (
        "Form of participation must be one of: online, onsite, blended (got 'remote')"
    )


def test_unknown_learning_setting_word() -> None:
    assert error_of(learning_setting="informal") == (
        "Learning setting 'informal' is not in the EU vocabulary 'Learning setting'; "
        "use one of: formal, non-formal"
    )


def test_unknown_concept_in_closed_eu_scheme() -> None:
    iri = "http://data.europa.eu/snb/learning-assessment/0000000000"
    message = error_of(assessments=[{"title": "Exam", "type": "written-exam", "mode": iri}])
    assert message == (
        f"Assessment 1, mode of assessment {iri!r} is not a known concept of the EU vocabulary "
        "'Mode of learning and assessment'; use one of: online, onsite, blended, project-based, "
        "work-based, research-lab, hybrid"
    )


def test_unknown_assessment_word() -> None:
    message = error_of(assessments=[{"title": "Exam", "type": "pop-quiz"}])
    assert message.startswith(
        "Assessment 1, type of assessment 'pop-quiz' is not in the EU vocabulary 'Assessment type'"
    )


def test_local_assessment_scheme_is_accepted() -> None:
    """The EC sample uses a local scheme for the assessment type; the mapping accepts it."""
    local = {"id": "https://uni.example/assessment/peer-review", "pref_label": {"en": "Peer"}}
    mc = build(assessments=[{"title": "Peer review", "type": local}])
    assert mc.assessments[0].type.id == local["id"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("eqf_level", 9, "EQF level must be between 1 and 8 (got 9)"),
        (
            "issued_at",
            "2026-06-30T12:00:00",
            "Date of issuing must include a time zone, e.g. 2026-06-30T12:00:00Z",
        ),
        (
            "homepage",
            "ftp://x.example",
            "Further information web page must be a web address starting with https:// (got 'ftp://x.example')",
        ),
        (
            "max_duration",
            "3 months",
            "Maximum duration must be an ISO 8601 duration such as 'P3M' (got '3 months')",
        ),
        ("ectz", 5, "ectz is not an element of a micro-credential (check the spelling)"),
        (
            "stackability",
            "stackable",
            "Integration / stackability: a stackable micro-credential must name the credential it stacks towards (part_of)",
        ),
    ],
)
def test_other_invalid_values(field: str, value: Any, message: str) -> None:
    assert error_of(**{field: value}) == message


def test_learner_email_and_dates() -> None:
    assert error_of(learner={"full_name": "A B", "email": "nope"}).startswith(
        "Learner's email address is not valid"
    )
    assert error_of(valid_until="2026-01-01T00:00:00Z") == (
        "Valid until must be later than the date of issuing"
    )


def test_error_lists_every_problem_with_its_path() -> None:
    with pytest.raises(ModelError) as info:
        build(ects=-1, eqf_level=0)
    problems = info.value.details["problems"]
    assert [p for p, _ in problems] == ["ects", "eqf_level"]


def test_model_validate_also_gives_readable_errors() -> None:
    with pytest.raises(ModelError, match=r"Notional workload \(ECTS\) must be ≥ 0"):
        MicroCredential.model_validate({**BASE, "ects": -3})


@given(micro_credentials())
def test_json_round_trip(mc: MicroCredential) -> None:
    again = MicroCredential.model_validate_json(mc.model_dump_json())
    assert again == mc
    assert MicroCredential.model_validate(mc.model_dump()) == mc


def test_every_official_quality_assurance_type_is_accepted() -> None:
    """Oracle: the ELM accreditation-type code list (4 concepts; see tests/model/test_vocab.py)."""
    for key in ("program-license", "program-quality-assurance", "institutional-license",
                "institutional-quality-assurance"):  # fmt: skip
        qa = {**BASE["quality_assurance"][0], "type": key}
        mc = build(quality_assurance=[qa])
        assert mc.quality_assurance[0].type.id.startswith(vocab.ACCREDITATION.namespace)
