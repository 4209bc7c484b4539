"""Every input of ../shared/fixtures/vc2 through the data-model check.

Oracle: the official W3C VC Data Model 2.0 test suite's expectation, which its
file names encode (``*-ok`` must be accepted, ``*-fail`` and
``*-fail-or-inject`` rejected), with the rule each file is about; the JSON
Schema examples and the spec examples of w3c/vc-data-model are valid
credentials and presentations (except the ones listed with their reason).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred_vc.validate.datamodel import check_datamodel
from tests.fixture_paths import FIXTURES

# --- the W3C suite's inputs ----------------------------------------------------
VC2 = FIXTURES / "vc2"
SUITE = VC2 / "test-suite-input"

#: the rule each failing input is about (by its file name and the suite test that sends it)
SUITE_FAILS = {
    "credential-context-combo3-fail.json": "context.items",
    "credential-context-combo4-fail.json": "context.items",
    "credential-evidence-missing-type-fail.json": "typed.type",
    "credential-id-multi-fail.json": "id.url",
    "credential-id-nonidentifier-fail.json": "id.url",
    "credential-id-not-url-fail.json": "id.url",
    "credential-id-subject-multi-fail.json": "id.url",
    "credential-issuer-no-url-fail.json": "issuer.url",
    "credential-issuer-null-fail.json": "issuer.url",
    "credential-issuer-object-id-no-url-fail.json": "issuer.url",
    "credential-issuer-object-id-null-fail.json": "issuer.url",
    "credential-missing-base-context-fail-or-inject.json": "context.base",
    "credential-missing-required-type-fail.json": "type.credential",
    "credential-no-context-fail-or-inject.json": "context.base",
    # its only defect once the harness has put the issuer in: the subject is {}
    "credential-no-issuer-fail.json": "credentialSubject.claims",
    "credential-no-subject-fail.json": "credentialSubject.required",
    "credential-no-type-fail.json": "type.required",
    "credential-proof-missing-type-fail.json": "typed.type",
    "credential-redef-type-fail.json": "context.processable",
    "credential-redef-type2-fail.json": "context.processable",
    "credential-refresh-no-type-fail.json": "typed.type",
    "credential-schema-no-id-fail.json": "typed.id",
    "credential-schema-no-type-fail.json": "typed.type",
    "credential-schema-non-url-id-fail.json": "id.url",
    "credential-status-missing-type-fail.json": "typed.type",
    "credential-status-multiple-id-fail.json": "id.url",
    "credential-status-nonurl-id-fail.json": "id.url",
    "credential-status-type-nonurl-fail.json": "typed.type",
    "credential-subject-multiple-empty-fail.json": "credentialSubject.claims",
    "credential-subject-no-claims-fail.json": "credentialSubject.claims",
    "credential-termsofuse-missing-type-fail.json": "typed.type",
    "credential-termsofuse-no-type-fail.json": "typed.type",
    "credential-type-mapped-nonurl-fail.json": "context.processable",
    "credential-type-unmapped-fail.json": "context.processable",
    "credential-validUntil-validFrom-fail.json": "validity.order",
    "credential-validfrom-invalid-fail.json": "validFrom.datetime",
    "credential-validuntil-invalid-fail.json": "validUntil.datetime",
    "credential-description-extra-prop-en-fail.json": "name.value",
    "credential-name-extra-prop-en-fail.json": "name.value",
    "issuer-description-extra-prop-en-fail.json": "name.value",
    "issuer-name-extra-prop-en-fail.json": "name.value",
    "presentation-context-order-fail.json": "context.base",
    "presentation-enveloped-vc-missing-type-fail.json": "envelope.type",
    "presentation-holder-fail.json": "holder.url",
    "presentation-holder-name-fail.json": "holder.url",
    "presentation-holder-object-fail.json": "holder.url",
    "presentation-missing-base-context-fail.json": "context.base",
    "presentation-missing-required-type-fail.json": "type.presentation",
    "presentation-no-context-fail-or-inject.json": "context.base",
    "presentation-no-type-fail.json": "type.required",
    "presentation-vc-as-string-fail.json": "verifiableCredential.object",
    "presentation-vc-missing-required-type-fail.json": "type.required",
}
#: inputs about proofs (who signed the presentation), not the data model: structurally valid
NOT_DATAMODEL = {
    "presentation-self-asserted-vc-holder-mismatch.json",
    "presentation-self-asserted-vc-issuer-mismatch.json",
    "presentation-self-asserted-vc-no-holder.json",
}
SUITE_FILES = sorted(SUITE.rglob("*.json"))
VALID_FILES = sorted((VC2 / "json-schema").rglob("example-*.json")) + sorted(
    (VC2 / "spec-examples").glob("*.json")
)
#: spec examples that are not credentials or presentations as shown
SPEC_NOT_VALID = {
    # JSON-LD context documents, not credentials
    "vcdm-022-a-json-ld-context.json": "context.base",
    "vcdm-032-a-context-file-that-defines-a-matrix-as-an-embedded-json-dat.json": "context.base",
    # a template the playground sends to an issuer; it names no issuer yet
    "vcdm-000-a-template-for-creating-prototype-verifiable-credentials.json": "issuer.required",
}


def _as_sent_to_an_issuer(path: Path) -> Any:
    """The input as the suite's harness sends it (tests/mock.data.js, createRequestBody).

    The runner replaces the PAST/FUTURE DATE placeholders; the harness gives a
    credential that names no issuer (or an issuer object without ``id``) the
    issuer endpoint's id. Where the input writes an explicit null, it stays.
    """
    text = path.read_text()
    text = text.replace('"PAST DATE"', '"2020-01-01T00:00:00Z"')
    text = text.replace('"FUTURE DATE"', '"2099-01-01T00:00:00Z"')
    doc = json.loads(text)
    if path.name.startswith("presentation-") or not isinstance(doc, dict):
        return doc
    if "issuer" not in doc:
        doc["issuer"] = "did:example:issuer-endpoint"
    elif isinstance(doc["issuer"], dict) and "id" not in doc["issuer"]:
        doc["issuer"]["id"] = "did:example:issuer-endpoint"
    return doc


def test_every_suite_input_is_classified() -> None:
    names = {p.name for p in SUITE_FILES}
    assert len(SUITE_FILES) >= 120
    for name in names:
        assert (
            name.endswith("-ok.json")
            or name in SUITE_FAILS
            or name in NOT_DATAMODEL
            or (name == "validVc.json")
        ), name
    assert set(SUITE_FAILS) <= names


@pytest.mark.parametrize("path", SUITE_FILES, ids=[p.name for p in SUITE_FILES])
def test_w3c_suite_input(path: Path) -> None:
    doc = _as_sent_to_an_issuer(path)
    # sent to an issuer, which fills in a VC 1.1 issuanceDate (validVc.json has none)
    kind = "presentation" if path.name.startswith("presentation-") else "credential"
    found = check_datamodel(doc, kind=kind, require_issuance_date=False, expand=True)
    if path.name in SUITE_FAILS:
        assert SUITE_FAILS[path.name] in {v.rule for v in found}, found
    else:
        assert found == [], found


@pytest.mark.parametrize("path", VALID_FILES, ids=[p.name for p in VALID_FILES])
def test_specification_examples(path: Path) -> None:
    """Their contexts are not all available offline, so only the structural rules run."""
    found = check_datamodel(json.loads(path.read_text()))
    if path.name in SPEC_NOT_VALID:
        assert SPEC_NOT_VALID[path.name] in {v.rule for v in found}, found
    else:
        assert found == [], found
