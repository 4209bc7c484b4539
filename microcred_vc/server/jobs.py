"""Bulk issuing for LMSs: a roster CSV in, a job with progress and results out.

``POST /courses/{id}/credential-jobs`` reads the whole roster first and
reports every bad row at once (row numbers as a spreadsheet shows them);
nothing is issued while any row is bad unless ``skip_invalid=true``. The good
rows are then issued by a background thread, one learner at a time through
the same exactly-once path as ``POST /courses/{id}/credentials``, so the
server keeps answering and ``GET /jobs/{id}`` shows progress.

The job and its remaining rows are stored in the database. A server that
stops mid-job resumes it on start, and because each learner is issued
exactly once, resuming issues the rest and never a second credential.
"""

from __future__ import annotations

import csv
import io
import threading
import uuid
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from microcred_vc.errors import MicrocredError
from microcred_vc.server.courses import COURSE_ID, FORMAT, RESPONSES, SUITE, as_problem
from microcred_vc.server.idempotency import answer_once
from microcred_vc.server.learners import (
    HttpProblem,
    check_options,
    course_or_404,
    issue_learner,
    issued_urls,
    learner_key,
    parse_learner,
)
from microcred_vc.server.state import ServerState, problem, require_token

router = APIRouter(tags=["courses"])
JOB_ID = Path(..., pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_runners: weakref.WeakKeyDictionary[ServerState, ThreadPoolExecutor] = weakref.WeakKeyDictionary()
_runners_lock = threading.Lock()


def _runner(state: ServerState) -> ThreadPoolExecutor:
    """One background thread per server: jobs run one after another, beside the requests."""
    with _runners_lock:
        if state not in _runners:
            _runners[state] = ThreadPoolExecutor(1, thread_name_prefix="microcred-jobs")
        return _runners[state]


def _reject(row: int, code: str, message: str) -> dict[str, Any]:
    return {"row": row, "code": code, "message": message}


def read_roster(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every row of the roster: the good ones (row number, record) and every bad one."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = [(c or "").strip().lower() for c in reader.fieldnames or []]
    except csv.Error as exc:
        raise HttpProblem(422, "ROSTER_INVALID", "Roster is not valid", f"row 1: {exc}") from None
    names = {"name", "full_name", "fullname", "learner"}
    if not names & set(columns) and not {"given_name", "family_name"} <= set(columns):
        raise HttpProblem(
            422,
            "ROSTER_INVALID",
            "Roster is not valid",
            "row 1: a 'name' column (or given_name and family_name) is needed",
        )
    if not {"email", "e-mail", "id", "learner_id", "student_id", "did"} & set(columns):
        raise HttpProblem(
            422,
            "ROSTER_INVALID",
            "Roster is not valid",
            "row 1: an 'email' or 'id' column is needed",
        )
    rows: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rejects.append(_reject(reader.line_num, "ROSTER_INVALID", str(exc)))
            continue
        if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
            continue
        number = reader.line_num
        if None in raw:
            rejects.append(
                _reject(number, "ROSTER_INVALID", f"row {number}: more cells than columns")
            )
            continue
        try:
            learner = parse_learner(raw, number, label=None)
        except HttpProblem as exc:
            rejects.append(_reject(number, exc.code, exc.detail))
            continue
        key = learner_key(learner)
        if key in seen:
            rejects.append(
                _reject(
                    number,
                    "ROSTER_INVALID",
                    f"Roster row {number}: {key.split(':', 1)[1]} is the learner of row "
                    f"{seen[key]} again (a learner is issued once per course)",
                )
            )
            continue
        seen[key] = number
        rows.append({"row": number, "record": dict(raw)})
    return rows, rejects


def _probe(course: Any, rows: list[dict[str, Any]], rejects: list[dict[str, Any]]) -> list:
    """Build each row's credential once, unsigned: what would fail later fails now."""
    from microcred_vc.model import build_micro_credential

    good = []
    for item in rows:
        learner = parse_learner(item["record"], item["row"], label=None)
        try:
            build_micro_credential(course, learner)
        except MicrocredError as exc:
            rejects.append(_reject(item["row"], exc.code, exc.message))
            continue
        good.append(item)
    rejects.sort(key=lambda r: r["row"])
    return good


def _create(
    state: ServerState, course_id: str, text: str, options: dict[str, Any], skip_invalid: bool
) -> JSONResponse:
    try:
        check_options(options["format"], options["cryptosuite"])
        course = course_or_404(state, course_id)
        rows, rejects = read_roster(text)
        rows = _probe(course, rows, rejects)
    except HttpProblem as exc:
        return as_problem(exc)
    if rejects and not skip_invalid:
        return problem(
            422,
            "ROSTER_INVALID",
            "Roster is not valid",
            f"{len(rejects)} row(s) are not valid and nothing was issued; fix them, or send "
            "skip_invalid=true to issue the valid rows",
            rejects=rejects,
        )
    job_id = str(uuid.uuid4())
    state.store.create_job(job_id, course_id, options, rows, rejects)
    _runner(state).submit(run_job, state, job_id)
    body = _job_body(state.store.get_job(job_id))
    response = JSONResponse(body, status_code=202)
    response.headers["Location"] = body["jobUrl"]
    return response


def _roster_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HttpProblem(
            400,
            "ROSTER_INVALID",
            "Roster is not valid",
            "the roster is not UTF-8 text (save the spreadsheet as CSV UTF-8)",
        ) from None


@router.post("/courses/{course_id}/credential-jobs", status_code=202, responses=RESPONSES)
async def create_job(
    request: Request,
    course_id: str = COURSE_ID,
    format: str = FORMAT,
    cryptosuite: str = SUITE,
    skip_invalid: bool = Query(False, description="issue the valid rows, report the others"),
    token: str = Depends(require_token),
) -> JSONResponse:
    """Issue a credential to every learner of a roster CSV (``text/csv``, or a multipart
    form with the file as ``roster``); 202 with the job, whose progress is at ``/jobs/{id}``."""
    raw = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if kind == "multipart/form-data":
            form = await request.form()
            upload = form.get("roster")
            if upload is None or isinstance(upload, str):
                raise HttpProblem(
                    400, "REQUEST_INVALID", "Invalid request", "send the CSV as the 'roster' file"
                )
            text = _roster_text(await upload.read())
        else:
            text = _roster_text(raw)
    except HttpProblem as exc:
        return as_problem(exc)
    state: ServerState = request.app.state.microcred
    options = {"format": format, "cryptosuite": cryptosuite}
    return await answer_once(
        request, state, token, raw, lambda: _create(state, course_id, text, options, skip_invalid)
    )


def _job_body(job: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": job["id"],
        "jobUrl": f"/jobs/{job['id']}",
        "course": job["course"],
        "state": job["state"],
        "format": job["options"]["format"],
        "total": job["total"],
        "done": job["done"],
        "issued": len(job["results"]),
        "rejected": len(job["rejects"]),
        "rejects": job["rejects"],
        "results": job["results"],
    }


@router.get("/jobs/{job_id}", responses={401: {}, 404: {}})
def get_job(request: Request, job_id: str = JOB_ID, _: str = Depends(require_token)) -> Any:
    """Progress (done of total), every rejected row with its number, and each credential."""
    job = request.app.state.microcred.store.get_job(job_id)
    if job is None:
        return problem(404, "JOB_NOT_FOUND", "No such job", f"no job {job_id}")
    return JSONResponse(_job_body(job))


def run_job(state: ServerState, job_id: str) -> None:
    """Issue the job's rows not yet done (all of them, unless resuming)."""
    store = state.store
    job = store.get_job(job_id)
    if job is None or job["state"] == "done":
        return
    results, rejects = job["results"], job["rejects"]
    finished = {r["row"] for r in results} | {r["row"] for r in rejects}
    store.update_job(job_id, state="running")
    try:
        course = course_or_404(state, job["course"])
    except HttpProblem as exc:
        rejects += [_reject(i["row"], exc.code, exc.detail) for i in job["rows"]]
        store.update_job(job_id, state="failed", rejects=rejects, done=job["total"])
        return
    fmt, suite = job["options"]["format"], job["options"]["cryptosuite"]
    for item in job["rows"]:
        if item["row"] in finished:
            continue
        try:
            learner = parse_learner(item["record"], item["row"], label=None)
            issued = issue_learner(
                state, job["course"], course, learner, fmt=fmt, suite=suite, label=None
            )
        except HttpProblem as exc:
            rejects.append(_reject(item["row"], exc.code, exc.detail))
        except MicrocredError as exc:
            from microcred_vc.server.http_terms import http_message

            rejects.append(_reject(item["row"], exc.code, http_message(exc.code, exc.message)))
        except Exception:  # one learner's failure must not stop the others
            rejects.append(_reject(item["row"], "INTERNAL", "the server could not issue this row"))
        else:
            results.append(
                {
                    "row": item["row"],
                    "learner": issued.learner,
                    "id": issued.credential.get("id"),
                    "status": "issued" if issued.created else "existing",
                    **issued_urls(state, issued.credential_uuid),
                }
            )
        done = len(results) + len(rejects)
        store.update_job(job_id, done=done, results=results, rejects=rejects)
    store.update_job(job_id, state="done", done=len(results) + len(rejects))


def resume_jobs(state: ServerState) -> None:
    """Queue the jobs a previous server process left unfinished (issuing is exactly once)."""
    for job_id in state.store.unfinished_jobs():
        _runner(state).submit(run_job, state, job_id)
