"""MicroCredential → signed OB3 → verified, and tampering is caught."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred_vc.formats import ob3
from microcred_vc.formats.base import Loss
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.keys import generate_key
from microcred_vc.model import MicroCredential
from microcred_vc.proofs import issue_document, verify_credential
from tests.fixture_paths import FIXTURES
from tests.model.strategies import micro_credentials

LOADER = DocumentLoader(extra_dirs=[FIXTURES / "contexts"])
KEY = generate_key("Ed25519")


def _issued_by_key(mc: MicroCredential) -> MicroCredential:
    """The proof engine sets the issuer to the key's DID; the hub must say the same."""
    return mc.model_copy(update={"issuer": mc.issuer.model_copy(update={"id": KEY.did})})


@settings(max_examples=8)
@given(micro_credentials())
def test_signed_ob3_verifies_and_loads_back(mc: MicroCredential) -> None:
    mc = _issued_by_key(mc)
    signed = issue_document(ob3.dump(mc), KEY, created=mc.issued_at, loader=LOADER)
    report = verify_credential(signed, now=mc.issued_at + timedelta(seconds=1), loader=LOADER)
    assert report.verified, report.errors
    back, losses = ob3.load(signed)
    assert back == mc
    assert [loss.field for loss in losses] == ["proof"]
    assert isinstance(losses[0], Loss)


@settings(max_examples=8)
@given(
    micro_credentials(),
    st.sampled_from(["grade", "ects", "title", "participation_mode", "learner"]),
)
def test_tampered_signed_ob3_fails(mc: MicroCredential, element: str) -> None:
    mc = _issued_by_key(mc)
    signed = issue_document(ob3.dump(mc), KEY, created=mc.issued_at, loader=LOADER)
    ach = signed["credentialSubject"]["achievement"]
    if element == "grade":
        signed["credentialSubject"]["result"] = [{"type": ["Result"], "value": "A+ (forged)"}]
    elif element == "ects":
        ach["creditsAvailable"] = float(mc.ects or 0) + 1
    elif element == "title":
        ach["name"] = ach["name"] + " (forged)"
    elif element == "participation_mode":
        ach["mode"]["id"] = (
            "http://data.europa.eu/snb/learning-assessment/9191af2ed9"
            if (mc.participation_mode != "onsite")
            else "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"
        )
    else:
        signed["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    report = verify_credential(signed, now=mc.issued_at + timedelta(seconds=1), loader=LOADER)
    assert not report.verified
    check = report.check("proof")
    assert check is not None and check.failed


def test_example_signed_with_p256() -> None:
    from tests.model.test_elements import BASE

    key = generate_key("P-256")
    mc = MicroCredential(**{**BASE, "issuer": {**BASE["issuer"], "id": key.did}})
    signed = issue_document(ob3.dump(mc), key, created=mc.issued_at, loader=LOADER)
    assert signed["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    report = verify_credential(signed, now=mc.issued_at + timedelta(days=1), loader=LOADER)
    assert report.verified, report.errors


@pytest.mark.parametrize("suite", ["eddsa-jcs-2022", "eddsa-rdfc-2022"])
def test_example_signed_with_each_eddsa_suite(suite: str) -> None:
    from tests.model.test_elements import BASE

    mc = MicroCredential(**{**BASE, "issuer": {**BASE["issuer"], "id": KEY.did}})
    signed = issue_document(
        ob3.dump(mc), KEY, cryptosuite=suite, created=mc.issued_at, loader=LOADER
    )
    report = verify_credential(signed, now=mc.issued_at + timedelta(days=1), loader=LOADER)
    assert report.verified, report.errors
