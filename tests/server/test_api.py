"""Every endpoint over a real socket, success and failure."""

from __future__ import annotations

import copy
import json
import stat
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.example_data import example_micro_credential
from tests.fixture_paths import FIXTURES
from tests.issuing import issued_by
from tests.server.conftest import as_issuer

UNSIGNED_V2 = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "id": "urn:uuid:6a9c92a9-2530-4e2b-9776-530467e9bbe0",
    "type": ["VerifiableCredential", "ExampleAlumniCredential"],
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}


def _unsigned(server, suite: str = "eddsa-rdfc-2022") -> dict:
    """UNSIGNED_V2 naming the server's own key as issuer: a credential MUST have an issuer."""
    from microcred_vc.server.config import key_type_for_suite, server_key

    return {**UNSIGNED_V2, "issuer": server_key(server.config, key_type_for_suite(suite)).did}


def _ob3() -> dict:
    from microcred_vc.formats import ob3

    return ob3.dump(example_micro_credential())


def test_keys_created_private_on_first_start(server, client, auth) -> None:
    client.post("/credentials/issue", json={"credential": UNSIGNED_V2}, headers=auth)
    key_file = server.config.data_dir / "keys" / "Ed25519.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019"]
)
def test_issue_per_suite_then_verify(server, client, auth, suite: str) -> None:
    unsigned = as_issuer(server, UNSIGNED_V2, suite)
    response = client.post(
        f"/{suite}/credentials/issue", json={"credential": unsigned}, headers=auth
    )
    assert response.status_code == 201, response.text
    vc = response.json()["verifiableCredential"]
    assert vc["proof"]["cryptosuite"] == suite
    assert vc["issuer"].startswith("did:key:")
    verified = client.post("/credentials/verify", json={"verifiableCredential": vc})
    assert verified.status_code == 200, verified.text
    assert verified.json()["verified"] is True


def test_issue_ob3_default_suite(server, client, auth) -> None:
    response = client.post(
        "/credentials/issue",
        json={"credential": as_issuer(server, _ob3()), "options": {}},
        headers=auth,
    )
    assert response.status_code == 201, response.text
    assert response.json()["verifiableCredential"]["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_vc11_input_gets_data_integrity_context(server, client, auth) -> None:
    v1 = json.loads(
        (FIXTURES / "ob3" / "validator-fixtures" / "ob30" / "simple_v1.json").read_text()
    )
    v1.pop("proof", None)
    assert v1["@context"][0] == "https://www.w3.org/2018/credentials/v1"
    response = client.post(
        "/credentials/issue", json={"credential": as_issuer(server, v1)}, headers=auth
    )
    assert response.status_code == 201, response.text
    vc = response.json()["verifiableCredential"]
    assert "https://w3id.org/security/data-integrity/v2" in vc["@context"]
    assert client.post("/credentials/verify", json={"verifiableCredential": vc}).status_code == 200


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong-token-xxxxxxxxxxxx"}, 401),
        ({"Authorization": "Basic abc"}, 401),
    ],
    ids=["none", "wrong", "basic"],
)
def test_issue_requires_token(client, headers, code) -> None:
    response = client.post("/credentials/issue", json={"credential": UNSIGNED_V2}, headers=headers)
    assert response.status_code == code
    assert response.json()["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 422),
        (b"[]", 422),
        (json.dumps({"credential": "a string"}).encode(), 400),
        (json.dumps({"credential": {"type": ["VerifiableCredential"]}}).encode(), 400),
        (
            json.dumps(
                {
                    "credential": {
                        "@context": ["https://www.w3.org/ns/credentials/v2"],
                        "type": ["VerifiableCredential"],
                        "credentialSubject": {"id": "did:example:1", "undefinedTerm": 1},
                    }
                }
            ).encode(),
            400,
        ),
    ],
    ids=["malformed", "array", "credential-string", "no-context", "undefined-term"],
)
def test_issue_bad_input_is_problem_details(client, auth, body: bytes, status: int) -> None:
    response = client.post(
        "/credentials/issue", content=body, headers={**auth, "Content-Type": "application/json"}
    )
    assert response.status_code == status
    problem = response.json()
    assert {"code", "title", "detail"} <= set(problem)
    assert "Traceback" not in response.text


def test_unknown_suite(client, auth) -> None:
    response = client.post(
        "/rot13-2025/credentials/issue", json={"credential": UNSIGNED_V2}, headers=auth
    )
    assert response.status_code == 400
    assert response.json()["code"] == "UNKNOWN_CRYPTOSUITE"


@pytest.mark.parametrize("suite", ["Ed25519Signature2018", "eddsa-2022"])
def test_legacy_suites_are_not_issued(client, auth, suite) -> None:
    """Oracle: the wallet rule "verify only, never issue" (issue #18 item 4)."""
    response = client.post(
        f"/{suite}/credentials/issue", json={"credential": UNSIGNED_V2}, headers=auth
    )
    assert response.status_code == 400
    assert response.json()["code"] == "SUITE_VERIFY_ONLY"
    unknown = client.post(
        "/rot13-2025/credentials/issue", json={"credential": UNSIGNED_V2}, headers=auth
    )
    assert suite not in unknown.json()["detail"]  # not offered as a suite to issue with


