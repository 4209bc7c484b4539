"""EDC output obeys the EDC application profile: an issuer without an eIDAS legal identifier
is refused, unless the seal certificate supplies it (as the EC's issuing tool does).

Oracles: pySHACL on the official ``EDC-generic-no-cv.ttl`` (``edc:IssuerNodeShape``: one
``eidasLegalIdentifier``) and ``EDC-generic-full.ttl``; the EC's sealed Annex I sample, whose
issuer ``eIDASIdentifier`` is its certificate's organizationIdentifier written verbatim.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from microcred_vc import build_micro_credential, convert, load_course_spec, load_roster
from microcred_vc.errors import (
    CertificateError,
    EdcIssuerNoLegalId,
    EdcIssuerSealMismatch,
    LegalIdentifierInvalid,
)
from microcred_vc.formats import edc
from microcred_vc.validate.edc import errors_only, validate_edc
from tests.formats.test_complete_with import COURSE, SAMPLE, SHAPES, course_for, loader  # noqa: F401
from tests.pki import key_usage, make_cert

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _cert(org_id: str | None):
    key = ec.generate_private_key(ec.SECP256R1())
    return make_cert("Seal", key, None, key, ca=False, usage=key_usage(sign=True), org_id=org_id)


def _without_eidas(course: dict) -> dict:
    course = copy.deepcopy(course)
    for org in [course["issuer"], *course["awarding_bodies"]]:
        org.pop("eidas_id", None)
    return course


def _example(course: dict, where: Path):
    path = where / "course.json"
    path.write_text(json.dumps(course), encoding="utf-8")
    learner = next(iter(load_roster(EXAMPLES / "roster.csv")))
    return build_micro_credential(load_course_spec(path), learner)


@pytest.fixture(scope="module")
def example_mc(tmp_path_factory):
    """The library's example course, its issuer without an eIDAS identifier."""
    return _example(_without_eidas(COURSE), tmp_path_factory.mktemp("course"))


def test_an_edc_without_issuer_legal_id_is_refused_with_the_code(example_mc):
    with pytest.raises(EdcIssuerNoLegalId) as refused:
        edc.dump(example_mc)
    assert refused.value.code == "EDC_ISSUER_NO_LEGAL_ID"
    assert "seal_certificate" in refused.value.message and "eidas_id" in refused.value.message


def test_convert_refuses_it_too():
    doc = json.loads(SAMPLE[0].read_text(encoding="utf-8"))
    with pytest.raises(EdcIssuerNoLegalId):
        convert(doc, to="edc", complete_with=_without_eidas(course_for(doc)))


def test_the_seal_certificate_supplies_the_identifier_and_the_edc_is_valid(loader):  # noqa: F811
    """convert(OB3 badge + course without eIDAS id, seal_certificate=…) → 0 SHACL violations."""
    doc = json.loads(SAMPLE[0].read_text(encoding="utf-8"))
    cert = _cert("VATIE-3668997OH")
    result = convert(
        doc, to="edc", complete_with=_without_eidas(course_for(doc)), seal_certificate=cert
    )
    findings = errors_only(validate_edc(result.document, SHAPES, loader=loader))
    assert findings == [], [(f.path, f.message) for f in findings]
    assert result.document["issuer"]["eIDASIdentifier"]["notation"] == "VATIE-3668997OH"
    assert "issuer.eidas_id" in result.completeness.supplied


def test_dump_with_the_seal_certificate_then_seal_verifies(example_mc):
    """The EC's habit (Sample-MC-Annex1-signed): the identifier is the certificate's, verbatim."""
    from microcred_vc.seal import seal_edc, verify_seal

    key = ec.generate_private_key(ec.SECP256R1())
    cert = make_cert(
        "Seal", key, None, key, ca=False, usage=key_usage(sign=True), org_id="NTRIE-3668997OH"
    )
    doc = edc.dump(example_mc, seal_certificate=cert)
    issuer_id = doc["issuer"]["eIDASIdentifier"]
    assert issuer_id["notation"] == "NTRIE-3668997OH"
    assert issuer_id["spatial"]["id"].endswith("/IRL")
    body = doc["credentialSubject"]["hasClaim"][0]["awardedBy"]["awardingBody"][0]
    assert body["eIDASIdentifier"]["notation"] == "NTRIE-3668997OH"  # the same organisation
    report = verify_seal(seal_edc(doc, key, [cert]), [cert])
    assert report.step("issuer").status == "pass", report.reason


def test_a_given_identifier_is_kept_and_must_agree_with_the_certificate(tmp_path):
    mc = _example(COURSE, tmp_path)  # eidas_id IE/IE/3668997OH
    doc = edc.dump(mc, seal_certificate=_cert("VATIE-3668997OH"))
    assert doc["issuer"]["eIDASIdentifier"]["notation"] == "IE/IE/3668997OH"  # never replaced
    with pytest.raises(EdcIssuerSealMismatch) as refused:
        edc.dump(mc, seal_certificate=_cert("VATBE-3668997OH"))
    assert refused.value.code == "EDC_ISSUER_SEAL_MISMATCH"


def test_a_certificate_without_organization_identifier_cannot_supply_it(example_mc):
    with pytest.raises(CertificateError) as refused:
        edc.dump(example_mc, seal_certificate=_cert(None))
    assert refused.value.code == "SEAL_CERT_NO_ORG_ID"


def test_an_unreadable_certificate_identifier_is_a_typed_error(example_mc):
    with pytest.raises(LegalIdentifierInvalid):
        edc.dump(example_mc, seal_certificate=_cert("VATIE-36689９7OH"))
