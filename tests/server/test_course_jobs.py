"""Bulk issuing jobs on a real socket (issue 20, item 4: "a bulk variant taking a roster
CSV that returns a job with progress").

Oracles: issue 20's rules — every bad row reported at once with its spreadsheet row
number, nothing issued while a row is bad unless asked, each learner issued exactly
once (a learner issued before is returned, not re-issued; a resumed job issues no
second credential) — and the library's ``verify`` of a returned credential.
"""

from __future__ import annotations

import time

import httpx

from tests.server.lms_helpers import course_for, status_entries, verified

HEADER = "name,email,id,grade,completion_date\n"
GOOD = [
    "Jan Kowalski,jan.kowalski@learners.example.eu,,A-,2026-06-19",
    "Ingrid Hansen,ingrid.hansen@learners.example.eu,,D,2026-06-26",
    "Μαρία Παπαδοπούλου,maria.papadopoulou@learners.example.eu,,C,2026-06-18",
    "Adébáyọ̀ Ògúnlẹ̀sí,,S2026999,B,2026-06-20T16:30:00+02:00",
    "王小明,wang.xiaoming@learners.example.eu,,A,2026-06-21",
]
BAD = [
    ",nobody@learners.example.eu,,A,2026-06-19",  # row 7: no name
    "Bad Email,not-an-email,,A,2026-06-19",  # row 8
    "Too Late,late@learners.example.eu,,A,2999-01-01",  # row 9: awarded in the future
    "Jan Kowalski,jan.kowalski@learners.example.eu,,B,2026-06-19",  # row 10: duplicate
    "Bell \x07 Ringer,bell@learners.example.eu,,A,2026-06-19",  # row 11: control char
]


def _roster(rows: list[str]) -> str:
    return HEADER + "\n".join(rows) + "\n"


def _register(client: httpx.Client, auth: dict, server, course_id: str) -> None:
    response = client.put(f"/courses/{course_id}", json=course_for(server), headers=auth)
    assert response.status_code in (200, 201), response.text


def _wait(client: httpx.Client, auth: dict, url: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(url, headers=auth).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job did not finish: {job}")


def test_every_bad_row_is_reported_at_once_and_nothing_issued(server, client, auth):
    _register(client, auth, server, "bulk-strict")
    response = client.post(
        "/courses/bulk-strict/credential-jobs",
        content=_roster(GOOD + BAD),
        headers={**auth, "Content-Type": "text/csv"},
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "ROSTER_INVALID"
    assert [r["row"] for r in body["rejects"]] == [7, 8, 9, 10, 11]
    assert "row 2" in body["rejects"][3]["message"]  # the duplicate names its first row
    # nothing was issued: the first good learner can still be issued now, as new
    single = client.post(
        "/courses/bulk-strict/credentials",
        json={"name": "Jan Kowalski", "email": "jan.kowalski@learners.example.eu"},
        headers=auth,
    )
    assert single.status_code == 201


def test_job_issues_good_rows_reports_bad_ones_and_returns_earlier_credentials(
    server, client, auth
):
    _register(client, auth, server, "bulk")
    earlier = client.post(
        "/courses/bulk/credentials",
        json={
            "name": "Ingrid Hansen",
            "email": "ingrid.hansen@learners.example.eu",
            "grade": "D",
            "completion_date": "2026-06-26",
        },
        headers=auth,
    ).json()
    response = client.post(
        "/courses/bulk/credential-jobs",
        params={"skip_invalid": "true"},
        content=_roster(GOOD + BAD),
        headers={**auth, "Content-Type": "text/csv"},
    )
    assert response.status_code == 202, response.text
    started = response.json()
    assert started["total"] == len(GOOD) + len(BAD)
    # the server answers while the job runs (it is not on the request's thread)
    assert client.get("/issuers").status_code == 200
    job = _wait(client, auth, response.headers["Location"])
    assert (job["state"], job["done"], job["total"]) == ("done", 10, 10)
    assert [r["row"] for r in job["rejects"]] == [7, 8, 9, 10, 11]
    assert sorted(r["row"] for r in job["results"]) == [2, 3, 4, 5, 6]
    by_row = {r["row"]: r for r in job["results"]}
    assert by_row[3]["status"] == "existing" and by_row[3]["id"] == earlier["id"]
    assert len(status_entries(server, earlier["id"])) == 1
    credential = client.get(by_row[5]["credentialUrl"]).json()
    assert credential["id"] == by_row[5]["id"]
    report = verified(server, credential)
    assert report.verified, report.to_dict()


def test_multipart_upload_and_resume_never_issues_twice(server, client, auth):
    from microcred_vc.server.jobs import resume_jobs

    _register(client, auth, server, "bulk-form")
    response = client.post(
        "/courses/bulk-form/credential-jobs",
        files={"roster": ("roster.csv", _roster(GOOD[:3]).encode(), "text/csv")},
        headers=auth,
    )
    assert response.status_code == 202, response.text
    job = _wait(client, auth, response.headers["Location"])
    assert [r["status"] for r in job["results"]] == ["issued"] * 3
    # a server that stopped mid-job: the same job stored as running, nothing recorded yet
    state = server.server.config.app.state.microcred
    stored = state.store.get_job(job["id"])
    state.store.create_job(
        "00000000-0000-4000-8000-000000000001", "bulk-form", stored["options"], stored["rows"], []
    )
    state.store.update_job("00000000-0000-4000-8000-000000000001", state="running")
    resume_jobs(state)
    resumed = _wait(client, auth, "/jobs/00000000-0000-4000-8000-000000000001")
    assert [r["status"] for r in resumed["results"]] == ["existing"] * 3
    assert [r["id"] for r in resumed["results"]] == [r["id"] for r in job["results"]]
    for result in job["results"]:
        assert len(status_entries(server, result["id"])) == 1


def test_unknown_job_and_missing_columns(server, client, auth):
    missing = client.get("/jobs/00000000-0000-4000-8000-00000000dead", headers=auth)
    assert (missing.status_code, missing.json()["code"]) == (404, "JOB_NOT_FOUND")
    _register(client, auth, server, "bulk-cols")
    response = client.post(
        "/courses/bulk-cols/credential-jobs",
        content="name,grade\nJan,A\n",
        headers={**auth, "Content-Type": "text/csv"},
    )
    assert response.status_code == 422 and "row 1" in response.json()["detail"]