def test_verify_failures_are_4xx_with_report(server, client, auth) -> None:
    body = {"credential": as_issuer(server, UNSIGNED_V2)}
    vc = client.post("/credentials/issue", json=body, headers=auth).json()["verifiableCredential"]
    tampered = copy.deepcopy(vc)
    tampered["credentialSubject"]["alumniOf"] = "Another School"
    for doc in (
        tampered,
        {**vc, "proof": None},
        {**vc, "proof": {**vc["proof"], "cryptosuite": "nope-2025"}},
    ):
        response = client.post("/credentials/verify", json={"verifiableCredential": doc})
        assert response.status_code == 400, response.text
        assert response.json()["verified"] is False
        assert response.json()["checks"]
    assert (
        client.post(
            "/credentials/verify", content=b"{", headers={"Content-Type": "application/json"}
        ).status_code
        == 422
    )


def test_verify_proof_chain(client) -> None:
    chain = FIXTURES / "di-vectors" / "vc-di-eddsa" / "proof-set-chain"
    signed = [
        p for p in chain.glob("*.json") if "chain" in p.name.lower() and "signed" in p.name.lower()
    ]
    assert signed, "the fixtures have a proof-chain vector"
    response = client.post(
        "/credentials/verify", json={"verifiableCredential": json.loads(signed[0].read_text())}
    )
    assert response.json()["checks"], response.text


def test_presentation_verify(client) -> None:
    from microcred_vc.keys import generate_key
    from microcred_vc.proofs import create_presentation, issue_document

    issuer, holder = generate_key("Ed25519"), generate_key("P-256")
    vc = issue_document(issued_by(UNSIGNED_V2, issuer), issuer)
    vp = create_presentation([vc], holder, challenge="abc123", domain="verifier.example")
    good = client.post(
        "/presentations/verify",
        json={
            "verifiablePresentation": vp,
            "options": {"challenge": "abc123", "domain": "verifier.example"},
        },
    )
    assert good.status_code == 200, good.text
    bad = client.post(
        "/presentations/verify",
        json={
            "verifiablePresentation": vp,
            "options": {"challenge": "other", "domain": "verifier.example"},
        },
    )
    assert bad.status_code == 400 and bad.json()["verified"] is False


def test_status_revoke_round_trip(server, client, auth) -> None:
    body = {
        "credential": as_issuer(server, UNSIGNED_V2),
        "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
    }
    vc = client.post("/credentials/issue", json=body, headers=auth).json()["verifiableCredential"]
    entry = vc["credentialStatus"]
    list_path = "/status/" + entry["statusListCredential"].rsplit("/", 1)[-1]
    status_list = client.get(list_path)
    assert status_list.status_code == 200
    assert status_list.json()["type"][-1] == "BitstringStatusListCredential"
    assert client.post("/credentials/verify", json={"verifiableCredential": vc}).status_code == 200
    unauth = client.post("/credentials/status", json={"credential": vc, "status": "revoked"})
    assert unauth.status_code == 401
    changed = client.post(
        "/credentials/status",
        json={"credential": vc, "status": "revoked", "reason": "fraud"},
        headers=auth,
    )
    assert changed.status_code == 200, changed.text
    after = client.post("/credentials/verify", json={"verifiableCredential": vc})
    assert after.status_code == 400
    status_check = next(c for c in after.json()["checks"] if c["name"] == "status")
    assert status_check["status"] == "fail" and "revoked" in status_check["message"]


def test_revoked_credential_inside_a_presentation_fails(server, client, auth) -> None:
    """#16 V3 regression: revoked alone and revoked inside a presentation are both 400.

    Oracle: the same credential's own /credentials/verify answer after revocation.
    """
    from microcred_vc.keys import generate_key
    from microcred_vc.proofs import create_presentation

    body = {
        "credential": as_issuer(server, UNSIGNED_V2),
        "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
    }
    vc = client.post("/credentials/issue", json=body, headers=auth).json()["verifiableCredential"]
    holder = generate_key("Ed25519")
    vp = create_presentation([vc], holder, challenge="c-1")
    request = {"verifiablePresentation": vp, "options": {"challenge": "c-1"}}
    before = client.post("/presentations/verify", json=request)
    assert before.status_code == 200, before.text
    revoked = client.post(
        "/credentials/status", json={"credential": vc, "status": "revoked"}, headers=auth
    )
    assert revoked.status_code == 200, revoked.text
    alone = client.post("/credentials/verify", json={"verifiableCredential": vc})
    assert alone.status_code == 400
    inside = client.post("/presentations/verify", json=request)
    assert inside.status_code == 400, inside.text
    status = [c for c in inside.json()["checks"] if c["name"] == "status"]
    assert status and status[0]["status"] == "fail" and "revoked" in status[0]["message"]


