"""A JWT payload is judged by its JSON-LD meaning, not the keys it shows (issue #16 V2).

Oracle (property): a ``validUntil`` written under its full IRI with a typed
value, or under an inline alias, means the same date to any JSON-LD processor;
the token is signed as it stands (no tampering needed), carries no ``exp``
claim, and before the fix verified although the credential it carries had
expired.
"""

from __future__ import annotations

import pytest

from microcred_vc.jose import sign_jwt, verify_jwt
from microcred_vc.keys import generate_key
from tests.jose.conftest import make_credential

CRED = "https://www.w3.org/2018/credentials#"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


def _full_iri(cred: dict) -> None:
    cred[CRED + "validUntil"] = {"@value": "2020-01-01T00:00:00Z", "@type": XSD_DATETIME}


def _alias(cred: dict) -> None:
    cred["@context"] = [
        *cred["@context"],
        {"until": {"@id": CRED + "validUntil", "@type": XSD_DATETIME}},
    ]
    cred["until"] = "2020-01-01T00:00:00Z"


@pytest.mark.parametrize("hide", [_full_iri, _alias], ids=["full-iri", "inline-alias"])
def test_hidden_validuntil_in_a_jwt_payload_expires(hide) -> None:
    key = generate_key("Ed25519")
    cred = make_credential(key.did)
    hide(cred)
    token = sign_jwt(cred, key)
    report = verify_jwt(token)
    assert report.check("signature").status == "pass"
    assert report.check("expiry").code == "JWT_EXPIRED"
    assert report.check("signed_data").code == "JSON_GRAPH_MISMATCH"
    assert not report.verified


def test_plain_jwt_payload_agrees_with_its_meaning() -> None:
    key = generate_key("Ed25519")
    report = verify_jwt(sign_jwt(make_credential(key.did, validUntil="2999-01-01T00:00:00Z"), key))
    assert report.verified, report.errors
    assert report.check("signed_data").status == "pass"
