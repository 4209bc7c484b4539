"""The request a Moodle plugin sends, byte for byte (issue 20: "Server tests on a real
socket for ... the PHP-shaped request (form of JSON a plugin sends)").

Oracle: the PHP snippet in docs/tutorials/lms.md and docs/reference/http.md. PHP's
``json_encode`` without flags escapes non-ASCII as ``\\uXXXX``, writes a float grade
as a number and an unset ``idnumber`` as ``""``; ``date('c')`` gives an ISO 8601 time
with its offset. The body below is exactly what that snippet
produces; the returned credential must verify with the library.
"""

from __future__ import annotations

from pathlib import Path

from tests.server.lms_helpers import course_for, verified

DOCS = Path(__file__).resolve().parents[2] / "docs"
#: json_encode(['name' => 'Zofia Wiśniewska', 'email' => ..., 'id' => '', 'grade' => 87.5,
#:              'completion_date' => date('c', $timecompleted)])
PHP_BODY = (
    b'{"name":"Zofia Wi\\u015bniewska","email":"zofia.wisniewska@learners.example.eu",'
    b'"id":"","grade":87.5,"completion_date":"2026-06-20T17:00:00+02:00"}'
)


def test_the_documented_snippet_is_the_request_tested():
    for page in (DOCS / "tutorials" / "lms.md", DOCS / "reference" / "http.md"):
        text = page.read_text(encoding="utf-8")
        assert "json_encode($record)" in text, page
        assert "Idempotency-Key: ' . $idempotencyKey" in text, page


def test_php_shaped_request_issues_a_verifiable_credential(server, client, auth):
    put = client.put("/courses/moodle-42", json=course_for(server), headers=auth)
    assert put.status_code in (200, 201), put.text
    headers = {
        **auth,
        "Content-Type": "application/json",
        "Idempotency-Key": "moodle-42-user-7",
    }
    response = client.post(
        "/courses/moodle-42/credentials?format=ob3", content=PHP_BODY, headers=headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    subject = body["credential"]["credentialSubject"]
    assert "Zofia Wiśniewska" in str(subject)
    assert "87.5" in str(subject)
    assert body["verifyUrl"].endswith("/verify")
    report = verified(server, body["credential"])
    assert report.verified, report.to_dict()
    # the plugin's retry (same key, same bytes) gets the same answer
    again = client.post(
        "/courses/moodle-42/credentials?format=ob3", content=PHP_BODY, headers=headers
    )
    assert again.status_code == 201 and again.json() == body
