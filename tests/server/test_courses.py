"""Courses and per-learner issuing on a real socket (issue 20, item 4).

Oracles: issue 20's rules (a course is checked with the CLI's course checks, every
problem listed; a learner is issued once, with one status index; Idempotency-Key
per draft-ietf-httpapi-idempotency-key-header: same key and body → same answer,
same key and another body → 422), and for each returned credential the library's
``verify`` plus the official OB3 JSON schema.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.server.lms_helpers import course_for, ob3_schema_errors, status_entries, verified

LEARNER = {
    "name": "Zofia Wiśniewska",
    "email": "zofia.wisniewska@learners.example.eu",
    "grade": "A-",
    "completion_date": "2026-06-20",
}


def _register(client: httpx.Client, auth: dict, server, course_id: str = "ds-101") -> dict:
    response = client.put(f"/courses/{course_id}", json=course_for(server), headers=auth)
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_register_get_and_list_courses(server, client, auth):
    course = course_for(server)
    first = client.put("/courses/reg-1", json=course, headers=auth)
    assert first.status_code == 201, first.text
    assert first.json()["revision"] == 1
    assert isinstance(first.json()["warnings"], list)
    # PUT is idempotent: the same spec again is not a new revision
    again = client.put("/courses/reg-1", json=course, headers=auth)
    assert (again.status_code, again.json()["revision"]) == (200, 1)
    changed = client.put("/courses/reg-1", json={**course, "code": "DS-MC-102"}, headers=auth)
    assert changed.json()["revision"] == 2
    got = client.get("/courses/reg-1", headers=auth).json()
    assert got["course"]["code"] == "DS-MC-102"  # stored exactly as sent
    listed = client.get("/courses", headers=auth).json()["courses"]
    assert "reg-1" in [c["id"] for c in listed]
    assert client.get("/courses/nope", headers=auth).json()["code"] == "COURSE_NOT_FOUND"


def test_registering_needs_the_token(server, client):
    response = client.put("/courses/x", json=course_for(server))
    assert response.status_code == 401


def test_invalid_course_lists_every_problem(server, client, auth):
    course = course_for(server)
    course["participation_mode"] = "by-carrier-pigeon"
    course["eqf_level"] = 12
    response = client.put("/courses/bad", json=course, headers=auth)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "COURSE_SPEC_INVALID"
    assert len(body["problems"]) >= 2, body  # both refusals, in one answer
    assert any(p.startswith("eqf_level") for p in body["problems"])
    assert client.get("/courses/bad", headers=auth).status_code == 404  # not stored


def test_course_naming_another_issuer_is_refused(server, client, auth):
    course = course_for(server)
    course["issuer"]["id"] = "did:web:someone-else.example"
    response = client.put("/courses/other", json=course, headers=auth)
    assert response.status_code == 422
    assert response.json()["code"] == "COURSE_ISSUER_MISMATCH"
    assert "GET /issuers" in response.json()["detail"]


def test_learner_issued_in_ob3_verifies_and_fits_the_official_schema(server, client, auth):
    _register(client, auth, server, "ob3-course")
    response = client.post("/courses/ob3-course/credentials", json=LEARNER, headers=auth)
    assert response.status_code == 201, response.text
    body = response.json()
    credential = body["credential"]
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert ob3_schema_errors(credential) == []
    report = verified(server, credential)
    assert report.verified, report.to_dict()
    assert report.check("status").status == "pass"
    # the credential is public at its URL, and the verify page shows it
    assert client.get(body["credentialUrl"]).json() == credential
    page = client.get(body["verifyUrl"])
    assert page.status_code == 200 and "Research Data Stewardship" in page.text


def test_learner_issued_in_edc_verifies(server, client, auth):
    _register(client, auth, server, "edc-course")
    response = client.post(
        "/courses/edc-course/credentials", params={"format": "edc"}, json=LEARNER, headers=auth
    )
    assert response.status_code == 201, response.text
    credential = response.json()["credential"]
    assert "EuropeanDigitalCredential" in credential["type"]
    report = verified(server, credential)
    assert report.verified, report.to_dict()


def test_a_learner_issued_twice_gets_the_same_credential_and_one_index(server, client, auth):
    _register(client, auth, server, "twice")
    first = client.post("/courses/twice/credentials", json=LEARNER, headers=auth)
    second = client.post("/courses/twice/credentials", json=LEARNER, headers=auth)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["credential"] == second.json()["credential"]
    assert len(status_entries(server, first.json()["id"])) == 1
    # the same learner with another grade is a conflict, never a second credential
    other = client.post("/courses/twice/credentials", json={**LEARNER, "grade": "B"}, headers=auth)
    assert other.status_code == 409
    assert other.json()["code"] == "COURSE_LEARNER_CONFLICT"


def test_eight_parallel_requests_for_one_learner_give_one_credential(server, client, auth):
    _register(client, auth, server, "race")
    learner = {**LEARNER, "email": "race@learners.example.eu"}

    def post(_: int) -> httpx.Response:
        with httpx.Client(base_url=str(client.base_url), timeout=60) as own:
            return own.post("/courses/race/credentials", json=learner, headers=auth)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, range(8)))
    assert sorted(a.status_code for a in answers) == [200] * 7 + [201], [a.text for a in answers]
    ids = {a.json()["id"] for a in answers}
    assert len(ids) == 1
    assert len(status_entries(server, ids.pop())) == 1


def test_idempotency_key_replays_and_refuses_another_body(server, client, auth):
    _register(client, auth, server, "idem")
    headers = {**auth, "Idempotency-Key": "7f1c1c2e-0c41-4c4b-9a47-4a4a7e0d9d10"}
    learner = {**LEARNER, "email": "idem@learners.example.eu"}
    first = client.post("/courses/idem/credentials", json=learner, headers=headers)
    replay = client.post("/courses/idem/credentials", json=learner, headers=headers)
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    other = client.post(
        "/courses/idem/credentials", json={**learner, "grade": "C"}, headers=headers
    )
    assert other.status_code == 422
    assert other.json()["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_bad_learner_record_is_422_naming_the_column(server, client, auth):
    _register(client, auth, server, "badrow")
    response = client.post("/courses/badrow/credentials", json={"name": "No Contact"}, headers=auth)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "ROSTER_INVALID"
    assert body["detail"].startswith("learner record:")  # not "Roster row 1"
    nested = client.post(
        "/courses/badrow/credentials", json={**LEARNER, "grade": {"x": 1}}, headers=auth
    )
    assert nested.status_code == 422 and "grade" in nested.json()["detail"]


def test_unknown_course_and_format(server, client, auth):
    missing = client.post("/courses/none/credentials", json=LEARNER, headers=auth)
    assert (missing.status_code, missing.json()["code"]) == (404, "COURSE_NOT_FOUND")
    _register(client, auth, server, "fmt")
    odd = client.post(
        "/courses/fmt/credentials", params={"format": "pdf"}, json=LEARNER, headers=auth
    )
    assert (odd.status_code, odd.json()["code"]) == (400, "OPTION_UNSUPPORTED")
