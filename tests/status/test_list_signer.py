"""Status-list signer policy (issue #16, item 2): who signed the list must be who may say.

Oracle (property): a list whose proof verifies under a key of someone other
than the credential's issuer says nothing about that credential. The attack:
whoever controls the list URL's content serves a list signed by their own key
with every bit cleared; before this check, any verified signer was believed,
so a revoked credential verified. Each test fails on the code before it.

Credentials and lists are built with ``issuer == key.did``, so they do not
depend on how ``issue_document`` treats a differing issuer.
"""

from __future__ import annotations

from typing import Any

import pytest

from microcred_vc import verify
from microcred_vc.keys import Resolver, generate_key
from microcred_vc.proofs import create_presentation, issue_document
from microcred_vc.status import Bitstring, build_list_credential, check_status, make_entry

URL = "https://status.university.example/lists/R"
INDEX = 7


def _credential(key: Any) -> dict[str, Any]:
    unsigned = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": key.did,
        "credentialSubject": {"id": "did:example:learner"},
        "credentialStatus": make_entry(URL, INDEX, "revocation"),
    }
    return issue_document(unsigned, key)


def _list(key: Any, revoked: list[int]) -> dict[str, Any]:
    unsigned = build_list_credential(URL, key.did, Bitstring.from_values(revoked), "revocation")
    return issue_document(unsigned, key)


@pytest.fixture(scope="module")
def parties() -> dict[str, Any]:
    issuer, mallory = generate_key("Ed25519"), generate_key("Ed25519")
    return {
        "issuer": issuer,
        "mallory": mallory,
        "vc": _credential(issuer),
        "revoked": _list(issuer, [INDEX]),  # the issuer's real list: the credential is revoked
        "forged": _list(mallory, []),  # served at the same URL, signed by someone else
    }


def _codes(report: Any) -> list[str | None]:
    return [c.code for c in report.checks if c.name == "status"]


def test_a_list_signed_by_someone_else_fails_by_default(parties: dict[str, Any]) -> None:
    vc, forged = parties["vc"], parties["forged"]
    report = verify(vc, fetch=lambda _: forged)
    assert not report.verified
    assert _codes(report) == ["STATUS_LIST_SIGNER_MISMATCH"]
    status = report.check("status")
    assert status is not None and parties["mallory"].did in status.message
    assert parties["issuer"].did in status.message
    # the issuer's own list is believed, and says revoked
    genuine = verify(vc, fetch=lambda _: parties["revoked"])
    assert _codes(genuine) == ["STATUS_REVOKED"]


def test_the_policy_is_configurable(parties: dict[str, Any]) -> None:
    vc, forged, mallory = parties["vc"], parties["forged"], parties["mallory"]
    anyone = verify(vc, fetch=lambda _: forged, status_list_signers="any-verified")
    assert anyone.verified and anyone.check("status").status == "pass"  # type: ignore[union-attr]
    trusted = verify(vc, fetch=lambda _: forged, status_list_signers={mallory.did})
    assert trusted.verified
    others = verify(vc, fetch=lambda _: forged, status_list_signers={parties["issuer"].did})
    assert _codes(others) == ["STATUS_LIST_SIGNER_MISMATCH"]
    wrong = check_status(vc, fetch=lambda _: forged, list_signers="whoever")
    assert (wrong.status, wrong.code) == ("fail", "STATUS_ERROR")


def test_a_list_whose_proof_fails_keeps_its_code(parties: dict[str, Any]) -> None:
    tampered = {
        **parties["revoked"],
        "credentialSubject": dict(parties["forged"]["credentialSubject"]),
    }
    report = verify(parties["vc"], fetch=lambda _: tampered)
    assert _codes(report) == ["STATUS_VERIFICATION_ERROR"]


def test_the_policy_holds_inside_a_presentation(parties: dict[str, Any]) -> None:
    holder = generate_key("Ed25519")
    vp = create_presentation([parties["vc"]], holder, challenge="c-9")
    report = verify(vp, challenge="c-9", fetch=lambda _: parties["forged"])
    assert not report.verified
    assert "STATUS_LIST_SIGNER_MISMATCH" in _codes(report)


def test_the_policy_holds_for_a_jwt(parties: dict[str, Any]) -> None:
    from microcred_vc.jose import sign_jwt

    issuer = parties["issuer"]
    unsigned = {k: v for k, v in parties["vc"].items() if k != "proof"}
    token = sign_jwt(unsigned, issuer)
    report = verify(token, fetch=lambda _: parties["forged"])
    assert _codes(report) == ["STATUS_LIST_SIGNER_MISMATCH"], report.checks


def test_a_custom_verifier_that_names_no_signer_is_not_enough(parties: dict[str, Any]) -> None:
    vc = parties["vc"]
    fetch = lambda _: parties["forged"]  # noqa: E731
    check = check_status(vc, fetch=fetch, verify_list=lambda _: True)
    assert (check.status, check.code) == ("fail", "STATUS_LIST_SIGNER_UNKNOWN")
    chosen = check_status(vc, fetch=fetch, verify_list=lambda _: True, list_signers="any-verified")
    assert chosen.status == "pass"


def test_the_list_gets_the_callers_resolver() -> None:
    """A did:web issuer known only offline: its list verifies with the same resolver.

    Oracle: the credential itself verifies with that resolver; before, the list was
    verified with the default resolver and failed NETWORK_DISABLED.
    """
    did = "did:web:university.example"
    key = generate_key("Ed25519", controller=did)
    document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [key.to_multikey()],
        "assertionMethod": [key.verification_method],
    }
    document["verificationMethod"][0].pop("@context")
    resolver = Resolver()
    resolver.add_document(document)
    vc, the_list = _credential(key), _list(key, [INDEX])
    assert key.did == did
    report = verify(vc, resolver=resolver, fetch=lambda _: the_list)
    assert _codes(report) == ["STATUS_REVOKED"], report.checks
