"""The data-model check where it acts: issue() refuses, verify() reports, the server answers 400.

Oracles (properties): a refused credential never reaches the signer (the
signer is replaced by one that fails the test, and a valid credential is shown
to reach it) and never takes a status index (read back from the service's
StatusRegistry on tmp_path, with a valid credential as the control). A
credential signed around the check (with the engine directly) verifies its
proof but fails the ``datamodel`` check, naming the rule.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from microcred_vc import issue, verify
from microcred_vc.errors import DataModelError
from microcred_vc.keys import generate_key
from microcred_vc.proofs import add_proof, verify_presentation
from microcred_vc.status import StatusRegistry

V2 = "https://www.w3.org/ns/credentials/v2"


def _credential(issuer: str, **extra: Any) -> dict[str, Any]:
    return {
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner"},
        **extra,
    }


class _Signed(Exception):
    """Raised by the stand-in signer: the document got as far as signing."""


@pytest.fixture()
def no_signing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise _Signed

    monkeypatch.setattr("microcred_vc.proofs.issue.add_proof", refuse)
    monkeypatch.setattr("microcred_vc.jose.sign_jwt", refuse)


@pytest.mark.parametrize("envelope", [None, "jwt"])
def test_issue_refuses_before_signing(no_signing: None, envelope: str | None) -> None:
    key = generate_key("Ed25519")
    bad = _credential(key.did, credentialStatus={"id": "https://s.example/1#4"})
    del bad["credentialSubject"]
    with pytest.raises(DataModelError) as caught:
        issue(bad, key, envelope=envelope)
    found = {(v.path, v.rule) for v in caught.value.violations}
    assert found == {
        ("credentialSubject", "credentialSubject.required"),
        ("credentialStatus.type", "typed.type"),
    }
    assert caught.value.code == "DATAMODEL_INVALID"
    assert caught.value.to_dict()["violations"][0]["path"] in {
        "credentialSubject",
        "credentialStatus.type",
    }
    with pytest.raises(_Signed):  # control: a valid credential reaches the signer
        issue(_credential(key.did), key, envelope=envelope)


@pytest.mark.parametrize(("suite", "envelope"), [("eddsa-jcs-2022", None), (None, "jwt")])
def test_jcs_and_jwt_issuing_process_the_contexts(suite: str | None, envelope: str | None) -> None:
    """A JCS suite or a JWT never expands the document; the check does, so a redefined
    protected term (the W3C credential-redef-type-fail input) is refused, as RDF suites do."""
    key = generate_key("Ed25519")
    bad = _credential(key.did)
    bad["@context"] = [V2, {"VerifiableCredential": "https://x.example/#Bad"}]
    with pytest.raises(DataModelError) as caught:
        issue(bad, key, cryptosuite=suite, envelope=envelope)
    assert [v.rule for v in caught.value.violations] == ["context.processable"]


def test_verify_reports_the_datamodel_check() -> None:
    key = generate_key("Ed25519")
    good = verify(issue(_credential(key.did), key))
    assert good.verified, good.errors
    assert good.check("datamodel").status == "pass"
    # signed around the check: the proof holds, the data model does not
    bad = add_proof(_credential(key.did, validFrom="Sat 25 Feb 2023 07:16:31 PM CST"), key)
    report = verify(bad)
    assert report.check("proof").status == "pass"
    check = report.check("datamodel")
    assert check.status == "fail" and check.code == "DATAMODEL_INVALID"
    assert "validFrom" in check.message and "validFrom.datetime" in check.message
    assert not report.verified


def test_verify_jwt_payload_gets_the_check() -> None:
    from microcred_vc.jose import sign_jwt

    key = generate_key("P-256")
    token = sign_jwt(_credential(key.did, credentialSubject={}), key)
    check = verify(token).check("datamodel")
    assert check is not None and check.status == "fail"
    assert "credentialSubject.claims" in check.message


def test_presentation_with_a_credential_as_json_text_fails() -> None:
    """A JSON string where a credential object is required (the W3C suite: an error)."""
    issuer, holder = generate_key("Ed25519"), generate_key("Ed25519")
    vc = issue(_credential(issuer.did), issuer)
    vp = {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "holder": holder.did,
        "verifiableCredential": [json.dumps(vc)],
    }
    signed = add_proof(vp, holder, purpose="authentication", challenge="c-1")
    report = verify_presentation(signed, challenge="c-1")
    assert report.check("proof").status == "pass"
    check = report.check("datamodel")
    assert check.status == "fail" and "verifiableCredential.object" in check.message
    assert not report.verified


def test_server_answers_400_and_spends_no_status_index(tmp_path) -> None:
    from microcred_vc.server.config import server_key
    from microcred_vc.server.run import start_background

    token = "datamodel-token-0123456789abcdef"
    running = start_background(tmp_path, tokens=[token])
    auth = {"Authorization": f"Bearer {token}"}
    options = {"credentialStatus": {"type": "BitstringStatusListEntry"}}
    issuer = server_key(running.config, "Ed25519").did
    bad = _credential(issuer, validFrom="FUTURE DATE", relatedResource=["https://x.example/p"])
    try:
        with httpx.Client(base_url=running.url, timeout=60) as client:
            refused = client.post(
                "/credentials/issue", json={"credential": bad, "options": options}, headers=auth
            )
            assert refused.status_code == 400, refused.text
            body = refused.json()
            assert body["code"] == "DATAMODEL_INVALID"
            assert {(v["path"], v["rule"]) for v in body["violations"]} == {
                ("validFrom", "validFrom.datetime"),
                ("relatedResource[0]", "relatedResource.object"),
            }
            with StatusRegistry(running.config.status_url) as registry:
                assert all(registry.allocated(name) == [] for name in registry.lists())
            accepted = client.post(
                "/credentials/issue",
                json={"credential": _credential(issuer), "options": options},
                headers=auth,
            )
            assert accepted.status_code == 201, accepted.text
            with StatusRegistry(running.config.status_url) as registry:
                assert sum(len(registry.allocated(n)) for n in registry.lists()) == 1
    finally:
        running.stop()
