"""The seal's organisation is the EDC's issuer, compared by scheme, country and value.

Oracles: ETSI EN 319 412-1 §5.1.4 (the certificate's organizationIdentifier) and the ELM
LegalIdentifier (notation + spatial country); the library's own example course, whose
issuer carries the eIDAS form ``IE/IE/3668997OH``. The old comparison (upper-cased strings,
country ignored) refused the example's realistic certificate and accepted a bare number of
another country, a lower-case prefix and a dotless ı; those now go the other way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from microcred_vc import build_micro_credential, load_course_spec, load_roster
from microcred_vc.formats import edc
from microcred_vc.seal import seal_edc, verify_seal
from tests.pki import key_usage

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
DOC = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"]}


@pytest.fixture(scope="module")
def example_mc():
    course = load_course_spec(EXAMPLES / "course.json")
    return build_micro_credential(course, next(iter(load_roster(EXAMPLES / "roster.csv"))))


def _seal(pki, doc, org_id):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = pki.issue("Seal", key, usage=key_usage(sign=True), org_id=org_id)
    return verify_seal(seal_edc(doc, key, [cert, pki.inter]), [pki.root])


@pytest.mark.parametrize("org_id", ["VATIE-3668997OH", "NTRIE-3668997OH", "VATIE-IE3668997OH"])
def test_the_library_example_sealed_with_a_realistic_certificate_verifies(pki, example_mc, org_id):
    """Regression (issue 19): VATIE-3668997OH against the example's IE/IE/3668997OH used to fail."""
    report = _seal(pki, edc.dump(example_mc), org_id)
    assert report.valid, report.reason
    assert report.step("issuer").status == "pass"


@pytest.mark.parametrize("org_id", ["VATBE-3668997OH", "VATIE-3668997OX", "VATIE-36689970H"])
def test_the_example_sealed_by_another_organisation_fails(pki, example_mc, org_id):
    report = _seal(pki, edc.dump(example_mc), org_id)
    assert not report.valid and report.code == "SEAL_ISSUER_MISMATCH"
    assert "IE/IE/3668997OH" in (report.reason or "")


@pytest.mark.parametrize(
    ("notation", "country"),
    [
        ("0123456789", "FRA"),  # a bare number of another country: the old code ignored it
        ("vatbe-0123456789", "BEL"),  # lower-case prefix: the old code upper-cased it
        ("NTRBE-0123456789", "BEL"),  # the same number in another register
        ("VATBE-0123456789\u200b", "BEL"),  # zero-width space
    ],
)
def test_look_alike_issuer_identifiers_fail(pki, notation, country):
    legal_id = {"notation": notation, "spatial": {"id": COUNTRY + country}}
    doc = dict(DOC, issuer={"id": "https://uni.example", "eIDASIdentifier": legal_id})
    report = _seal(pki, doc, "VATBE-0123456789")
    assert report.step("issuer").status == "fail"
    assert report.code == "SEAL_ISSUER_MISMATCH"


def test_dotless_i_does_not_pass_for_i(pki):
    """``"ı".upper() == "I"``: the old comparison matched this; ASCII-only now refuses it."""
    legal_id = {"notation": "VATIE-6388047ıH", "spatial": {"id": COUNTRY + "IRL"}}
    doc = dict(DOC, issuer={"id": "https://uni.example", "eIDASIdentifier": legal_id})
    report = _seal(pki, doc, "VATIE-6388047IH")
    assert report.code == "SEAL_ISSUER_MISMATCH" and "cannot be read" in (report.reason or "")


def test_every_eidas_identifier_listed_must_be_the_sealers(pki):
    """Two eIDAS identifiers (the AP allows one): the victim's beside the sealer's fails."""
    ours = {"notation": "VATBE-0123456789", "spatial": {"id": COUNTRY + "BEL"}}
    theirs = {"notation": "VATIE-3668997OH", "spatial": {"id": COUNTRY + "IRL"}}
    doc = dict(DOC, issuer={"id": "https://uni.example", "eIDASIdentifier": [theirs, ours]})
    assert _seal(pki, doc, "VATBE-0123456789").code == "SEAL_ISSUER_MISMATCH"