def test_status_unknown_list_is_404(client) -> None:
    assert client.get("/status/no-such-list").status_code == 404


def test_request_size_limit(client, auth) -> None:
    big = {"credential": {**UNSIGNED_V2, "name": "x" * 400_000}}
    response = client.post("/credentials/issue", json=big, headers=auth)
    assert response.status_code == 413
    assert response.json()["code"] == "REQUEST_TOO_LARGE"


def test_openapi_lists_the_endpoints(client) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/credentials/issue",
        "/{cryptosuite}/credentials/issue",
        "/credentials/verify",
        "/presentations/verify",
        "/status/{list_id}",
        "/credentials/status",
    ):
        assert path in spec["paths"], path


def test_concurrent_issuance_gives_distinct_status_indexes(server, auth) -> None:
    body = {
        "credential": as_issuer(server, UNSIGNED_V2),
        "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
    }

    def one(_: int) -> dict:
        with httpx.Client(base_url=server.url, timeout=120) as c:
            r = c.post("/credentials/issue", json=body, headers=auth)
            assert r.status_code == 201, r.text
            return r.json()["verifiableCredential"]

    with ThreadPoolExecutor(16) as pool:
        vcs = list(pool.map(one, range(200)))
    indexes = {vc["credentialStatus"]["statusListIndex"] for vc in vcs}
    assert len(indexes) == 200
    with httpx.Client(base_url=server.url, timeout=120) as c:
        for vc in vcs:
            assert (
                c.post("/credentials/verify", json={"verifiableCredential": vc}).status_code == 200
            )


def test_rate_limit(tmp_path) -> None:
    from microcred_vc.server.run import start_background

    running = start_background(
        tmp_path, tokens=["another-token-0123456789"], rate_limit_per_minute=5
    )
    try:
        with httpx.Client(base_url=running.url) as c:
            codes = [c.get("/openapi.json").status_code for _ in range(8)]
        assert codes[:5] == [200] * 5 and 429 in codes[5:]
    finally:
        running.stop()


def test_cors_is_configurable(tmp_path) -> None:
    from microcred_vc.server.run import start_background

    running = start_background(
        tmp_path, tokens=["cors-token-0123456789abcdef"], cors_origins=["https://lms.example.edu"]
    )
    try:
        with httpx.Client(base_url=running.url) as c:
            preflight = {
                "Origin": "https://lms.example.edu",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            }
            ok = c.options("/credentials/issue", headers=preflight)
            assert ok.headers.get("access-control-allow-origin") == "https://lms.example.edu"
            other = c.options(
                "/credentials/issue", headers={**preflight, "Origin": "https://evil.example"}
            )
            assert "access-control-allow-origin" not in other.headers
    finally:
        running.stop()


def test_no_cors_headers_by_default(client) -> None:
    response = client.get("/openapi.json", headers={"Origin": "https://lms.example.edu"})
    assert "access-control-allow-origin" not in response.headers


def test_json_text_where_an_object_is_required_is_a_parsing_error(client) -> None:
    """#17: the VC API suites require a parsing error, not a verified credential."""
    from microcred_vc.keys import generate_key
    from microcred_vc.proofs import issue_document

    key = generate_key("Ed25519")
    vc = issue_document(issued_by(UNSIGNED_V2, key), key)
    assert client.post("/credentials/verify", json={"verifiableCredential": vc}).status_code == 200
    response = client.post("/credentials/verify", json={"verifiableCredential": json.dumps(vc)})
    assert response.status_code == 400
    assert response.json()["code"] == "PARSING_ERROR"


def test_presentation_verify_takes_jwt_presentations_and_refuses_credentials(client) -> None:
    """Oracle: the VC API (a presentation endpoint verifies presentations) and VC 1.1 §6.3.1
    (a JWT VP binds the challenge as ``nonce`` and the verifier as ``aud``)."""
    from microcred_vc.jose.presentation import sign_presentation_jwt
    from microcred_vc.keys import generate_key
    from microcred_vc.proofs import issue_document

    issuer, holder = generate_key("Ed25519"), generate_key("Ed25519")
    vc = issue_document(issued_by(UNSIGNED_V2, issuer), issuer)
    vp = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder.did,
        "verifiableCredential": [vc],
    }
    token = sign_presentation_jwt(vp, holder, challenge="n-1", domain="verifier.example")
    options = {"challenge": "n-1", "domain": "verifier.example"}
    good = client.post(
        "/presentations/verify", json={"verifiablePresentation": token, "options": options}
    )
    assert good.status_code == 200, good.text
    replayed = client.post(
        "/presentations/verify",
        json={"verifiablePresentation": token, "options": {**options, "challenge": "n-2"}},
    )
    assert replayed.status_code == 400
    credential = client.post("/presentations/verify", json={"verifiablePresentation": vc})
    assert credential.status_code == 400 and credential.json()["code"] == "NOT_A_PRESENTATION"
