"""OB3 validation: official JSON Schema (from the fixtures, at run time) plus our own rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from microcred_vc.errors import SchemaUnavailable
from microcred_vc.formats import ob3
from microcred_vc.model import MicroCredential
from microcred_vc.validate.findings import Finding
from microcred_vc.validate.ob3 import errors, validate_ob3
from tests.fixture_paths import FIXTURES
from tests.model.strategies import micro_credentials
from tests.model.test_elements import BASE

SCHEMAS = FIXTURES / "ob3" / "schemas"
OB30 = FIXTURES / "ob3" / "validator-fixtures" / "ob30"
SPEC = FIXTURES / "ob3" / "spec-examples"
NOW = datetime(2026, 1, 1, tzinfo=UTC)

#: err files whose stated reason is the proof; structure is fine, verification fails.
PROOF_ONLY = {
    "simple-err-proof-method-no-scheme.json",
    "simple-err-proof-method-unknown-did-method.json",
    "simple-err-proof-method-unknown-scheme.json",
    "simple-err-proof-method.json",
    "simple-err-proof-value.json",
}
#: not named err, yet invalid for a reason the file itself shows.
KNOWN_INVALID = {
    # expirationDate 2020-01-01, and identityType "email" (the draft-04 port wants emailAddress)
    "complete_v1.json": {
        "validUntil",
        "credentialSubject.identifier[0].identityType",
        "credentialSubject.identifier[1].identityType",
    },
    # a "no proof" verifier fixture that also omits the required achievement
    "simple-noproof.json": {"credentialSubject"},
}


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _cases() -> list[Path]:
    files = sorted(OB30.glob("*.json")) + sorted(OB30.glob("sd/*.json"))
    files += sorted(SPEC.glob("examples_*.json"))
    files += sorted(SPEC.glob("impl_linked-data-proof-ob--0[17]-*.json"))
    return files


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.name)
def test_official_examples(path: Path) -> None:
    found = errors(validate_ob3(_json(path), SCHEMAS, now=NOW))
    if "-err-" in path.name and path.name not in PROOF_ONLY:
        assert found, "an err fixture must fail validation"
    elif path.name in KNOWN_INVALID:
        assert {f.path for f in found} == KNOWN_INVALID[path.name]
    else:
        assert found == []


@pytest.mark.parametrize(
    ("name", "path", "message"),
    [
        ("simple-err-expired.json", "validUntil", "Expired on 2010-01-01T00:00:00+00:00"),
        ("simple-err-issued.json", "validFrom", "Not valid yet: valid from 2040-01-01T00:00:00+00:00"),
        ("simple-err-credential-subject-identifier-type.json", "credentialSubject.identifier[0].type",
         "OB 3.0 schema: 'InvalidIdentityObject' is not one of ['IdentityObject']"),
        ("simple-err-issuer-type.json", "issuer.type",
         "OB 3.0 schema: type ['InvalidProfile'] does not include a type the OB 3.0 schema requires here"),
        ("simple-err-type.json", "type", "type must include VerifiableCredential and OpenBadgeCredential"),
        ("simple-err-context.json", "@context", "The first @context must be https://www.w3.org/ns/credentials/v2"),
    ],
)  # fmt: skip
def test_err_fixtures_fail_for_their_stated_reason(name: str, path: str, message: str) -> None:
    assert Finding(path, message) in validate_ob3(_json(OB30 / name), SCHEMAS, now=NOW)


def test_single_values_are_read_as_arrays() -> None:
    doc = _json(OB30 / "simple-did-web-method.json")
    assert isinstance(doc["proof"], dict)
    assert errors(validate_ob3(doc, SCHEMAS, now=NOW)) == []


def test_schema_file_path_and_missing_schema(tmp_path: Path) -> None:
    doc = _json(OB30 / "simple.json")
    assert errors(validate_ob3(doc, SCHEMAS / "ob_v3p0_achievementcredential_schema.json")) == []
    with pytest.raises(SchemaUnavailable, match="not found"):
        validate_ob3(doc, tmp_path / "nope.json")
    with pytest.raises(SchemaUnavailable, match="No ob_v3p0_achievementcredential_schema.json"):
        validate_ob3(doc, tmp_path)
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(SchemaUnavailable, match="not valid JSON"):
        validate_ob3(doc, tmp_path / "bad.json")


def test_without_schemas_only_rules_run_and_say_so() -> None:
    findings = validate_ob3(_json(OB30 / "simple.json"), now=NOW)
    assert findings == [
        Finding("", "The official OB 3.0 JSON Schema was not checked (no path given)", "warning")
    ]
    assert validate_ob3([], SCHEMAS) == [
        Finding("", "An Open Badges 3.0 credential must be a JSON object")
    ]


def test_rules_the_schema_misses() -> None:
    doc = _json(OB30 / "simple.json")
    doc["validFrom"] = "2025-06-01T00:00:00"
    doc["validUntil"] = "2024-01-01T00:00:00Z"
    doc["issuer"] = {"type": ["Profile"], "name": "No id"}
    del doc["credentialSubject"]["id"]
    findings = validate_ob3(doc, now=NOW)
    assert (
        Finding("validFrom", "validFrom '2025-06-01T00:00:00' has no time zone; add Z or an offset")
        in findings
    )
    assert (
        Finding("issuer.id", "The issuer needs an id (a URL or DID) to be verifiable") in findings
    )
    assert Finding("validUntil", "Expired on 2024-01-01T00:00:00+00:00") in findings
    assert (
        Finding("credentialSubject", "The learner has neither id nor identifier", "warning")
        in findings
    )


def test_micro_credential_missing_annex_elements_is_a_warning() -> None:
    doc = ob3.dump(MicroCredential(**BASE))
    del doc["credentialSubject"]["achievement"]["assessment"]
    findings = validate_ob3(doc, SCHEMAS, now=datetime(2026, 7, 1, tzinfo=UTC))
    assert errors(findings) == []
    assert (
        Finding(
            "credentialSubject.achievement.assessments",
            "EU micro-credential: Missing mandatory element: Type of assessment",
            "warning",
        )
        in findings
    )


@settings(max_examples=15)
@given(micro_credentials())
def test_every_dump_is_valid_ob3(mc: MicroCredential) -> None:
    now = mc.issued_at
    findings = validate_ob3(ob3.dump(mc), SCHEMAS, now=now)
    assert findings == []


def test_every_example_roster_credential_is_valid_ob3() -> None:
    from microcred_vc.model.lms import build_micro_credential, load_course_spec, load_roster

    examples = Path(__file__).resolve().parents[2] / "examples"
    course = load_course_spec(examples / "course.json")
    issued = datetime(2026, 7, 1, tzinfo=UTC)
    for row in load_roster(examples / "roster.csv"):
        doc = ob3.dump(build_micro_credential(course, row, issued_at=issued))
        assert validate_ob3(doc, SCHEMAS, now=issued) == [], row.row
