"""The HTTP API reads JSON bodies as strictly as the library (issue #16, item 8).

Oracle: RFC 8259 (§4 names "SHOULD be unique" and leaves duplicates undefined;
§6 has no NaN/Infinity) together with the library's own parser, which refuses
both (tests/jsonld/test_limits.py). FastAPI's decoder lets the last duplicate
win, so before this gate a second ``proof`` member, or a second ``credential``,
reached the routes unseen.
"""

from __future__ import annotations

import json

import pytest

from tests.server.test_api import _unsigned

JSON = {"Content-Type": "application/json"}


def _signed(server, client, auth) -> dict:
    response = client.post(
        "/credentials/issue", json={"credential": _unsigned(server)}, headers=auth
    )
    assert response.status_code == 201, response.text
    return response.json()["verifiableCredential"]


def test_duplicate_proof_member_in_verify_body_is_refused(server, client, auth) -> None:
    vc = _signed(server, client, auth)
    proof = json.dumps(vc["proof"])
    text = json.dumps(vc)[:-1] + f', "proof": {proof}}}'
    body = '{"verifiableCredential": ' + text + "}"
    assert json.loads(body)["verifiableCredential"]["proof"] == vc["proof"]  # last one wins
    response = client.post("/credentials/verify", content=body.encode(), headers=JSON)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "JSON_DUPLICATE_KEY"
    assert "proof" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        '{"credential": {"type": ["VerifiableCredential"]}, "credential": %s}',
        '{"credential": %s, "options": {"created": "2026-01-01T00:00:00Z", "created": "x"}}',
    ],
    ids=["two-credentials", "two-created-options"],
)
def test_duplicate_members_in_issue_body_are_refused(server, client, auth, body: str) -> None:
    response = client.post(
        "/credentials/issue",
        content=(body % json.dumps(_unsigned(server))).encode(),
        headers={**auth, **JSON},
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "JSON_DUPLICATE_KEY"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_refused(server, client, auth, constant: str) -> None:
    credential = json.dumps(
        {**_unsigned(server), "credentialSubject": {"id": "did:example:1", "score": 0}}
    ).replace('"score": 0', f'"score": {constant}')
    response = client.post(
        "/credentials/issue",
        content=('{"credential": ' + credential + "}").encode(),
        headers={**auth, **JSON},
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "INVALID_JSON"


def test_json_suffix_media_types_are_read_strictly(client) -> None:
    body = b'{"verifiableCredential": {}, "verifiableCredential": {}}'
    response = client.post(
        "/credentials/verify", content=body, headers={"Content-Type": "application/ld+json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "JSON_DUPLICATE_KEY"


def test_malformed_json_still_gets_the_routes_own_answer(client) -> None:
    """Not JSON at all is not this gate's business: the 422 stays as documented."""
    response = client.post("/credentials/verify", content=b"{", headers=JSON)
    assert response.status_code == 422


def test_object_credential_id_is_a_problem_not_a_500(server, client, auth) -> None:
    """Before: the registry was asked to store a dict as credential id (500)."""
    response = client.post(
        "/credentials/issue",
        json={
            "credential": {**_unsigned(server), "id": {"x": 1}},
            "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
        },
        headers=auth,
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "JSONLD_ERROR"
    assert "id" in response.json()["detail"]
