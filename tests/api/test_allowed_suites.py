"""``verify(allowed_suites=...)``: an ecosystem that mandates cryptosuites gets them enforced.

Oracle: the Data Integrity spec's rule that a verifier MAY restrict the cryptosuites it
accepts, and the library's own contract that a proof of a suite outside the allowed
set adds no trust (``CRYPTOSUITE_NOT_ALLOWED``). Each case pairs the refused run with
the same credential verified without the restriction, so a pass is not an accident of
the fixture.
"""

from __future__ import annotations

from typing import Any

import pytest

from microcred_vc import verify
from microcred_vc.keys import generate_key
from microcred_vc.proofs import add_proof, create_presentation, issue_document

VC2 = "https://www.w3.org/ns/credentials/v2"


def _credential(key: Any) -> dict[str, Any]:
    return {
        "@context": [VC2],
        "type": ["VerifiableCredential"],
        "issuer": key.did,
        "credentialSubject": {"id": "did:example:learner"},
    }


def _codes(report: Any) -> set[str]:
    return {c.code for c in report.checks if c.code}


def test_a_suite_outside_the_allowed_set_adds_no_trust() -> None:
    key = generate_key("Ed25519")
    signed = issue_document(_credential(key), key)
    assert verify(signed, status=False).verified
    refused = verify(signed, status=False, allowed_suites={"ecdsa-rdfc-2019"})
    assert not refused.verified
    assert "CRYPTOSUITE_NOT_ALLOWED" in _codes(refused)
    assert verify(signed, status=False, allowed_suites={"eddsa-rdfc-2022"}).verified


def test_a_refused_proof_in_a_set_is_ignored_like_an_unknown_one() -> None:
    """A proof set with one allowed and one refused proof verifies on the allowed proof
    only, and says the other was ignored (the engine's rule for suites it lacks)."""
    ed, p256 = generate_key("Ed25519"), generate_key("P-256")
    both = add_proof(issue_document(_credential(ed), ed), p256)
    report = verify(both, status=False, allowed_suites={"eddsa-rdfc-2022"})
    proof = next(c for c in report.checks if c.name == "proof")
    assert report.verified and "1 proof(s) of unknown type ignored" in proof.message
    assert "ecdsa" not in proof.message.split(";")[0]
    only_ecdsa = verify(both, status=False, allowed_suites={"ecdsa-rdfc-2019"})
    # the one allowed proof is the P-256 key's, which is not the issuer's
    assert not only_ecdsa.verified


def test_presentation_and_its_credentials_are_held_to_the_allowed_suites() -> None:
    issuer, holder = generate_key("P-256"), generate_key("Ed25519")
    signed = issue_document(_credential(issuer), issuer)
    vp = create_presentation([signed], holder, challenge="c-1")
    assert verify(vp, status=False, challenge="c-1").verified
    only_ecdsa = verify(vp, status=False, challenge="c-1", allowed_suites={"ecdsa-rdfc-2019"})
    assert not only_ecdsa.verified  # the holder signed with eddsa
    only_eddsa = verify(vp, status=False, challenge="c-1", allowed_suites={"eddsa-rdfc-2022"})
    assert not only_eddsa.verified  # the credential inside is ecdsa
    assert "CRYPTOSUITE_NOT_ALLOWED" in str(only_eddsa.to_dict())


def test_one_string_is_not_a_collection_of_names() -> None:
    key = generate_key("Ed25519")
    with pytest.raises(TypeError):
        verify(issue_document(_credential(key), key), allowed_suites="eddsa-rdfc-2022")
